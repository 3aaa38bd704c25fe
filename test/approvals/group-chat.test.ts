import { catalog } from '../helpers/catalog.js';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Activity } from 'botbuilder';
import { graphOf } from '../../bot/commands/_lib/context.js';
import { defineCommand } from '../../bot/commands/types.js';
import { CommandRegistry, inArea } from '../../bot/commands/registry.js';
import type { DevTenant } from '../../devtenant/index.js';
import { postActivity } from '../helpers/bot-server.js';
import { personalConversationOf } from '../helpers/connector.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import { registerTestSecret } from '../helpers/secrets.js';
import { cardText } from '../helpers/test-adapter.js';
import {
  followSignInLink,
  fromUser,
  readReply,
  sayThroughSignIn,
  startIdentityBot,
  teamsUser,
  type IdentityBot,
  type TeamsUser,
} from '../identity/harness.js';

const [approval, approve, reject, approvals] = catalog('approval', 'approval approve', 'approval reject', 'approvals');

/** Runs of the dangerous test command: the exactly-once assertion counts these. */
const runs: string[] = [];

const probeDisable = inArea(
  'test',
  defineCommand({
    name: 'probe disable',
    summary: 'Blocks a user (dangerous, test only).',
    usage: 'probe disable <user>',
    examples: ['probe disable bob@contoso.onmicrosoft.com'],
    args: { positional: ['user'], schema: z.object({ user: z.string() }).strict() },
    tier: 'dangerous',
    scopes: ['User.ReadWrite.All'],
    async run(ctx, args) {
      runs.push(args.user);
      await graphOf(ctx).patch(`/users/${args.user}`, { accountEnabled: false });
      return { card: 'notice', data: { title: 'Blocked', message: `blocked ${args.user}`, actions: [] }, text: 'ok' };
    },
  }),
);

const GROUP_ID = '19:group-approvals@thread.v2';

/** What one Action.Execute click got back: the invoke response Teams shows only to the clicker. */
interface ClickAnswer {
  status: number;
  type?: string;
  text: string;
  url?: string;
}

/**
 * Issue 17: a group chat with two admins and a bystander, driven the way Teams drives it (Action.Execute invokes on
 * the shared card, default rate limits). What one person must act on reaches only them; the group sees the shared
 * card updated in place.
 */
describe('approvals in a group chat: per-clicker answers, one sign-in, shared state only', () => {
  let dev: DevTenant;
  let ib: IdentityBot;
  let requester: TeamsUser;
  let approver: TeamsUser;
  let bystander: TeamsUser;

  before(async () => {
    dev = await startTestDevTenant();
    const registry = new CommandRegistry([approvals, approval, approve, reject, probeDisable]);
    // Default rate limits on purpose: the burst of clicks must not use up the approver's budget of changes.
    ib = await startIdentityBot(dev, { TEAMS_SSO: 'false' }, registry);
    requester = teamsUser(dev, 'admin');
    approver = teamsUser(dev, 'useradmin');
    bystander = teamsUser(dev, 'alice');
  });
  after(async () => {
    await ib?.close();
    await dev?.close();
  });

  const group = () =>
    ({
      id: GROUP_ID,
      conversationType: 'groupChat',
      isGroup: true,
      tenantId: dev.tenant.id,
      name: 'Admins',
    }) as Activity['conversation'];
  const inGroup = (user: TeamsUser, text: string, extra: Partial<Activity> = {}) =>
    fromUser(user, dev, ib.connector, { text, conversation: group(), ...extra });
  const groupPosts = (since: number) =>
    ib.connector.replies.slice(since).filter((r) => r.conversationId === GROUP_ID && r.method === 'POST');
  const groupUpdates = (since: number) =>
    ib.connector.replies.slice(since).filter((r) => r.conversationId === GROUP_ID && r.method === 'PUT');

  async function click(user: TeamsUser, text: string, cardMessageId: string): Promise<ClickAnswer> {
    const response = await postActivity(
      ib.bot.url,
      inGroup(user, '', {
        type: 'invoke',
        name: 'adaptiveCard/action',
        id: randomUUID(),
        replyToId: cardMessageId,
        value: { action: { type: 'Action.Execute', verb: 'run', data: { text } }, trigger: 'manual' },
      }),
    );
    const body = (await response.json()) as { statusCode?: number; type?: string; value?: unknown };
    if (typeof body.value === 'string') return { status: body.statusCode ?? 0, type: body.type, text: body.value };
    const card = (body.value ?? {}) as Record<string, unknown>;
    const url = ((card.actions as { type: string; url?: string }[] | undefined) ?? []).find(
      (a) => a.type === 'Action.OpenUrl',
    )?.url;
    // Sign-in states are bearer values: the log scan (test/zz-log-secrets.test.ts) checks they never reach a log.
    if (url) registerTestSecret(new URL(url).searchParams.get('state') ?? undefined);
    return { status: body.statusCode ?? 0, type: body.type, text: cardText(card), url };
  }

  async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  const statusOf = async (id: string) =>
    (await ib.bot.store.db.selectFrom('approvals').select('status').where('id', '=', id).executeTakeFirst())?.status;

  /** The requester asks for `text` in the group; the approval card's request id and message id. */
  async function requestCard(text: string): Promise<{ id: string; messageId: string; index: number }> {
    const before = ib.connector.replies.length;
    await sayThroughSignIn(ib, dev, requester, inGroup(requester, text));
    let found: ReturnType<typeof readReply> | undefined;
    await until(() => {
      found = ib.connector.replies
        .slice(before)
        .map(readReply)
        .find((r) => r.reply.method === 'POST' && /Request ([0-9A-F]{10})/.test(r.text));
      return found !== undefined;
    }, 'the approval card');
    const requestId = /Request ([0-9A-F]{10})/.exec(found!.text)![1];
    const row = await ib.bot.store.db
      .selectFrom('approvals')
      .select('activity_id')
      .where('id', '=', requestId)
      .executeTakeFirstOrThrow();
    return { id: requestId, messageId: row.activity_id!, index: ib.connector.replies.indexOf(found!.reply) };
  }

  let id = '';
  let cardMessageId = '';
  let since = 0;

  it('the requester asks in the group: the approval card is posted for everyone', async () => {
    const card = await requestCard('probe disable bob@contoso.onmicrosoft.com --reason "Offboarding today"');
    ({ id, messageId: cardMessageId, index: since } = card);
    // She typed it while signed out: her sign-in link (asking for the MFA at once) went to her 1:1 chat only.
    const links = ib.connector.replies.map(readReply).filter((r) => r.url);
    assert.equal(links.length, 1);
    assert.equal(links[0].reply.conversationId, personalConversationOf(requester.teamsId));
    assert.match(links[0].text, /with multi-factor authentication/);
    assert.match(readReply(ib.connector.replies[since]).text, /Waiting for approval/);
  });

  let burst: ClickAnswer[] = [];
  it(
    'the approver, not signed in, clicks Approve 10 times: her prompt is in her invoke responses, the group gets ' +
      'nothing',
    async () => {
      const before = ib.connector.replies.length;
      const opened = ib.connector.created.length;
      burst = await Promise.all(
        Array.from({ length: 10 }, () => click(approver, `approval approve ${id}`, cardMessageId)),
      );
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(groupPosts(before), [], 'no message posted to the group');
      assert.deepEqual(groupUpdates(before), [], 'nothing decided yet');
      assert.equal(ib.connector.created.length, opened, 'nothing sent 1:1 either: the invoke response carried it');
      for (const answer of burst) {
        assert.equal(answer.type, 'application/vnd.microsoft.card.adaptive');
        assert.match(answer.text, /Sign in to run "approval approve"/);
        assert.match(answer.text, /with multi-factor authentication/);
        assert.ok(answer.url, 'a live link, for her eyes only');
        assert.doesNotMatch(answer.text, /Too many/);
      }
      assert.deepEqual(runs, []);
    },
  );

  it('she signs in once with password + code: the decision completes and the command runs once', async () => {
    const before = ib.connector.replies.length;
    // Whichever of her ten cards Teams shows last: any of them resumes the one parked decision.
    const link = burst[Math.floor(Math.random() * burst.length)].url!;
    const signIn = await followSignInLink(ib, dev, link, approver);
    assert.deepEqual(signIn.signIn.pages, ['password', 'totp'], 'one sign-in, with MFA, no second prompt');
    await until(async () => (await statusOf(id)) === 'succeeded', 'the execution');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(runs, [dev.tenant.userByUpn('bob@contoso.onmicrosoft.com')!.id]);
    const after = ib.connector.replies.slice(before).map(readReply);
    assert.deepEqual(
      after.filter((r) => r.url),
      [],
      'no step-up prompt anywhere',
    );
    assert.deepEqual(groupPosts(before), [], 'the group got no new message');
    const updates = groupUpdates(before).map(readReply);
    assert.ok(updates.length >= 1 && updates.every((u) => u.reply.activityId === cardMessageId));
    assert.match(updates.at(-1)!.text, /Approved and run/);
    const toApprover = after.filter((r) => r.reply.conversationId === personalConversationOf(approver.teamsId));
    assert.ok(
      toApprover.some((r) => /You approved request/.test(r.text)),
      'her answer reached her 1:1 chat',
    );
    const toRequester = after.filter((r) => r.reply.conversationId === personalConversationOf(requester.teamsId));
    assert.ok(
      toRequester.some((r) => /Blocked/.test(r.text)),
      "the command's answer reached the requester",
    );
    const signIns = await ib.bot.store.db
      .selectFrom('audit_log')
      .select(['action', 'mfa'])
      .where('actor_upn', '=', approver.upn)
      .where('action', 'in', ['signin', 'stepup'])
      .execute();
    assert.deepEqual(
      signIns.map((r) => r.action),
      ['signin'],
    );
    assert.ok((JSON.parse(signIns[0].mfa!) as { amr: string[] }).amr.includes('mfa'));
  });

  it("the requester's own click is told in its invoke response that she cannot approve her own request", async () => {
    const before = ib.connector.replies.length;
    const answer = await click(requester, `approval approve ${id}`, cardMessageId);
    assert.equal(answer.type, 'application/vnd.microsoft.activity.message');
    assert.match(answer.text, /cannot approve or reject your own request/);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(ib.connector.replies.length, before, 'nothing posted anywhere');
  });

  it('a late click by the approver says what happened to it, to her only', async () => {
    const before = ib.connector.replies.length;
    const answer = await click(approver, `approval approve ${id}`, cardMessageId);
    assert.equal(answer.type, 'application/vnd.microsoft.activity.message');
    assert.match(answer.text, new RegExp(`Request ${id} is already succeeded; nothing changed`));
    assert.doesNotMatch(answer.text, /answer is posted in the conversation/);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(ib.connector.replies.length, before, 'nothing posted anywhere');
  });

  it('the bystander sees the shared state only', async () => {
    const response = await postActivity(
      ib.bot.url,
      inGroup(bystander, '', {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'approvalRefresh', data: { id } }, trigger: 'automatic' },
      }),
    );
    const view = cardText(((await response.json()) as { value: Record<string, unknown> }).value);
    assert.match(view, /Approved and run/);
    assert.doesNotMatch(view, /Sign in|Verify with MFA/);
    const toBystander = ib.connector.replies.filter(
      (r) => r.conversationId === personalConversationOf(bystander.teamsId),
    );
    assert.deepEqual(toBystander, [], 'nothing was sent to the bystander');
    assert.ok(!ib.connector.created.some((c) => c.member === bystander.teamsId));
  });

  it('posts one message to the group per approval (the card), updated in place', () => {
    const posts = groupPosts(since).map(readReply);
    const updates = groupUpdates(since);
    console.log(
      `      [measure] group per approval: ${posts.length} post(s), ${posts.filter((r) => r.url).length} with a ` +
        `link, ${updates.length} card update(s)`,
    );
    assert.equal(posts.length, 1);
    assert.match(posts[0].text, /Approval needed/);
  });

  it("the burst did not use up the approver's budget of changes: her next real decision runs", async () => {
    const card = await requestCard('probe disable alice@contoso.onmicrosoft.com --reason "Second request"');
    const answer = await click(approver, `approval approve ${card.id}`, card.messageId);
    assert.doesNotMatch(answer.text, /Too many/);
    assert.match(answer.text, new RegExp(`You approved request ${card.id}`));
    await until(async () => (await statusOf(card.id)) === 'succeeded', 'the second execution');
    assert.equal(runs.length, 2);
  });

  it('a button in a 1:1 chat still posts its answer there, and the invoke response says what it was', async () => {
    const before = ib.connector.replies.length;
    const response = await postActivity(
      ib.bot.url,
      fromUser(approver, dev, ib.connector, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        text: undefined,
        value: { action: { type: 'Action.Execute', verb: 'run', data: { text: 'approvals' } }, trigger: 'manual' },
      }),
    );
    const body = (await response.json()) as { type: string; value: string };
    assert.equal(body.type, 'application/vnd.microsoft.activity.message');
    assert.doesNotMatch(body.value, /answer is posted in the conversation/);
    const [posted] = ib.connector.replies.slice(before).map(readReply);
    assert.equal(posted.reply.conversationId, personalConversationOf(approver.teamsId));
    // Signed in (above): the approvals list, whose plain-text summary the invoke response repeats.
    assert.doesNotMatch(body.value, /Sign in/);
    assert.ok(String(posted.reply.activity.summary).startsWith(body.value.slice(0, 30)), body.value);
  });
});
