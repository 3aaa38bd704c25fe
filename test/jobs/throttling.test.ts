import assert from 'node:assert/strict';
import { DEMO } from '../helpers/devtenant.js';
import { finished, jobIdOf, startBulkHarness, type BulkHarness } from './_fixture.js';

describe('bulk jobs under Graph throttling (devtenant token bucket: 429 + Retry-After per request)', () => {
  let h: BulkHarness;
  before(async () => {
    // 40 requests of burst, 40 a second: a 20-user chunk (20 reads + a write costing 2) fits twice, then 429s.
    h = await startBulkHarness({
      devtenant: { graphThrottle: { capacity: 40, refillPerSecond: 40 } },
      approvalThreshold: 1000,
      runner: { maxConcurrency: 4 },
    });
    h.harness.signIn(DEMO.teamsAdmin);
  });
  after(async () => {
    await h.jobs.runner.stop();
    await h.harness.close();
  });

  it('slows down on 429, waits Retry-After, and still changes every user exactly as asked', async () => {
    const tenant = h.harness.dev.tenant;
    const allOff = tenant.teamsPolicies.find((p) => p.policyType === 'TeamsMeetingPolicy' && p.name === 'AllOff')!;
    const preview = await h.harness.ask(
      'bulk policy grant TeamsMeetingPolicy "AllOff" --filter "accountEnabled eq true"',
    );
    const id = jobIdOf(preview.text);
    const total = (await h.repo.get(id))!.total;
    assert.ok(total >= 40, `a set that needs several chunks (${total})`);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the preview's reads used the bucket: refill
    h.harness.dev.graph.clearLog();
    await h.harness.ask(`bulk run ${id}`);
    const job = await finished(h.repo, id);
    assert.equal(job.status, 'done');
    const throttled = h.harness.dev.graph.requestLog.filter((e) => e.status === 429);
    assert.ok(throttled.length > 0, 'Graph throttled the job');
    const counts = await h.repo.counts(id);
    assert.deepEqual({ failed: counts.failed, remaining: counts.remaining }, { failed: 0, remaining: 0 });
    for (const item of await h.repo.itemsPage(id, -1, 1000)) {
      const direct = tenant.teamsPolicyAssignments.find(
        (a) => a.userId === item.user_id && a.policyType === 'TeamsMeetingPolicy' && a.assignmentType === 'direct',
      );
      assert.equal(direct?.policyId, allOff.policyId, item.upn);
    }
    const cards = h.messenger.updates.map((u) => u.output.text);
    assert.ok(cards.at(-1)!.includes(`Job ${id} done`));
    assert.ok(
      h.messenger.updates.some((u) => /429|throttled/.test(JSON.stringify(u.output.data))),
      'the progress card showed the throttling',
    );
  });

  it('a write throttled past the Graph client own retries is sent again after Retry-After, not given up', async () => {
    const tenant = h.harness.dev.tenant;
    const users = [...tenant.liveUsers()].filter((u) => u.accountEnabled !== false).slice(0, 3);
    const preview = await h.harness.askAs(
      DEMO.admin,
      `bulk user revoke --users ${users.map((u) => u.userPrincipalName).join(',')}`,
    );
    const id = jobIdOf(preview.text);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // The client tries 4 times; all 4 are refused, so the job itself must wait and send again.
    h.harness.dev.graph.faults.add({
      method: 'POST',
      path: '/$batch',
      first: 4,
      fault: { kind: 'status', status: 429, retryAfter: 1 },
    });
    h.harness.dev.graph.clearLog();
    await h.harness.askAs(DEMO.admin, `bulk run ${id}`);
    const job = await finished(h.repo, id, 20_000);
    assert.equal(job.status, 'done');
    const counts = await h.repo.counts(id);
    assert.deepEqual({ failed: counts.failed, changed: counts.changed }, { failed: 0, changed: 3 });
    const batches = h.harness.dev.graph.requestLog.filter((e) => e.url.endsWith('/$batch'));
    assert.deepEqual(
      batches.map((e) => e.status),
      [429, 429, 429, 429, 200],
    );
  });
});
