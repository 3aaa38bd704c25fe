import { catalog } from '../helpers/catalog.js';
import assert from 'node:assert/strict';
import { AuditLog } from '../../bot/audit/log.js';
import type { Messenger } from '../../bot/commands/ports.js';
import { CommandRegistry } from '../../bot/commands/registry.js';
import { CommandRunner } from '../../bot/commands/runner.js';
import { noIdentityGate } from '../../bot/commands/gate.js';
import type { GraphApi } from '../../bot/graph/client.js';
import type { AppIdentity } from '../../bot/identity/app-identity.js';
import { ScheduleRepository } from '../../bot/schedule/repository.js';
import { Scheduler } from '../../bot/schedule/scheduler.js';
import { openSqliteStore, type BotStore } from '../../bot/store/database.js';
import { captureLogger } from '../helpers/log-capture.js';

const [health] = catalog('health');

const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
const HOUR = 3600_000;

/** The reports app, with a Graph that confirms the creator and answers the report only when `report` says so. */
function fakeApp(report: () => Promise<unknown>): AppIdentity {
  const graph = {
    async get(path: string) {
      if (path.startsWith('/users/')) return { status: 200, body: { id: 'oid', accountEnabled: true }, headers: {} };
      if (path.includes('roleAssignmentScheduleInstances'))
        return {
          status: 200,
          body: { value: [{ roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: '/' }] },
          headers: {},
        };
      return { status: 200, body: await report(), headers: {} };
    },
    relativeLink: (link: string) => link,
  } as unknown as GraphApi;
  return {
    appId: '3e9a1c5b-7d2f-4e6a-8b0c-9f1d3e5a7c21',
    adminRoleTemplateIds: [GLOBAL_ADMIN],
    graph: () => graph,
    session: (o: { createdByOid: string; createdByUpn: string; tenantId: string; scheduleId: string }) => ({
      oid: o.createdByOid,
      upn: o.createdByUpn,
      tenantId: o.tenantId,
      roleTemplateIds: [],
      mfa: { amr: [], acrs: [] },
      app: { appId: '3e9a1c5b-7d2f-4e6a-8b0c-9f1d3e5a7c21', scheduleId: o.scheduleId },
      accessToken: async () => 'unused',
    }),
  } as unknown as AppIdentity;
}

/** A messenger recording what is posted, or whose posts never return (`hang`). */
function fakeMessenger(sent: unknown[], hang: boolean): Messenger {
  return {
    post: async (address, output) => {
      if (hang) return new Promise(() => undefined);
      sent.push(output);
      return { address, messageId: '1' };
    },
    update: async () => undefined,
    members: async () => [],
  };
}

/** The runner the scheduler runs its reports through, over the one schedulable command of these tests. */
function runnerOf(messenger: Messenger) {
  const registry = new CommandRegistry([health]);
  const services = { registry, messenger };
  const runner = new CommandRunner({ registry, gate: noIdentityGate, services, log: captureLogger().log });
  return { runner, messenger, services };
}

describe('scheduler: a hung run is bounded (timeout inside the lease, claims one at a time, stop() capped)', function () {
  this.timeout(20_000);
  let store: BotStore;
  let repo: ScheduleRepository;
  const log = captureLogger().log;

  beforeEach(async () => {
    store = await openSqliteStore(':memory:');
    repo = new ScheduleRepository(store.db);
    for (const conversationId of ['c1', 'c2']) {
      await repo.create(
        {
          tenantId: 't',
          conversationId,
          address: { conversationId, kind: 'groupChat', channelRef: '{}' },
          commandName: 'health',
          commandText: 'health',
          cron: '0 * * * *',
          timeZone: 'UTC',
          description: 'hourly',
          createdByAadId: 'a0000000-0000-4000-8000-000000000001',
          createdByUpn: 'admin@contoso.onmicrosoft.com',
          nextRunAt: Date.now() - HOUR,
        },
        Date.now() - 2 * HOUR,
      );
    }
  });
  afterEach(async () => {
    await store.close();
  });

  const scheduler = (
    app: AppIdentity,
    messenger: Messenger,
    opts: { leaseMs: number; runTimeoutMs?: number; stopWaitMs?: number },
  ) =>
    new Scheduler({
      repo,
      registry: new CommandRegistry([health]),
      app,
      audit: new AuditLog(store.db),
      ...runnerOf(messenger),
      log,
      clock: Date.now,
      instanceId: 'a',
      ...opts,
    });

  it(
    'gives up a post that never returns after the run timeout, records and audits it failed, and claims the next ' +
      'run only then',
    async () => {
      const s = scheduler(
        fakeApp(async () => ({ value: [] })),
        fakeMessenger([], true),
        { leaseMs: 10_000, runTimeoutMs: 200 },
      );
      const started = Date.now();
      assert.equal(await s.tick(), 2, 'both due runs were tried, neither blocked the loop');
      assert.ok(Date.now() - started < 5_000);
      const rows = [(await repo.inConversation('c1'))[0], (await repo.inConversation('c2'))[0]].sort(
        (x, y) => x.last_run_at! - y.last_run_at!,
      );
      for (const row of rows) {
        assert.equal(row.last_outcome, 'failed');
        assert.match(row.last_detail!, /^timed-out: the run took longer than 0.2 s and was given up/);
        assert.equal(
          row.lease_owner,
          null,
          'the lease is released by this instance, before any reaper could call it abandoned',
        );
      }
      assert.ok(
        rows[1].last_run_at! - rows[0].last_run_at! >= 200,
        'the second run was claimed after the first was given up, not with it',
      );
      const outcomes = (await new AuditLog(store.db).recent({ limit: 10 }))
        .filter((r) => r.action === 'schedule.run')
        .map((r) => r.outcome);
      assert.deepEqual(outcomes.filter((o) => o.startsWith('failed:timed-out')).length, 2);
    },
  );

  it('posts nothing late for a run given up while its Graph read hung', async () => {
    let release: (err: Error) => void = () => undefined;
    const hung = new Promise<never>((_, reject) => {
      release = reject;
    });
    const sent: unknown[] = [];
    const s = scheduler(
      fakeApp(() => hung),
      fakeMessenger(sent, false),
      { leaseMs: 10_000, runTimeoutMs: 100 },
    );
    // The first run hangs in Graph until released; the second one's Graph read hangs on the same promise.
    await s.tick();
    release(new Error('Graph finally answered'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(sent.length, 0, 'no card after the run was given up');
  });

  it('stop() returns after stopWaitMs even while a run hangs, and no further run starts', async () => {
    const s = scheduler(
      fakeApp(async () => ({ value: [] })),
      fakeMessenger([], true),
      { leaseMs: 60_000, stopWaitMs: 100 },
    );
    const ticking = s.tick();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await s.stop();
    assert.ok(Date.now() - started < 2_000, `stop waited ${Date.now() - started} ms`);
    const running = (await repo.due(Number.MAX_SAFE_INTEGER, 10)).filter((r) => r.last_outcome === 'running');
    assert.equal(running.length, 1, 'only the hung run was claimed; the other stays due for another instance');
    ticking.catch(() => undefined); // it settles (or not) after the store is closed: only stop() is under test
  });
});
