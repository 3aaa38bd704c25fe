import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type { DevTenant } from '../../devtenant/index.js';
import { ensureTlsMaterial } from '../../devtenant/identity/key-material.js';
import { APP_IDS, BOT_CLIENT_SECRET } from '../../devtenant/seed/index.js';
import { ConnectorStandIn } from '../helpers/connector.js';
import { startTestDevTenant } from '../helpers/devtenant.js';
import { registerTestSecret } from '../helpers/secrets.js';
import { cardText } from '../helpers/test-adapter.js';
import { PUBLIC_BASE_URL, teamsUser, type TeamsUser } from '../identity/harness.js';
import { AuditLog } from '../../bot/audit/log.js';
import { openPostgresStore } from '../../bot/store/postgres.js';
import { startTestPostgres, type TestPostgres } from '../store/postgres-server.js';
import { startKillableBot, type KillableBot } from '../helpers/bot-process.js';
import { Chat } from './process/chat.js';
import { startGraphHold, type GraphHold } from './process/graph-hold.js';

interface AuditRow {
  seq: number;
  id: string;
  action: string;
  command: string | null;
  approval_id: string | null;
  outcome: string;
  ref_id: string | null;
}

/**
 * Issue 10 item 5: kill -9 in the middle of a write and of an approved execution. The Graph answers of both writes
 * are held back (Graph has applied them; the bot never hears so), then the process is killed with SIGKILL and a
 * new one starts on the same PostgreSQL store. Nothing may run twice, nothing may be lost from the audit chain,
 * and what happened must be on record: the start records stay, each gets an "interrupted" completion, the
 * approval shows "outcome unknown — verify" on its card.
 */
describe('process faults: kill -9 during a write and during an approved execution', function () {
  this.timeout(240_000);
  let dev: DevTenant;
  let server: TestPostgres;
  let databaseUrl: string;
  let connector: ConnectorStandIn;
  let graph: GraphHold;
  let chat: Chat;
  let first: KillableBot;
  let second: KillableBot;
  let third: KillableBot;
  let env: Record<string, string>;
  let admin: TeamsUser;
  let approver: TeamsUser;
  let approvalId: string;
  let db: pg.Client;

  /**
   * The environment of a process whose clock runs `step` × 2 minutes ahead: its predecessors' open work is abandoned.
   */
  const later = (base: Record<string, string>, step: number) => ({
    ...base,
    NODE_OPTIONS: `--import ${pathToFileURL(join(process.cwd(), 'test/security/process/clock-ahead.mjs')).href}`,
    BOT_TEST_CLOCK_AHEAD_MS: String(step * 120_000),
  });
  const patches = (oid: string) =>
    dev.graph.requestLog.filter((r) => r.method === 'PATCH' && r.url.includes(oid)).length;
  const audit = async () =>
    (
      await db.query<AuditRow>(
        'select seq, id, action, command, approval_id, outcome, ref_id from audit_log order by seq',
      )
    ).rows;

  before(async () => {
    [dev, server, connector] = await Promise.all([
      startTestDevTenant({ mfaPolicy: 'admins' }),
      startTestPostgres(),
      new ConnectorStandIn().start(),
    ]);
    databaseUrl = await server.createDatabase();
    registerTestSecret(new URL(databaseUrl).password);
    const tls = await ensureTlsMaterial(join(process.cwd(), 'test-results', 'devtenant'));
    // Every PATCH is applied by Graph, and its answer kept back until the end of the test.
    graph = await startGraphHold(
      dev.graph.url,
      { key: tls.serverKeyPem, cert: tls.serverCertPem, ca: tls.caCertPem },
      (method) => method === 'PATCH',
    );
    const cacheKey = randomBytes(32).toString('base64');
    registerTestSecret(cacheKey);
    registerTestSecret(BOT_CLIENT_SECRET);
    env = {
      DATABASE_URL: databaseUrl,
      DATA_DIR: 'test-results/process-faults-unused',
      IDENTITY_AUTHORITY: dev.identity.authority,
      IDENTITY_CLIENT_ID: APP_IDS.bot,
      IDENTITY_CLIENT_SECRET: BOT_CLIENT_SECRET,
      EXTRA_CA_FILE: dev.identity.caCertPath,
      PUBLIC_BASE_URL,
      GRAPH_BASE_URL: graph.url,
      TOKEN_CACHE_KEY: cacheKey,
      // Work started this long ago and never finished counts as interrupted (production: 10 minutes; the minimum).
      ABANDONED_AFTER_SECONDS: '60',
    };
    first = await startKillableBot(env);
    chat = new Chat(dev, connector);
    admin = teamsUser(dev, 'admin');
    approver = teamsUser(dev, 'useradmin');
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
  });
  after(async () => {
    await Promise.all([first?.kill(), second?.kill(), third?.kill()]);
    await db?.end().catch(() => undefined);
    await graph?.close();
    await connector?.close();
    await server?.stop();
    await dev?.close();
  });

  it('a dangerous request is waiting for approval; requester and approver are signed in', async () => {
    const requested = await chat.sayAsSignedIn(
      first.url,
      admin,
      'admin block bob@contoso.onmicrosoft.com --reason "Process fault test"',
    );
    approvalId = /Request ([0-9A-F]{10})/.exec(requested.at(-1)!.text)?.[1] ?? '';
    assert.ok(approvalId, requested.at(-1)!.text);
    const signedIn = await chat.sayAsSignedIn(first.url, approver, 'user alice@contoso.onmicrosoft.com');
    assert.match(signedIn.at(-1)!.text, /Alice/);
  });

  // Graph gives up on an unanswered write after 10 s (bot/graph): the kill comes as soon as the write reached Graph.
  it('SIGKILL while a write is in flight (Graph applied it; the answer is not back)', async () => {
    const alice = dev.tenant.userByUpn('alice@contoso.onmicrosoft.com')!;
    chat.post(first.url, admin, 'user block alice@contoso.onmicrosoft.com');
    await graph.whenHeld(alice.id);
    await first.kill();
    assert.equal(alice.accountEnabled, false, 'Graph applied the write');
    const rows = (await audit()).filter((r) => r.command === 'user block');
    assert.deepEqual(
      rows.map((r) => r.action),
      ['command.start'],
      'the start record was written before the Graph call',
    );
  });

  it('a new process on the same store starts and is ready', async () => {
    second = await startKillableBot(later(env, 1));
    assert.equal((await fetch(`${second.url}/readyz`)).status, 200);
  });

  it(
    'the interrupted write is on record (start kept, "interrupted" completion appended) and was applied once, not ' +
      're-run',
    async () => {
      const alice = dev.tenant.userByUpn('alice@contoso.onmicrosoft.com')!;
      const rows = (await audit()).filter((r) => r.command === 'user block');
      assert.deepEqual(
        rows.map((r) => r.action),
        ['command.start', 'command.interrupted'],
      );
      assert.equal(rows[1].ref_id, rows[0].id, 'the completion names the start record');
      assert.match(rows[1].outcome, /unknown/);
      assert.equal(patches(alice.id), 1, 'written once');
    },
  );

  it(
    'SIGKILL while an approved execution is in flight (Graph applied it; the answer is not back); a third process ' +
      'starts',
    async () => {
      const bob = dev.tenant.userByUpn('bob@contoso.onmicrosoft.com')!;
      const decided = await chat.say(second.url, approver, `approval approve ${approvalId}`);
      assert.match(decided.at(-1)!.text, /You approved request/);
      await graph.whenHeld(bob.id);
      await second.kill();
      assert.equal(bob.accountEnabled, false, 'Graph applied the approved write');
      const row = (await db.query('select status from approvals where id = $1', [approvalId])).rows[0] as {
        status: string;
      };
      assert.equal(row.status, 'executing');
      assert.deepEqual(
        (await audit())
          .filter((r) => r.approval_id === approvalId)
          .map((r) => r.action)
          .slice(-1),
        ['approval.execute.start'],
      );
      third = await startKillableBot(later(env, 2));
    },
  );

  it('the approved execution is "outcome unknown", never re-run; its card says so; a late Approve changes nothing', async () => {
    const bob = dev.tenant.userByUpn('bob@contoso.onmicrosoft.com')!;
    const row = (await db.query('select status, outcome from approvals where id = $1', [approvalId])).rows[0] as {
      status: string;
      outcome: string;
    };
    assert.equal(row.status, 'unknown');
    const rows = (await audit()).filter((r) => r.approval_id === approvalId).map((r) => r.action);
    assert.deepEqual(rows.slice(-2), ['approval.execute.start', 'approval.execute.interrupted']);
    const updated = connector.replies
      .filter((r) => r.method === 'PUT')
      .map((r) => cardText(r.activity.attachments?.[0]?.content as Record<string, unknown>));
    assert.ok(
      updated.some(
        (text) => text.includes(approvalId) && /Outcome unknown/.test(text) && /never re-run automatically/.test(text),
      ),
      'the shared card was updated',
    );
    const late = await chat.say(third.url, approver, `approval approve ${approvalId}`);
    assert.match(late.at(-1)!.text, /already unknown; nothing changed/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(patches(bob.id), 1, 'executed once');
  });

  it('`audit` shows the interruption and `audit verify` passes on the new process', async () => {
    const [listing] = await chat.say(third.url, admin, 'audit --since 1h');
    assert.match(listing.text, /command\.interrupted/);
    const [verdict] = await chat.say(third.url, admin, 'audit verify');
    assert.match(verdict.text, /Audit chain intact/);
  });

  it(
    'SIGKILL inside an audit append (its transaction open, waiting for the chain tail): nothing half-written, the ' +
      'command never ran',
    async () => {
      const blocker = new pg.Client({ connectionString: databaseUrl });
      await blocker.connect();
      const before = (await audit()).length;
      const reads = () =>
        dev.graph.requestLog.filter(
          (r) => r.method === 'GET' && r.url.includes('/users/') && r.url.toLowerCase().includes('helpdesk'),
        ).length;
      try {
        await blocker.query('begin');
        await blocker.query('lock table audit_log in access exclusive mode');
        chat.post(third.url, admin, 'user helpdesk@contoso.onmicrosoft.com');
        const deadline = Date.now() + 20_000;
        const waiting = async () =>
          Number(
            (
              await blocker.query(
                `select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
              )
            ).rows[0].n,
          );
        while ((await waiting()) === 0) {
          assert.ok(Date.now() < deadline, 'the audit append never waited');
          await new Promise((r) => setTimeout(r, 50));
        }
        await third.kill();
      } finally {
        await blocker.query('rollback').catch(() => undefined);
        await blocker.end();
      }
      assert.equal((await audit()).length, before, 'no record from the killed append');
      assert.equal(reads(), 0, 'the command did not run: its start record was never written');
      const store = await openPostgresStore(databaseUrl);
      try {
        const verdict = await new AuditLog(store.db).verify();
        assert.deepEqual(verdict, { ok: true, records: before });
      } finally {
        await store.close();
      }
    },
  );
});
