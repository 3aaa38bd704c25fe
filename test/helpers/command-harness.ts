import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { decodeJwt } from 'jose';
import { createAdapter, createBotApp, type BotApp } from '../../bot/teams/app.js';
import { AuditLog } from '../../bot/audit/log.js';
import type { CommandGate } from '../../bot/commands/gate.js';
import { CommandRegistry } from '../../bot/commands/registry.js';
import { CommandRunner } from '../../bot/commands/runner.js';
import type { AdminSession, AnyCommand, CommandServices } from '../../bot/commands/types.js';
import { loadConfig } from '../../bot/config.js';
import { GraphApi, type GraphClientOptions } from '../../bot/graph/client.js';
import { loadTrustAnchors } from '../../bot/net/trust.js';
import { openSqliteStore, type BotStore } from '../../bot/store/database.js';
import type { DevTenant, DevTenantOptions } from '../../devtenant/index.js';
import type { RequestLogEntry } from '../../devtenant/graph/request-log.js';
import { messageActivity } from './activities.js';
import { cardProblems } from './card-check.js';
import { startTestDevTenant } from './devtenant.js';
import { captureLogger } from './log-capture.js';
import { cardOf, cardText, converse } from './test-adapter.js';

export interface Answer {
  card: Record<string, unknown>;
  /** All text on the card (body and actions). */
  text: string;
  /** The message's plain-text summary (the card's fallback). */
  summary: string;
  /** Graph requests this command sent (from the stand-in's log), in order. */
  graph: RequestLogEntry[];
  /** The card's template-bound problems (must be empty). */
  problems: string[];
}

/**
 * Runs commands through the real bot app (TestAdapter) against the devtenant's Graph over HTTPS, as a signed-in
 * admin whose token comes from the local identity provider. The gate here only establishes the session; tier
 * gating (MFA, roles, approval) is the identity gate's job and has its own tests.
 */
export class CommandHarness {
  dev!: DevTenant;
  store!: BotStore;
  registry!: CommandRegistry;
  bot!: BotApp;
  private signedIn?: { upn: string; amr: string[]; acrs: string[] };

  /**
   * `graph` adjusts the bot's Graph client (e.g. shorter timeouts for fault tests); `services` adds services to the
   * base ones (a fake messenger, bulk jobs built once the base exists).
   */
  async start(
    devtenant: Partial<DevTenantOptions> = {},
    bot: {
      graph?: Partial<GraphClientOptions>;
      services?:
        Partial<CommandServices> | ((base: CommandServices, harness: CommandHarness) => Partial<CommandServices>);
    } = {},
  ): Promise<this> {
    this.dev = await startTestDevTenant(devtenant);
    this.store = await openSqliteStore(':memory:');
    this.registry = await CommandRegistry.discover();
    const trust = loadTrustAnchors(this.dev.identity.caCertPath);
    const scopes = [...new Set(this.registry.all().flatMap((c) => c.scopes))];
    const gate: CommandGate = {
      check: async (command) => {
        if (command.public) return { kind: 'allow' };
        if (!this.signedIn) throw new Error('harness: call signIn() first');
        return { kind: 'allow', session: await this.session(this.signedIn, scopes) };
      },
    };
    const config = loadConfig({});
    const log = captureLogger().log;
    const base: CommandServices = {
      registry: this.registry,
      store: this.store,
      audit: new AuditLog(this.store.db),
      graphFor: (session) =>
        new GraphApi({ baseUrl: this.dev.graph.url, accessToken: () => session.accessToken(), trust, ...bot.graph }),
    };
    const extra = typeof bot.services === 'function' ? bot.services(base, this) : bot.services;
    const services: CommandServices = { ...base, ...extra };
    const runner = new CommandRunner({ registry: this.registry, gate, services, log });
    this.bot = createBotApp({ config, store: this.store, log, runner, services }, createAdapter(config, log));
    return this;
  }

  signIn(upn: string, evidence: { amr?: string[]; acrs?: string[] } = {}): this {
    this.signedIn = { upn, amr: evidence.amr ?? ['pwd', 'mfa'], acrs: evidence.acrs ?? [] };
    return this;
  }

  async ask(text: string, overrides: Partial<Activity> = {}): Promise<Answer> {
    this.dev.graph.clearLog();
    const replies = await converse(this.bot, messageActivity(text, overrides));
    if (replies.length !== 1) throw new Error(`expected one reply to "${text}", got ${replies.length}`);
    const card = cardOf(replies[0]);
    return {
      card,
      text: cardText(card),
      summary: String(replies[0].summary),
      graph: [...this.dev.graph.requestLog],
      problems: cardProblems(card),
    };
  }

  /** Asks once as another signed-in user, then signs the previous user back in (also when the ask throws). */
  async askAs(upn: string, text: string): Promise<Answer> {
    const previous = this.signedIn;
    this.signIn(upn);
    try {
      return await this.ask(text);
    } finally {
      this.signedIn = previous;
    }
  }

  /**
   * Makes the selected commands call Graph with a token holding only the scopes they declare (the harness's
   * session holds the union of every command's scopes): a scope missing from a descriptor then shows as
   * Graph's 403. Returns the undo.
   */
  onlyDeclaredScopes(select: (command: AnyCommand) => boolean): () => void {
    const restore: Array<() => void> = [];
    for (const command of this.registry.all() as AnyCommand[]) {
      if (!select(command)) continue;
      const run = command.run;
      command.run = async (ctx, args) => {
        const session = ctx.session!;
        const token = await this.dev.identity.issueToken({
          user: session.upn,
          scopes: command.scopes,
          amr: session.mfa.amr,
          acrs: session.mfa.acrs,
        });
        return run.call(command, { ...ctx, session: { ...session, accessToken: async () => token } }, args);
      };
      restore.push(() => (command.run = run));
    }
    return () => restore.forEach((undo) => undo());
  }

  async close(): Promise<void> {
    await this.store.close();
    await this.dev.close();
  }

  /** A signed-in admin's session as the gate would establish it (for work that runs later as them). */
  async sessionFor(upn: string, evidence: { amr?: string[]; acrs?: string[] } = {}): Promise<AdminSession> {
    const scopes = [...new Set(this.registry.all().flatMap((c) => c.scopes))];
    return this.session({ upn, amr: evidence.amr ?? ['pwd', 'mfa'], acrs: evidence.acrs ?? [] }, scopes);
  }

  private async session(who: { upn: string; amr: string[]; acrs: string[] }, scopes: string[]): Promise<AdminSession> {
    const token = await this.dev.identity.issueToken({ user: who.upn, scopes, amr: who.amr, acrs: who.acrs });
    const claims = decodeJwt(token) as Record<string, unknown>;
    return {
      oid: String(claims.oid),
      upn: who.upn,
      tenantId: String(claims.tid),
      roleTemplateIds: (claims.wids as string[] | undefined) ?? [],
      mfa: { amr: who.amr, acrs: who.acrs, authTime: Number(claims.auth_time ?? claims.iat) },
      accessToken: async () => token,
    };
  }
}

/** Graph refused `request` (403 Authorization_RequestDenied) and the card says so with that request's id. */
export function assertDenied(answer: Answer, request: RequestLogEntry): void {
  assert.equal(request.status, 403);
  assert.match(answer.text, /Authorization_RequestDenied/);
  assert.match(answer.text, new RegExp(request.requestId));
}

/** Method, path and query options of a logged Graph request, for assertions that ignore query order. */
export function requestParts(entry: RequestLogEntry): { method: string; path: string; query: Record<string, string> } {
  const url = new URL(entry.url, 'https://graph.local');
  return { method: entry.method, path: decodeURIComponent(url.pathname), query: Object.fromEntries(url.searchParams) };
}

/** The path and query of a logged Graph request, decoded, for readable assertions. */
export function requestLine(entry: RequestLogEntry): string {
  const url = new URL(entry.url, 'https://graph.local');
  return `${entry.method} ${decodeURIComponent(url.pathname + url.search)}`;
}
