import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Activity } from 'botbuilder';

export interface CapturedReply {
  method: 'POST' | 'PUT' | 'DELETE';
  conversationId: string;
  activityId?: string;
  activity: Partial<Activity>;
  /** The bot's bearer token for the channel, as sent (tests verify it; never logged). */
  authorization?: string;
}

/**
 * A stand-in for the Bot Framework connector (the activity's `serviceUrl`): it records what the bot sends, and
 * lets a test wait for the next reply in a conversation.
 */
export class ConnectorStandIn {
  readonly replies: CapturedReply[] = [];
  /** 1:1 chats the bot opened (createConversation), by member. */
  readonly created: { member: string; tenantId?: string }[] = [];
  private server?: Server;
  private waiters: Array<{ predicate: (r: CapturedReply) => boolean; resolve: (r: CapturedReply) => void }> = [];
  private counter = 0;
  url = '';
  /** Holds each reply this long before answering, to keep a bot turn in flight. */
  delayMs = 0;

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const body = await readBody(req);
      if (req.method === 'POST' && (req.url ?? '').replace(/\/$/, '') === '/v3/conversations') {
        // The bot opens a 1:1 chat with a member (createConversation): one conversation per member, as Teams does.
        const parameters = JSON.parse(body) as { members?: { id: string }[]; tenantId?: string };
        const member = parameters.members?.[0]?.id ?? 'unknown';
        this.created.push({ member, tenantId: parameters.tenantId });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: personalConversationOf(member) }));
        return;
      }
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
      if (!match) {
        // restify patches ServerResponse.writeHead without returning `this`, so no chaining here.
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"NotFound"}}');
        return;
      }
      const reply: CapturedReply = {
        method: (req.method ?? 'POST') as CapturedReply['method'],
        conversationId: decodeURIComponent(match[1]),
        activityId: match[2] ? decodeURIComponent(match[2]) : undefined,
        activity: body ? (JSON.parse(body) as Partial<Activity>) : {},
        authorization: req.headers.authorization,
      };
      // Typing indicators (teams-ai sends them for turns over a second) are not replies.
      if (reply.activity.type === 'typing') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `typing-${++this.counter}` }));
        return;
      }
      this.replies.push(reply);
      this.waiters = this.waiters.filter((w) => (w.predicate(reply) ? (w.resolve(reply), false) : true));
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${++this.counter}` }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${address.port}/`;
    return this;
  }

  /** Resolves with the first reply (already received or future) that matches, or rejects after `timeoutMs`. */
  next(predicate: (r: CapturedReply) => boolean = () => true, timeoutMs = 10_000, since = 0): Promise<CapturedReply> {
    const existing = this.replies.slice(since).find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching reply from the bot in time')), timeoutMs);
      this.waiters.push({ predicate, resolve: (r) => (clearTimeout(timer), resolve(r)) });
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The id of the 1:1 chat the stand-in opens for a member (the `fromUser` test helper uses the same shape). */
export function personalConversationOf(teamsUserId: string): string {
  return `a:personal-${teamsUserId}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
