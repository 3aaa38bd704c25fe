import { catalog } from '../helpers/catalog.js';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { AuditLog } from '../../bot/audit/log.js';
import { CommandRegistry, inArea } from '../../bot/commands/registry.js';
import { defineCommand } from '../../bot/commands/types.js';
import { startBot, type RunningBot } from '../../bot/compose.js';
import { loadConfig } from '../../bot/config.js';
import { postActivity } from '../helpers/bot-server.js';
import { ConnectorStandIn } from '../helpers/connector.js';
import { captureLogger, type CapturedLog } from '../helpers/log-capture.js';
import { registerTestSecret } from '../helpers/secrets.js';
import { cardText } from '../helpers/test-adapter.js';
import { startTestPostgres, type TestPostgres } from '../store/postgres-server.js';
import { startExpectingExit, type EarlyExit } from '../helpers/bot-process.js';
import { freePort } from '../helpers/ports.js';

const [help] = catalog('help');

/** Issue 10 item 5: the store unavailable at start (refuse clearly) and mid-run (refuse clearly, recover alone). */
describe('process faults: the store unavailable', function () {
  this.timeout(120_000);
  let server: TestPostgres;

  before(async () => {
    server = await startTestPostgres();
  });
  after(async () => {
    await server?.stop();
  });

  describe('at start: the process exits non-zero with one clear line, and never listens', () => {
    const runs: Record<string, EarlyExit> = {};
    const password = `Pw-${randomBytes(12).toString('base64url')}`;

    before(async () => {
      registerTestSecret(password);
      const down = `postgres://bot:${password}@127.0.0.1:${await freePort()}/bot`;
      const wrongPassword = new URL(server.adminUrl);
      wrongPassword.password = password;
      const notADirectory = join(process.cwd(), 'test-results', 'process-faults', `file-${process.pid}`);
      mkdirSync(join(notADirectory, '..'), { recursive: true });
      writeFileSync(notADirectory, 'a file where the data directory should be');
      const [refused, denied, sqlite] = await Promise.all([
        startExpectingExit({ DATABASE_URL: down, DATA_DIR: 'test-results/unused' }),
        startExpectingExit({ DATABASE_URL: wrongPassword.toString(), DATA_DIR: 'test-results/unused' }),
        startExpectingExit({ DATA_DIR: join(notADirectory, 'data') }),
      ]);
      Object.assign(runs, { refused, denied, sqlite });
    });

    const oneLine = (run: EarlyExit) => run.stderr.trim().split('\n');

    it('PostgreSQL not reachable: exit 1, "could not be opened … ECONNREFUSED", no password', () => {
      const { refused } = runs;
      assert.equal(refused.code, 1, refused.stderr);
      assert.equal(refused.listened, false);
      assert.equal(oneLine(refused).length, 1, refused.stderr);
      assert.match(refused.stderr, /^Bot failed to start: .*PostgreSQL database could not be opened.*ECONNREFUSED/);
      assert.ok(!`${refused.stderr}${refused.stdout}`.includes(password), 'the password never appears');
    });

    it('PostgreSQL refuses the password: exit 1, "password authentication failed", no password', () => {
      const { denied } = runs;
      assert.equal(denied.code, 1, denied.stderr);
      assert.equal(denied.listened, false);
      assert.equal(oneLine(denied).length, 1, denied.stderr);
      assert.match(denied.stderr, /password authentication failed/);
      assert.ok(!`${denied.stderr}${denied.stdout}`.includes(password), 'the password never appears');
    });

    it('SQLite data directory not writable: exit 1 with the reason', () => {
      const { sqlite } = runs;
      assert.equal(sqlite.code, 1, sqlite.stderr);
      assert.equal(sqlite.listened, false);
      assert.equal(oneLine(sqlite).length, 1, sqlite.stderr);
      assert.match(sqlite.stderr, /^Bot failed to start: .*(store|database).*ENOTDIR/i);
    });
  });

  describe('mid-run: PostgreSQL stops while the bot runs, then comes back', () => {
    let databaseUrl: string;
    let bot: RunningBot;
    let logs: CapturedLog;
    let connector: ConnectorStandIn;
    let runs = 0;
    const user = { id: '29:store-fault', name: 'Store Fault', aadObjectId: randomUUID() };
    const counted = inArea(
      'test',
      defineCommand({
        name: 'probe count',
        summary: 'Counts its runs.',
        usage: 'probe count',
        examples: ['probe count'],
        args: { positional: [], schema: z.object({}).strict() },
        tier: 'read',
        scopes: [],
        public: true,
        async run() {
          runs++;
          return {
            card: 'notice',
            data: { title: 'probe count', message: `ran ${runs}`, actions: [] },
            text: `ran ${runs}`,
          };
        },
      }),
    );

    before(async () => {
      databaseUrl = await server.createDatabase();
      registerTestSecret(new URL(databaseUrl).password);
      connector = await new ConnectorStandIn().start();
      logs = captureLogger();
      const config = loadConfig({
        PORT: '0',
        DATABASE_URL: databaseUrl,
        DATA_DIR: 'test-results/unused',
        LOG_LEVEL: 'debug',
      });
      bot = await startBot(config, logs.log, { registry: new CommandRegistry([help, counted]) });
    });
    after(async () => {
      await server.resume().catch(() => undefined);
      await bot?.close();
      await connector?.close();
    });

    const activity = (text: string) => ({
      type: 'message',
      id: randomUUID(),
      channelId: 'msteams',
      serviceUrl: connector.url,
      timestamp: new Date(),
      text,
      from: user,
      recipient: { id: '28:bot', name: 'Admin Bot' },
      conversation: { id: `a:store-fault`, conversationType: 'personal', tenantId: randomUUID(), isGroup: false },
    });
    async function say(text: string): Promise<string> {
      const since = connector.replies.length;
      const response = await postActivity(bot.url, activity(text));
      assert.ok(response.status < 300, `bot answered ${response.status}`);
      const reply = await connector.next(() => true, 20_000, since);
      const card = reply.activity.attachments?.[0]?.content as Record<string, unknown> | undefined;
      return card ? cardText(card) : String(reply.activity.text ?? '');
    }
    const status = async (path: string) => (await fetch(`${bot.url}${path}`)).status;

    it('runs a command and is ready while the database is up', async () => {
      assert.match(await say('probe count'), /ran 1/);
      assert.equal(await status('/readyz'), 200);
    });

    it('a command whose audit start record cannot be written does not run, and says the database is unavailable', async () => {
      // Hold the audit table so the bot's audit-start append waits, then take the database away under it.
      const blocker = new pg.Client({ connectionString: databaseUrl });
      blocker.on('error', () => undefined);
      await blocker.connect();
      await blocker.query('begin');
      await blocker.query('lock table audit_log in access exclusive mode');
      const since = connector.replies.length;
      const posted = postActivity(bot.url, activity('probe count'));
      const deadline = Date.now() + 15_000;
      const waiting = async () =>
        Number(
          (
            await blocker.query(
              `select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
            )
          ).rows[0].n,
        );
      while ((await waiting()) === 0) {
        assert.ok(Date.now() < deadline, 'the audit append never waited on the lock');
        await new Promise((r) => setTimeout(r, 50));
      }
      await server.pause();
      await posted;
      const reply = await connector.next(() => true, 20_000, since);
      const text = cardText(reply.activity.attachments?.[0]?.content as Record<string, unknown>);
      assert.match(text, /database is unavailable/i);
      assert.match(text, /nothing was done/i);
      assert.match(text, /[0-9a-f]{8}-[0-9a-f]{4}-/, 'a correlation id');
      assert.equal(runs, 1, 'the command did not run');
      await blocker.end().catch(() => undefined);
    });

    it(
      'while the database is down: /readyz 503, /healthz 200, commands answer "database unavailable, nothing was ' +
        'done"',
      async () => {
        assert.equal(await status('/readyz'), 503);
        assert.equal(await status('/healthz'), 200);
        const text = await say('probe count');
        assert.match(text, /database is unavailable/i);
        assert.match(text, /nothing was done/i);
        assert.match(text, /[0-9a-f]{8}-[0-9a-f]{4}-/, 'a correlation id');
        assert.equal(runs, 1, 'nothing ran');
        const failures = logs.lines.filter((l) => l.level === 'error' || l.level === 'warn');
        assert.ok(failures.length > 0, 'the failed turns were logged');
        assert.ok(
          failures.every((l) => !JSON.stringify(l).includes(new URL(databaseUrl).password)),
          'no password in the logs',
        );
        const outage = failures.filter((l) => l.storeUnavailable === true);
        assert.ok(
          outage.length > 0 && outage.every((l) => !(l.err as { stack?: string }).stack),
          `an outage is logged as such, without a stack: ${JSON.stringify(failures).slice(0, 1500)}`,
        );
      },
    );

    it('recovers without a restart once the database is back, and the audit chain verifies', async () => {
      await server.resume();
      const deadline = Date.now() + 20_000;
      while ((await status('/readyz')) !== 200) {
        assert.ok(Date.now() < deadline, '/readyz did not recover');
        await new Promise((r) => setTimeout(r, 100));
      }
      const again = await say('probe count');
      const lastProblem = logs.lines.filter((l) => l.level === 'error').at(-1);
      assert.match(
        again,
        /ran 2/,
        `after recovery; last error logged: ${JSON.stringify(lastProblem?.err ?? null).slice(0, 500)}`,
      );
      const verdict = await new AuditLog(bot.store.db).verify();
      assert.deepEqual(verdict, { ok: true, records: verdict.records });
      const actions = (
        await bot.store.db.selectFrom('audit_log').select(['action', 'outcome']).orderBy('seq').execute()
      ).map((r) => `${r.action}:${r.outcome}`);
      assert.deepEqual(
        actions,
        ['command.start:started', 'command.end:succeeded', 'command.start:started', 'command.end:succeeded'],
        'the refused attempts left no start record',
      );
    });
  });
});
