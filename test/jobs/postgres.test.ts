import assert from 'node:assert/strict';
import { createBulkJobs } from '../../bot/jobs/index.js';
import { JobRepository } from '../../bot/jobs/repository.js';
import { openStore, type BotStore } from '../../bot/store/database.js';
import { DEMO } from '../helpers/devtenant.js';
import { captureLogger } from '../helpers/log-capture.js';
import { startTestPostgres, type TestPostgres } from '../store/postgres-server.js';
import { FAST, finished, startBulkHarness, until, type BulkHarness } from './_fixture.js';

/**
 * Two instances on one PostgreSQL database run one job: instance A starts it and loses its lease mid-job (a network
 * partition or a stall longer than the lease); instance B takes over, continues from the first chunk without a
 * committed outcome, and reconciles A's chunk in flight. Every user is changed once.
 */
describe('bulk jobs on PostgreSQL with two instances', () => {
  let server: TestPostgres;
  let h: BulkHarness;
  const stores: BotStore[] = [];

  before(async function () {
    this.timeout(90_000);
    server = await startTestPostgres();
    const url = await server.createDatabase();
    h = await startBulkHarness();
    h.harness.signIn(DEMO.teamsAdmin);
    for (let i = 0; i < 2; i++) stores.push(await openStore({ DATABASE_URL: url, DATA_DIR: ':memory:' }));
  });
  after(async () => {
    await h?.jobs.runner.stop();
    await Promise.all(stores.map((s) => s.close()));
    await h?.harness.close();
    await server?.stop();
  });

  const instance = (store: BotStore, name: string, heartbeatMs = FAST.heartbeatMs) =>
    createBulkJobs(
      { BULK_APPROVAL_THRESHOLD: 1000 },
      {
        store,
        log: captureLogger().log,
        sessions: async (oid) => h.harness.sessionFor(h.harness.dev.tenant.userById(oid)!.userPrincipalName),
        graphFor: h.graphFor,
        runner: { ...FAST, heartbeatMs, maxConcurrency: 1 },
        instanceId: name,
      },
    );

  it('one instance claims the job; the other takes over an expired lease and finishes it without repeats', async () => {
    const tenant = h.harness.dev.tenant;
    // A's heartbeat is slow: once its lease is expired below, A does not renew it before B takes over (a stall).
    const [a, b] = [instance(stores[0], 'A', 60_000), instance(stores[1], 'B')];
    const repo = new JobRepository(stores[0].db);
    const users = [...tenant.liveUsers()].filter((u) => u.accountEnabled !== false).slice(0, 45);
    // The job is prepared through instance A's service, as the admin (the command path is covered on SQLite).
    const ctx = {
      services: { graphFor: h.graphFor },
      session: await h.harness.sessionFor(DEMO.teamsAdmin),
      actor: { teamsUserId: '29:admin' },
      conversation: { id: 'c1', kind: 'personal' as const },
    } as unknown as Parameters<typeof a.service.prepare>[0];
    const restricted = tenant.teamsPolicies.find(
      (p) => p.policyType === 'TeamsMeetingPolicy' && p.name === 'RestrictedAnonymousAccess',
    )!;
    const pgPreview = await a.service.prepare(ctx, {
      verb: 'policy grant TeamsMeetingPolicy "RestrictedAnonymousAccess"',
      params: {
        family: 'policy',
        action: 'grant',
        policyType: 'TeamsMeetingPolicy',
        desired: `direct:${restricted.policyId}:RestrictedAnonymousAccess`,
      },
      target: { kind: 'users', users: users.map((u) => u.userPrincipalName) },
    });
    const id = (pgPreview.data.facts as Array<{ title: string; value: string }>).find((f) => f.title === 'Job')!.value;
    assert.equal((await repo.get(id))?.chunk_count, 3);
    // Each write is slow (applied at once, answered after 300 ms), so the job is mid-way when A loses its lease.
    h.harness.dev.graph.faults.add({
      method: 'POST',
      path: '/admin/teams/policy/userAssignments/assign',
      fault: { kind: 'delay', ms: 300 },
    });
    const auditsBefore = tenant.directoryAudits.length;
    h.harness.dev.graph.clearLog();
    await a.service.start(ctx, id);
    await until(async () => (await repo.get(id))?.lease_owner === 'A', 'A to claim the job');
    assert.equal(await b.runner.tick(), undefined, 'B cannot claim a job A holds');
    await until(
      async () => (await repo.openChunks(id, -1, 10)).some((c) => c.status === 'writing'),
      'a chunk in flight',
    );
    // A stalls past its lease (simulated by expiring it): B takes over while A's write is in flight.
    await stores[1].db
      .updateTable('bulk_jobs')
      .set({ lease_until: Date.now() - 1 })
      .where('id', '=', id)
      .execute();
    assert.equal(await b.runner.tick(), id);
    await Promise.all([a.runner.settled(id), b.runner.settled(id)]);
    const job = await finished(repo, id);
    h.harness.dev.graph.faults.clear();
    assert.equal(job.status, 'done');
    const counts = await repo.counts(id);
    assert.deepEqual({ failed: counts.failed, remaining: counts.remaining }, { failed: 0, remaining: 0 });
    for (const u of users) {
      const direct = tenant.teamsPolicyAssignments.find(
        (x) => x.userId === u.id && x.policyType === 'TeamsMeetingPolicy' && x.assignmentType === 'direct',
      );
      assert.equal(direct?.policyId, restricted.policyId, u.userPrincipalName);
    }
    // "Changed twice" is what the tenant's own audit would show: one assignment record per changed user at most.
    const assigned = tenant.directoryAudits
      .slice(auditsBefore)
      .filter((x) => x.activityDisplayName === 'Assign Teams policy to user')
      .map((x) => x.targetResources[0].id);
    assert.equal(new Set(assigned).size, assigned.length, 'no user assigned twice');
    const writes = h.harness.dev.graph.requestLog.filter((e) => e.url.includes('/userAssignments/assign'));
    assert.equal(writes.length, 3, "one write per chunk: A's chunk in flight was reconciled by B, not sent again");
    await a.runner.stop();
    await b.runner.stop();
  });
});
