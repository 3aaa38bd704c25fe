import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import pg from 'pg';
import { Agent } from 'undici';
import type { DevTenant } from '../../devtenant/index.js';
import { APP_IDS, BOT_CLIENT_SECRET } from '../../devtenant/seed/index.js';
import { postActivity } from '../helpers/bot-server.js';
import { ConnectorStandIn } from '../helpers/connector.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import { IdentityBrowser } from '../helpers/identity-browser.js';
import { signInThroughPages } from '../helpers/identity-sign-in.js';
import { registerTestSecret } from '../helpers/secrets.js';
import {
  PUBLIC_BASE_URL,
  REDIRECT_URI,
  fromUser,
  readReply,
  ssoToken,
  teamsUser,
  type CardReply,
  type TeamsUser,
} from '../identity/harness.js';
import { startTestPostgres, type TestPostgres } from '../store/postgres-server.js';
import { startBotProcess, startRoundRobinProxy, type BotProcess, type RoundRobinProxy } from './instances.js';
import { RAISED_RATE_LIMITS } from '../helpers/raised-rate-limits.js';

const CLICKS = 1000;

/** What went wrong on the instances, counted by message (error messages only: the logs never hold secrets). */
function problemsLogged(instances: BotProcess[]): string {
  const counts = new Map<string, number>();
  for (const line of instances.flatMap((i) => i.lines).filter((l) => l.level === 'error' || l.level === 'warn')) {
    const key = `${String(line.msg)}: ${String((line.err as { message?: string } | undefined)?.message ?? '')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return JSON.stringify([...counts]);
}

/**
 * Issue 8: two bot processes (the production entry point, real command catalog) on one PostgreSQL behind a
 * round-robin proxy, identity and Graph on the devtenant. Everything a turn needs must live in the database: a
 * sign-in on one instance serves the other, duplicate SSO exchanges run once, a step-up started on one instance
 * finishes on the other, and a thousand concurrent Approve clicks spread over both run the command once.
 */
describe('scale-out: two instances on one PostgreSQL behind a round-robin proxy', function () {
  this.timeout(180_000);
  let dev: DevTenant;
  let server: TestPostgres;
  let databaseUrl: string;
  let connector: ConnectorStandIn;
  let a: BotProcess;
  let b: BotProcess;
  let proxy: RoundRobinProxy;
  let admin: TeamsUser;
  let approver: TeamsUser;

  before(async () => {
    [dev, server, connector] = await Promise.all([
      startTestDevTenant(),
      startTestPostgres(),
      new ConnectorStandIn().start(),
    ]);
    databaseUrl = await server.createDatabase();
    registerTestSecret(new URL(databaseUrl).password);
    const cacheKey = randomBytes(32).toString('base64');
    registerTestSecret(cacheKey);
    registerTestSecret(BOT_CLIENT_SECRET);
    const env = {
      DATABASE_URL: databaseUrl,
      DATA_DIR: 'test-results/scale-unused',
      IDENTITY_AUTHORITY: dev.identity.authority,
      IDENTITY_CLIENT_ID: APP_IDS.bot,
      IDENTITY_CLIENT_SECRET: BOT_CLIENT_SECRET,
      EXTRA_CA_FILE: dev.identity.caCertPath,
      PUBLIC_BASE_URL,
      GRAPH_BASE_URL: dev.graph.url,
      TOKEN_CACHE_KEY: cacheKey,
      // 1,000 clicks of one approver test exactly-once, not the per-user limits (test/security/rate-limits.test.ts),
      // which would refuse all but 30 of them at their defaults.
      ...RAISED_RATE_LIMITS,
    };
    // Both start at once on the empty database: the migrations must still run exactly once.
    [a, b] = await Promise.all([startBotProcess('A', env), startBotProcess('B', env)]);
    proxy = await startRoundRobinProxy([a.url, b.url]);
    admin = teamsUser(dev, 'admin');
    approver = teamsUser(dev, 'useradmin');
  });
  after(async () => {
    await proxy?.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await connector?.close();
    await server?.stop();
    await dev?.close();
  });

  async function waitReplies(since: number, expected: number, timeoutMs = 15_000): Promise<CardReply[]> {
    const deadline = Date.now() + timeoutMs;
    while (connector.replies.length - since < expected) {
      if (Date.now() > deadline)
        throw new Error(`expected ${expected} replies, got ${connector.replies.length - since}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return connector.replies.slice(since).map(readReply);
  }

  async function say(to: string, user: TeamsUser, text: string, expected = 1): Promise<CardReply[]> {
    const since = connector.replies.length;
    const response = await postActivity(to, fromUser(user, dev, connector, { text }));
    assert.ok(response.status < 300, `bot answered ${response.status}`);
    return waitReplies(since, expected);
  }

  /** The browser: opens the link on instance `start`, signs in, and lands on the callback of instance `callback`. */
  async function completeLink(url: string, user: TeamsUser, start: BotProcess, callback: BotProcess) {
    const browser = new IdentityBrowser(dev.identity.caCertPem);
    const opened = await browser.get(url.replace(PUBLIC_BASE_URL, start.url));
    assert.equal(opened.status, 302, 'the sign-in link redirects to the identity provider');
    const signIn = await signInThroughPages(browser, opened.location!, REDIRECT_URI, {
      username: user.upn,
      password: user.password,
      totpSecret: user.totpSecret,
    });
    if (signIn.code) registerTestSecret(signIn.code);
    assert.ok(signIn.redirect, `signed in (${signIn.pages.join(', ')})`);
    const landed = await browser.get(signIn.redirect.replace(PUBLIC_BASE_URL, callback.url));
    assert.equal(landed.status, 200);
    return signIn;
  }

  const patchesOf = (oid: string) =>
    dev.graph.requestLog.filter((r) => r.method === 'PATCH' && r.url.includes(oid) && r.status < 300).length;

  it('started both instances on the PostgreSQL store', () => {
    for (const instance of [a, b])
      assert.equal(instance.lines.find((l) => l.msg === 'bot listening')?.store, 'postgres');
  });

  it('shares the token cache: signed in through A, a command through B runs without asking again', async () => {
    const [, card] = await say(a.url, admin, 'user alice@contoso.onmicrosoft.com', 2);
    assert.match(card.text, /Sign in to run/);
    const since = connector.replies.length;
    await completeLink(card.url!, admin, a, a);
    const [, result] = await waitReplies(since, 2);
    assert.match(result.text, /Alice/);
    const [onB] = await say(b.url, admin, 'user bob@contoso.onmicrosoft.com');
    assert.match(onB.text, /Bob/);
    assert.doesNotMatch(onB.text, /Sign in/);
  });

  it('processes duplicate SSO token exchanges sent to both instances once', async () => {
    const exchange = async (to: string, id: string, token: string) => {
      const response = await postActivity(
        to,
        fromUser(approver, dev, connector, {
          type: 'invoke',
          name: 'signin/tokenExchange',
          value: { id, connectionName: '', token },
          text: undefined,
        }),
      );
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as { id?: string }) : undefined };
    };
    const [oauth] = await say(a.url, approver, 'user bob@contoso.onmicrosoft.com', 2);
    const id = oauth.oauth?.tokenExchangeResource?.id;
    assert.ok(id, 'an OAuthCard with a token exchange resource');
    const token = await ssoToken(dev, approver);
    registerTestSecret(token);
    const since = connector.replies.length;
    const [viaA, viaB] = await Promise.all([exchange(a.url, id, token), exchange(b.url, id, token)]);
    assert.deepEqual([viaA.status, viaB.status], [200, 200]);
    assert.equal(
      [viaA.body, viaB.body].filter((body) => body?.id === id).length,
      1,
      'one full answer, one acknowledgement',
    );
    const [announced, result] = await waitReplies(since, 2);
    assert.match(announced.text, /Signed in as useradmin@/);
    assert.match(result.text, /Bob/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(connector.replies.length, since + 2, 'exactly one sign-in announcement and one command result');
  });

  it('completes on B a step-up started on A, and runs the parked write exactly once', async () => {
    const alice = dev.tenant.userByUpn('alice@contoso.onmicrosoft.com')!;
    const before = patchesOf(alice.id);
    const [stepUp] = await say(a.url, approver, 'user block alice@contoso.onmicrosoft.com');
    assert.match(stepUp.text, /Verify with MFA/);
    const since = connector.replies.length;
    const signIn = await completeLink(stepUp.url!, approver, a, b);
    assert.deepEqual(signIn.pages, ['password', 'totp']);
    const [signedIn, result] = await waitReplies(since, 2);
    assert.match(signedIn.text, /MFA ✓/);
    assert.match(result.text, /Alice/);
    assert.equal(alice.accountEnabled, false);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(patchesOf(alice.id) - before, 1, 'written once');
    assert.ok(
      b.lines.some((l) => l.msg === 'parked command resumed'),
      'B resumed it',
    );
  });

  let approvalId: string;
  it('records a dangerous request made through the proxy (requester steps up first)', async () => {
    let replies = await say(proxy.url, admin, 'admin block bob@contoso.onmicrosoft.com --reason "Scale-out test"');
    for (let hops = 0; replies.at(-1)?.url && hops < 2; hops++) {
      const since = connector.replies.length;
      await completeLink(replies.at(-1)!.url!, admin, a, b);
      replies = await waitReplies(since, 2);
    }
    approvalId = /Request ([0-9A-F]{10})/.exec(replies.at(-1)!.text)?.[1] ?? '';
    assert.ok(approvalId, replies.at(-1)!.text);
  });

  it(
    `executes the approved command exactly once under ${CLICKS} concurrent Approve clicks spread over both ` +
      `instances`,
    async () => {
      const bob = dev.tenant.userByUpn('bob@contoso.onmicrosoft.com')!;
      const before = patchesOf(bob.id);
      const group = {
        id: '19:scale@thread.v2',
        conversationType: 'groupChat',
        isGroup: true,
        tenantId: dev.tenant.id,
        name: 'Admins',
      } as Activity['conversation'];
      // All clicks are issued at once; the client pools its sockets (as Teams' own front door does) so the burst
      // tests the bot's exactly-once logic, not the kernel's accept queue.
      const clients = new Agent({ connections: 128 });
      const click = () =>
        fetch(`${proxy.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(
            fromUser(approver, dev, connector, {
              type: 'invoke',
              name: 'adaptiveCard/action',
              id: randomUUID(),
              conversation: group,
              text: undefined,
              value: {
                action: { type: 'Action.Execute', verb: 'run', data: { text: `approval approve ${approvalId}` } },
              },
            }),
          ),
          dispatcher: clients,
        } as RequestInit);
      const started = Date.now();
      const sentBefore = [...proxy.sent.values()];
      const responses = await Promise.all(Array.from({ length: CLICKS }, click)).finally(() => clients.close());
      const statuses = responses.map((r) => r.status);
      const failures = statuses.filter((status) => status !== 200).length;
      assert.equal(failures, 0, `${failures} clicks failed; the instances logged: ${problemsLogged([a, b])}`);
      const perInstance = [...proxy.sent.values()].map((n, i) => n - sentBefore[i]);
      assert.deepEqual(perInstance, [CLICKS / 2, CLICKS / 2], 'split evenly across A and B');

      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      try {
        const deadline = Date.now() + 120_000;
        const status = async () =>
          (await db.query<{ status: string }>('select status from approvals where id = $1', [approvalId])).rows[0]
            ?.status;
        while (!/succeeded|failed/.test((await status()) ?? '') && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 100));
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        const count = async (where: string) =>
          Number(
            (await db.query(`select count(*) as n from audit_log where approval_id = $1 and ${where}`, [approvalId]))
              .rows[0].n,
          );
        const decisions = await count(`action = 'approval.decision' and outcome = 'approved'`);
        const noEffect = await count(`action = 'approval.decision' and outcome like 'no effect%'`);
        const executions = await count(`action = 'approval.execute.start'`);
        process.stdout.write(
          `      ${CLICKS} clicks (${perInstance.join(' + ')}), ${decisions} decision, ${noEffect} no-ops, ` +
            `${executions} execution, ${patchesOf(bob.id) - before} PATCH, ${seconds} s\n`,
        );
        assert.equal(await status(), 'succeeded');
        assert.equal(decisions, 1);
        assert.equal(executions, 1);
        assert.equal(decisions + noEffect, CLICKS, 'every click was decided and audited');
        assert.equal(patchesOf(bob.id) - before, 1, 'the tenant was changed once');
        assert.equal(bob.accountEnabled, false);
      } finally {
        await db.end();
      }
    },
  );

  it('keeps one intact audit chain written by both instances (audit verify on either)', async () => {
    const [viaA] = await say(a.url, approver, 'audit verify');
    assert.match(viaA.text, /Audit chain intact/);
    const [viaB] = await say(b.url, admin, 'audit verify');
    assert.match(viaB.text, /Audit chain intact/);
  });
});
