import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import type { Activity } from 'botbuilder';
import { sql } from 'kysely';
import { loadConfig } from '../../bot/config.js';
import { clientIp } from '../../bot/limits/client-ip.js';
import { createRateLimiter, rateLimitSettings } from '../../bot/limits/index.js';
import { WindowCounter } from '../../bot/limits/window-counter.js';
import { openStore, type BotStore } from '../../bot/store/database.js';
import type { DevTenant } from '../../devtenant/index.js';
import { postActivity } from '../helpers/bot-server.js';
import { captureLogger } from '../helpers/log-capture.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import { startTestPostgres, type TestPostgres } from '../store/postgres-server.js';
import {
  followSignInLink,
  fromUser,
  pageMessage,
  say,
  startIdentityBot,
  teamsUser,
  viaProxy,
  waitReplies,
  type IdentityBot,
  type TeamsUser,
} from '../identity/harness.js';

/**
 * Issue 10 item 6: per-user, per-tenant and per-IP limits over real HTTP (bot + devtenant), with the limits' clock
 * in the test's hand. Small limits keep the bursts short; the defaults are checked on the configuration.
 */
const LIMITS = {
  RATE_LIMIT_COMMANDS_PER_USER_PER_MINUTE: '5',
  RATE_LIMIT_CHANGES_PER_USER_PER_MINUTE: '2',
  RATE_LIMIT_COMMANDS_PER_TENANT_PER_MINUTE: '8',
  RATE_LIMIT_SIGNINS_PER_USER_PER_10_MINUTES: '3',
  RATE_LIMIT_AUTH_PER_IP_PER_10_MINUTES: '20',
  TRUSTED_PROXY_HOPS: '1',
};
const MINUTE = 60_000;

describe('security: rate limits over HTTP (commands, sign-in attempts, web routes)', function () {
  this.timeout(120_000);
  let dev: DevTenant;
  let ib: IdentityBot;
  /** The limits' clock: each test starts in a fresh window by moving it on. */
  let now = Date.UTC(2026, 0, 1, 12, 0, 0);
  const nextWindow = () => {
    now += 10 * MINUTE;
  };

  before(async () => {
    dev = await startTestDevTenant();
    ib = await startIdentityBot(dev, { TEAMS_SSO: 'false', ...LIMITS }, undefined, { limitsClock: () => now });
  });
  after(async () => {
    await ib?.close();
    await dev?.close();
  });

  const message = (user: TeamsUser, text: string) => fromUser(user, dev, ib.connector, { text });
  const probeReads = (user: TeamsUser) =>
    dev.graph.requestLog.filter((r) => r.method === 'GET' && r.url.includes(`/users/${user.oid}?$select=displayName`))
      .length;
  const patches = (user: TeamsUser) =>
    dev.graph.requestLog.filter((r) => r.method === 'PATCH' && r.url.includes(user.oid)).length;
  const limitAudits = async () =>
    ib.bot.store.db
      .selectFrom('audit_log')
      .select(['actor_aad_id', 'outcome'])
      .where('action', '=', 'ratelimit.exceeded')
      .execute();

  /** Signs `user` in (password, plus TOTP when asked) through a parked `probe read`, outside the measured windows. */
  async function signIn(user: TeamsUser, text = 'probe read'): Promise<void> {
    let replies = await say(ib, message(user, text));
    for (let hops = 0; replies.at(-1)?.url && hops < 3; hops++) {
      const since = ib.connector.replies.length;
      await followSignInLink(ib, dev, replies.at(-1)!.url!, user);
      replies = await waitReplies(ib, since, 2);
    }
  }

  /** Sends `count` copies of `text` at once; returns the reply texts (one reply each). */
  async function burst(user: TeamsUser, text: string, count: number): Promise<string[]> {
    const since = ib.connector.replies.length;
    const responses = await Promise.all(
      Array.from({ length: count }, () => postActivity(ib.bot.url, message(user, text))),
    );
    assert.ok(responses.every((r) => r.status < 300));
    return (await waitReplies(ib, since, count)).map((r) => r.text);
  }

  it('a burst beyond the per-user limit: exactly the limit runs, the rest is refused with the wait, one audit record', async () => {
    const admin = teamsUser(dev, 'admin');
    await signIn(admin);
    nextWindow();
    const before = probeReads(admin);
    const auditsBefore = (await limitAudits()).length;
    const replies = await burst(admin, 'probe read', 9);
    assert.equal(replies.filter((t) => /read ok/.test(t)).length, 5);
    const refused = replies.filter((t) => /Too many commands/.test(t));
    assert.equal(refused.length, 4);
    assert.ok(
      refused.every((t) => /more than 5 commands in a minute.*Try again in \d+ s/.test(t)),
      refused[0],
    );
    assert.equal(probeReads(admin) - before, 5, 'Graph saw exactly the allowed commands');
    const audits = (await limitAudits()).slice(auditsBefore);
    assert.deepEqual(
      audits,
      [{ actor_aad_id: admin.oid, outcome: 'user-commands: more than 5 per 1 min' }],
      'audited once per window, not per request',
    );
  });

  it('users are limited independently, and the window resets', async () => {
    const admin = teamsUser(dev, 'admin');
    const teams = teamsUser(dev, 'teamsadmin');
    await signIn(teams);
    nextWindow();
    await burst(admin, 'probe read', 6);
    const [other] = await burst(teams, 'probe read', 1);
    assert.match(other, /read ok/, "another user is not affected by the admin's burst");
    const [still] = await burst(admin, 'probe read', 1);
    assert.match(still, /Too many commands/);
    now += MINUTE;
    const [again] = await burst(admin, 'probe read', 1);
    assert.match(again, /read ok/, 'a new window');
  });

  it('the tenant cap stops the sum of several users', async () => {
    const admin = teamsUser(dev, 'admin');
    const teams = teamsUser(dev, 'teamsadmin');
    const users = teamsUser(dev, 'useradmin');
    await signIn(users);
    nextWindow();
    const before = probeReads(users);
    const first = await burst(admin, 'probe read', 5);
    const second = await burst(teams, 'probe read', 3);
    assert.equal([...first, ...second].filter((t) => /read ok/.test(t)).length, 8);
    const [third] = await burst(users, 'probe read', 1);
    assert.match(third, /Your organization's admins sent more than 8 commands in a minute/);
    assert.equal(probeReads(users), before);
    assert.ok((await limitAudits()).some((a) => a.outcome === 'tenant-commands: more than 8 per 1 min'));
  });

  it('commands that change the tenant have the stricter limit; a command resumed after step-up is not counted twice', async () => {
    const admin = teamsUser(dev, 'admin');
    nextWindow();
    const before = patches(admin);
    await signIn(admin, 'probe write First'); // counted once when sent, then held for MFA and resumed
    assert.equal(patches(admin) - before, 1);
    const replies = await burst(admin, 'probe write Burst', 3);
    assert.equal(replies.filter((t) => /write ok/.test(t)).length, 1);
    assert.equal(replies.filter((t) => /more than 2 commands that change the tenant in a minute/.test(t)).length, 2);
    assert.equal(patches(admin) - before, 2, 'exactly the limit changed the tenant');
  });

  it('sign-in attempts per user: the link past the limit answers 429 with Retry-After without touching its state', async () => {
    const alice = teamsUser(dev, 'alice');
    nextWindow();
    const links: string[] = [];
    for (let i = 0; i < 4; i++) links.push((await say(ib, message(alice, 'probe read')))[0].url!);
    const statuses: number[] = [];
    let limited: { status: number; body: string; retryAfter?: string } | undefined;
    for (const link of links) {
      const response = await fetch(viaProxy(ib, link), { redirect: 'manual' });
      statuses.push(response.status);
      if (response.status === 429)
        limited = {
          status: 429,
          body: await response.text(),
          retryAfter: response.headers.get('retry-after') ?? undefined,
        };
    }
    assert.deepEqual(statuses, [302, 302, 302, 429]);
    assert.match(pageMessage(limited!.body), /Too many sign-in attempts\. Try again in \d+ s\./);
    assert.ok(Number(limited!.retryAfter) > 0 && Number(limited!.retryAfter) <= 600);
    assert.ok(
      (await limitAudits()).some(
        (a) => a.actor_aad_id === alice.oid && a.outcome === 'user-signins: more than 3 per 10 min',
      ),
    );
    nextWindow();
    assert.equal(
      (await fetch(viaProxy(ib, links[3]), { redirect: 'manual' })).status,
      302,
      'the refused link still works once the window has passed',
    );
  });

  it('Teams SSO token exchanges count as sign-in attempts of the user', async () => {
    const bob = teamsUser(dev, 'bob');
    nextWindow();
    const exchange = async () => {
      const response = await postActivity(
        ib.bot.url,
        fromUser(bob, dev, ib.connector, {
          type: 'invoke',
          name: 'signin/tokenExchange',
          value: { id: 'x', connectionName: '', token: 'not-a-token' },
          text: undefined,
        }),
      );
      return {
        status: response.status,
        detail: String(((await response.json()) as { failureDetail?: string }).failureDetail),
      };
    };
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await exchange());
    assert.deepEqual(
      results.map((r) => r.status),
      [412, 412, 412, 412],
    );
    assert.ok(
      results.slice(0, 3).every((r) => /refused the Teams token/.test(r.detail)),
      'the first three reach the identity provider',
    );
    assert.match(results[3].detail, /too many sign-in attempts; try again in \d+ s/);
  });

  it('SSO exchanges refused for another tenant or without an Entra identity are rate limited before they are audited', async () => {
    const mallory = teamsUser(dev, 'bob');
    nextWindow();
    const foreign = '00000000-0000-4000-8000-00000000f00d';
    const refusedAudits = async () =>
      (
        await ib.bot.store.db.selectFrom('audit_log').select('outcome').where('action', '=', 'signin.refused').execute()
      ).filter((a) => a.outcome === 'other-tenant' || a.outcome === 'no-entra-identity').length;
    const before = await refusedAudits();
    const invoke = (overrides: Partial<Activity>) =>
      postActivity(
        ib.bot.url,
        fromUser(mallory, dev, ib.connector, {
          type: 'invoke',
          name: 'signin/tokenExchange',
          value: { id: 'x', connectionName: '', token: 'not-a-token' },
          text: undefined,
          ...overrides,
        }),
      );
    const otherTenant = {
      conversation: { id: 'a:elsewhere', conversationType: 'personal', tenantId: foreign, isGroup: false, name: '' },
      channelData: { tenant: { id: foreign } },
    } as Partial<Activity>;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await invoke(otherTenant)).status);
    const noIdentity = { from: { id: '29:anonymous', name: 'anon' } } as Partial<Activity>;
    for (let i = 0; i < 6; i++) statuses.push((await invoke(noIdentity)).status);
    assert.deepEqual(statuses, Array(12).fill(412));
    assert.equal(
      (await refusedAudits()) - before,
      6,
      'three refusals audited per caller, the rest stopped by the sign-in limit',
    );
  });

  it(
    "per client IP on /auth/start and /auth/callback: 429 past the limit; only the trusted proxy's X-Forwarded-For " +
      'entry counts',
    async () => {
      nextWindow();
      const from = (ip: string, path: string) =>
        fetch(`${ib.bot.url}${path}`, { headers: { 'x-forwarded-for': ip }, redirect: 'manual' });
      const statuses: number[] = [];
      // The client may put anything left of what the proxy appended: still one address, 203.0.113.7.
      for (let i = 0; i < 21; i++)
        statuses.push(
          (
            await from(
              `10.0.0.${i}, 203.0.113.7`,
              i % 2 ? '/auth/callback?state=forged&code=x' : '/auth/start?state=forged',
            )
          ).status,
        );
      assert.deepEqual(
        statuses.slice(0, 20).filter((s) => s !== 400),
        [],
        'the first 20 reach the state check',
      );
      assert.equal(statuses[20], 429);
      const limited = await from('203.0.113.7', '/auth/callback?state=forged&code=x');
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assert.equal(
        (await from('198.51.100.9', '/auth/start?state=forged')).status,
        400,
        'another address is not limited',
      );
      assert.equal((await limitAudits()).filter((a) => a.actor_aad_id === 'ip:203.0.113.7').length, 1, 'audited once');
    },
  );

  it('an oversize activity is refused with 413 before parsing, so it is not even counted', async () => {
    const admin = teamsUser(dev, 'admin');
    const rows = async () => (await ib.bot.store.db.selectFrom('rate_limits').select('key').execute()).length;
    const before = await rows();
    const huge = { ...message(admin, 'probe read'), padding: 'x'.repeat(300 * 1024) } as Partial<Activity>;
    assert.equal((await postActivity(ib.bot.url, huge)).status, 413);
    assert.equal(await rows(), before);
    // Password and TOTP guessing is the identity provider's to stop (5 failures lock the account for 15 minutes):
    // test/devtenant/identity/account-state.test.ts.
  });
});

describe('security: rate-limit counter purge (unit)', () => {
  it('a failing purge of past windows is logged and never fails a counted hit', async () => {
    const store = await openStore({ DATA_DIR: ':memory:' });
    try {
      await sql`CREATE TRIGGER refuse_purge BEFORE DELETE ON rate_limits BEGIN SELECT RAISE(ABORT, 'purge refused'); END`.execute(
        store.db,
      );
      const logs = captureLogger();
      let now = 1;
      const counter = new WindowCounter(store.db, () => now, logs.log);
      await counter.hit('cmd:user:t:u', MINUTE);
      now = 5 * MINUTE + 1; // the first window is past: this hit purges it, and the DELETE fails
      assert.deepEqual(await counter.hit('cmd:user:t:u', MINUTE), { count: 1, resetAt: 6 * MINUTE });
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(
        logs.lines.some((l) => l.msg === 'could not purge past rate-limit windows'),
        'the failed purge is logged',
      );
      assert.equal((await counter.hit('cmd:user:t:u', MINUTE)).count, 2);
    } finally {
      await store.close();
    }
  });
});

describe('security: repeats of one card click count once as a change (unit)', () => {
  it('the same request again is not another change; every click is still a command, and other requests count', async () => {
    const store = await openStore({ DATA_DIR: ':memory:' });
    try {
      const settings = rateLimitSettings(loadConfig({ ...LIMITS, DATA_DIR: ':memory:' }));
      const limiter = createRateLimiter(settings, store.db, { log: captureLogger().log, now: () => 30_000 });
      const actor = { teamsUserId: '29:a', aadObjectId: 'a', tenantId: 't' };
      const conversation = { id: '19:g', kind: 'groupChat' as const, tenantId: 't' };
      const click = (text: string) => limiter.command(actor, conversation, 'write', text);
      // Four clicks of one button: within the 5 commands, and one change of the 2 allowed.
      for (let i = 0; i < 4; i++) assert.equal(await click('approval approve AAAAAAAAAA'), undefined);
      // Another request is a second change, still allowed; the sixth command of the minute is refused.
      assert.equal(await click('approval approve BBBBBBBBBB'), undefined);
      assert.match((await click('approval approve AAAAAAAAAA'))!.text, /too many commands/);
    } finally {
      await store.close();
    }
  });

  it('without the request identity (typed commands) each one counts as a change', async () => {
    const store = await openStore({ DATA_DIR: ':memory:' });
    try {
      const settings = rateLimitSettings(loadConfig({ ...LIMITS, DATA_DIR: ':memory:' }));
      const limiter = createRateLimiter(settings, store.db, { log: captureLogger().log, now: () => 30_000 });
      const actor = { teamsUserId: '29:a', aadObjectId: 'a', tenantId: 't' };
      const conversation = { id: '19:g', kind: 'groupChat' as const, tenantId: 't' };
      assert.equal(await limiter.command(actor, conversation, 'write'), undefined);
      assert.equal(await limiter.command(actor, conversation, 'write'), undefined);
      const third = await limiter.command(actor, conversation, 'write');
      assert.match(third!.data.message as string, /more than 2 commands that change the tenant/);
    } finally {
      await store.close();
    }
  });
});

describe('security: client address for per-IP limits (unit)', () => {
  const req = (peer: string, xff?: string) =>
    ({
      socket: { remoteAddress: peer },
      headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
    }) as unknown as IncomingMessage;
  it('uses the TCP peer unless proxies are trusted, and then only the entry the outermost trusted proxy wrote', () => {
    assert.equal(clientIp(req('10.1.1.1', '203.0.113.7'), 0), '10.1.1.1', 'no trusted proxy: the header is ignored');
    assert.equal(
      clientIp(req('10.1.1.1', '6.6.6.6, 203.0.113.7'), 1),
      '203.0.113.7',
      'a forged leftmost entry is ignored',
    );
    assert.equal(clientIp(req('10.1.1.1', '6.6.6.6, 203.0.113.7, 10.0.0.2'), 2), '203.0.113.7');
    assert.equal(clientIp(req('10.1.1.1', '203.0.113.7:52341'), 1), '203.0.113.7', 'a port does not make a new client');
    assert.equal(clientIp(req('10.1.1.1', '[2001:db8::7]:443'), 1), '2001:db8:0:0::/64');
    assert.equal(clientIp(req('10.1.1.1'), 1), '10.1.1.1', 'no header: the peer');
  });

  it('keys an IPv6 client by its /64 and an IPv4-mapped address by its IPv4 address', () => {
    assert.equal(clientIp(req('2001:db8:1:2:aaaa::1'), 0), '2001:db8:1:2::/64');
    assert.equal(
      clientIp(req('2001:db8:1:2:ffff:ffff:ffff:fffe'), 0),
      '2001:db8:1:2::/64',
      'another address of the same /64: same client',
    );
    assert.equal(clientIp(req('2001:0DB8:0001:0003::1'), 0), '2001:db8:1:3::/64', 'the next /64 is another client');
    assert.equal(clientIp(req('fe80::1%eth0'), 0), 'fe80:0:0:0::/64');
    assert.equal(clientIp(req('::1'), 0), '0:0:0:0::/64');
    assert.equal(clientIp(req('::ffff:203.0.113.7'), 0), '203.0.113.7', "a dual-stack socket's view of an IPv4 client");
    assert.equal(clientIp(req('10.1.1.1', '::FFFF:203.0.113.7'), 1), '203.0.113.7');
    assert.equal(clientIp(req('::ffff:cb00:7107'), 0), '203.0.113.7', 'the hex spelling of the same mapped address');
    assert.equal(clientIp(req('10.1.1.1', 'not-an-address'), 1), 'not-an-address', 'anything else is its own key');
  });
});

describe('security: rate-limit configuration', () => {
  it('is on by default with the documented limits', () => {
    const cfg = loadConfig({});
    assert.deepEqual(
      [
        cfg.RATE_LIMIT_COMMANDS_PER_USER_PER_MINUTE,
        cfg.RATE_LIMIT_CHANGES_PER_USER_PER_MINUTE,
        cfg.RATE_LIMIT_COMMANDS_PER_TENANT_PER_MINUTE,
        cfg.RATE_LIMIT_SIGNINS_PER_USER_PER_10_MINUTES,
        cfg.RATE_LIMIT_AUTH_PER_IP_PER_10_MINUTES,
      ],
      [30, 10, 300, 10, 120],
    );
  });

  it('has no off switch: a loopback bot given RATE_LIMITS=off still limits (raise the RATE_LIMIT_* values instead)', async () => {
    const cfg = loadConfig({ HOST: '127.0.0.1', RATE_LIMITS: 'off', RATE_LIMIT_SIGNINS_PER_USER_PER_10_MINUTES: '1' });
    const store = await openStore({ DATA_DIR: ':memory:' });
    try {
      const limiter = createRateLimiter(rateLimitSettings(cfg), store.db, { log: captureLogger().log });
      assert.equal((await limiter.signIn('oid-1', 'tenant-1')).allowed, true);
      assert.equal((await limiter.signIn('oid-1', 'tenant-1')).allowed, false);
    } finally {
      await store.close();
    }
  });
});

describe('security: rate-limit counters shared by instances (PostgreSQL)', function () {
  this.timeout(120_000);
  let server: TestPostgres;
  const stores: BotStore[] = [];
  before(async () => {
    server = await startTestPostgres();
  });
  after(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await server?.stop();
  });

  it('two instances bumping one key at once: exactly the limit is under it, and exactly one hit crosses it', async () => {
    const url = await server.createDatabase();
    for (let i = 0; i < 2; i++) stores.push(await openStore({ DATABASE_URL: url, DATA_DIR: ':memory:' }));
    const clock = () => Date.UTC(2026, 0, 1, 12, 0, 30);
    const counters = stores.map((s) => new WindowCounter(s.db, clock));
    const hits = await Promise.all(Array.from({ length: 60 }, (_, i) => counters[i % 2].hit('cmd:user:t:u', MINUTE)));
    const counts = hits.map((h) => h.count).sort((a, b) => a - b);
    assert.deepEqual(
      counts,
      Array.from({ length: 60 }, (_, i) => i + 1),
      'every hit got its own count: no lost update',
    );
    assert.equal(counts.filter((c) => c <= 20).length, 20);
    assert.equal(counts.filter((c) => c === 21).length, 1, 'one audit per window across instances');
    assert.equal(hits[0].resetAt, Date.UTC(2026, 0, 1, 12, 1, 0));
  });
});
