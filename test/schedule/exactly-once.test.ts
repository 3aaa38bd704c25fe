import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../../bot/audit/log.js';
import type { Messenger } from '../../bot/commands/ports.js';
import { CommandRegistry } from '../../bot/commands/registry.js';
import type { CommandRunner } from '../../bot/commands/runner.js';
import type { AppIdentity } from '../../bot/identity/app-identity.js';
import { ScheduleRepository } from '../../bot/schedule/repository.js';
import { Scheduler } from '../../bot/schedule/scheduler.js';
import { openStore, openSqliteStore, type BotStore } from '../../bot/store/database.js';
import { captureLogger } from '../helpers/log-capture.js';
import { startTestPostgres, type TestPostgres } from '../store/postgres-server.js';

const HOUR = 3600_000;

/** Counts claims that lost the conditional update: proof that both instances really contended for a tick. */
class CountingRepository extends ScheduleRepository {
  lost = 0;
  override async claim(...args: Parameters<ScheduleRepository['claim']>): Promise<boolean> {
    const won = await super.claim(...args);
    if (!won) this.lost++;
    return won;
  }
}
const SCHEDULES = 10;

/**
 * Schedulers of two instances sharing one store race for the same due ticks. Only the claim is exercised here
 * (running a claimed tick is tested end to end in scheduled-reports.test.ts): a claim is the conditional update
 * that decides which instance runs a tick.
 */
function raceSuite(name: string, open: () => Promise<[BotStore, BotStore]>, rounds: number) {
  describe(`scheduler claims on ${name}: two instances, one store`, function () {
    this.timeout(60_000);
    let stores: [BotStore, BotStore];
    let now = Date.UTC(2026, 10, 26, 12, 0, 0);
    const clock = () => now;
    const log = captureLogger().log;
    // Claims never touch the app identity; the stub only names it in audit records.
    const app = { appId: '3e9a1c5b-7d2f-4e6a-8b0c-9f1d3e5a7c21' } as AppIdentity;
    const scheduler = (
      store: BotStore,
      instanceId: string,
      leaseMs = 10 * 60_000,
      repo = new ScheduleRepository(store.db),
    ) =>
      new Scheduler({
        repo,
        registry: new CommandRegistry([]),
        app,
        audit: new AuditLog(store.db),
        // No run happens in the claim race: the runner and messenger are never reached.
        runner: undefined as unknown as CommandRunner,
        messenger: undefined as unknown as Messenger,
        services: { registry: new CommandRegistry([]) },
        log,
        clock,
        instanceId,
        leaseMs,
      });

    before(async () => {
      stores = await open();
      const repo = new ScheduleRepository(stores[0].db);
      for (let i = 0; i < SCHEDULES; i++) {
        await repo.create(
          {
            tenantId: 't',
            conversationId: `c${i}`,
            address: { conversationId: `c${i}`, kind: 'groupChat', channelRef: '{}' },
            commandName: 'admins nomfa',
            commandText: 'admins nomfa',
            cron: '0 * * * *',
            timeZone: 'UTC',
            description: 'hourly',
            createdByAadId: 'oid',
            createdByUpn: 'admin@contoso.onmicrosoft.com',
            nextRunAt: now + HOUR,
          },
          now,
        );
      }
    });
    after(async () => {
      await Promise.all(stores?.map((s) => s.close()) ?? []);
    });

    it(`runs every due tick exactly once across both instances (${rounds} rounds × ${SCHEDULES} schedules)`, async () => {
      const repos = [new CountingRepository(stores[0].db), new CountingRepository(stores[1].db)];
      const a = scheduler(stores[0], 'instance-a', undefined, repos[0]);
      const b = scheduler(stores[1], 'instance-b', undefined, repos[1]);
      const perTick = new Map<string, number>();
      const byInstance = { a: 0, b: 0 };
      for (let round = 0; round < rounds; round++) {
        now += HOUR;
        // Who starts first alternates, so each instance wins some ticks and loses others.
        const [fromA, fromB] =
          round % 2
            ? await Promise.all([a.claimDue(), b.claimDue()])
            : (await Promise.all([b.claimDue(), a.claimDue()])).reverse();
        byInstance.a += fromA.length;
        byInstance.b += fromB.length;
        for (const run of [...fromA, ...fromB]) {
          const key = `${run.row.id}@${run.row.next_run_at}`;
          perTick.set(key, (perTick.get(key) ?? 0) + 1);
        }
        // Both instances see the same due ticks, so nothing is left for a second claim in the same round.
        assert.deepEqual([...(await a.claimDue()), ...(await b.claimDue())], []);
      }
      assert.equal(perTick.size, rounds * SCHEDULES, 'every tick ran');
      assert.deepEqual([...new Set(perTick.values())], [1], 'no tick ran twice');
      assert.equal(byInstance.a + byInstance.b, rounds * SCHEDULES);
      const lost = repos[0].lost + repos[1].lost;
      assert.ok(
        byInstance.a > 0 && byInstance.b > 0,
        `both instances ran ticks (a ${byInstance.a}, b ${byInstance.b})`,
      );
      assert.ok(lost > 0, 'the instances contended for the same ticks');
      console.log(
        `      ${name}: ${rounds * SCHEDULES} ticks, runs per tick = 1; a ran ${byInstance.a}, b ran ` +
          `${byInstance.b}; ${lost} claims lost the race`,
      );
    });

    it('runs ticks missed during downtime once, and schedules the next one from now', async () => {
      const a = scheduler(stores[0], 'instance-a');
      const b = scheduler(stores[1], 'instance-b');
      now += 3 * 24 * HOUR;
      const claimed = [...(await a.claimDue()), ...(await b.claimDue())];
      assert.equal(claimed.length, SCHEDULES, 'one run per schedule, not 72');
      const rows = await new ScheduleRepository(stores[0].db).due(now + HOUR, 100);
      assert.ok(rows.every((r) => r.next_run_at > now && r.next_run_at <= now + HOUR));
    });

    it('records a run abandoned mid-way (lease expired) as failed, once, without running that tick again', async () => {
      const a = scheduler(stores[0], 'instance-a', 60_000);
      const b = scheduler(stores[1], 'instance-b', 60_000);
      now += HOUR;
      const claimed = await a.claimDue(); // instance a "crashes" here: it never runs or finishes these
      assert.equal(claimed.length, SCHEDULES);
      now += 2 * 60_000;
      assert.equal(await b.tick(), 0, 'nothing due again for the abandoned tick');
      assert.equal(await a.tick(), 0, 'the other instance finds nothing left to reap');
      const repo = new ScheduleRepository(stores[1].db);
      const rows = await Promise.all(claimed.map((c) => repo.get(c.row.id)));
      assert.ok(
        rows.every(
          (r) =>
            r?.last_outcome === 'failed' &&
            /stopped before it finished/.test(r.last_detail ?? '') &&
            r.lease_owner === null,
        ),
      );
      const audit = new AuditLog(stores[0].db);
      const abandoned = (await audit.recent({ limit: 100 })).filter(
        (r) => r.action === 'schedule.run' && r.outcome === 'failed:abandoned',
      );
      assert.equal(abandoned.length, SCHEDULES, 'one audit record per abandoned run');
      assert.deepEqual(await audit.verify(), { ok: true, records: SCHEDULES });
    });
  });
}

let sqliteDir = '';
raceSuite(
  'SQLite (two connections to one file)',
  async () => {
    sqliteDir = mkdtempSync(join(tmpdir(), 'schedule-race-'));
    return [await openSqliteStore(sqliteDir), await openSqliteStore(sqliteDir)];
  },
  100,
);
after(() => {
  if (sqliteDir) rmSync(sqliteDir, { recursive: true, force: true });
});

let postgres: TestPostgres | undefined;
raceSuite(
  'PostgreSQL (two pools)',
  async () => {
    postgres = await startTestPostgres();
    const url = await postgres.createDatabase();
    return [
      await openStore({ DATABASE_URL: url, DATA_DIR: ':memory:' }),
      await openStore({ DATABASE_URL: url, DATA_DIR: ':memory:' }),
    ];
  },
  60,
);
after(() => postgres?.stop());
