import assert from 'node:assert/strict';
import { TENANT_USER_COUNTS } from '../../devtenant/seed/index.js';
import { FULL_EVERY } from '../../bot/commands/reports/_mfa-watch.js';
import { WatchHarness } from './_watch-harness.js';

const GA = '62e90394-69f5-4237-9190-012177145e10';

/**
 * A watched `mfa report` on the `large` tenant (50,000 users): the first run reads every user, a re-run reads
 * users/delta from the stored deltaLink and the admins' registration only. Counts come from the stand-in's log.
 */
describe('watches: a re-run of "mfa report" reads only what changed (users/delta, large tenant)', function () {
  this.timeout(180_000);
  const h = new WatchHarness();
  before(() => h.start({ size: 'large' }));
  after(() => h.close());

  let firstRunRequests = 0;
  const paths = () => h.lastRun.map((e) => decodeURIComponent(e.url).replace(/\?.*/, ''));
  const hasMfa = (u: { authMethods: Array<{ kind: string }> }) => u.authMethods.some((m) => m.kind !== 'password');
  const holdsRole = (id: string) =>
    [...h.dev.tenant.roleAssignments, ...h.dev.tenant.roleEligibilities, ...h.dev.tenant.activeActivations()].some(
      (a) => a.principalId === id,
    );

  it('the first run reads every user (through users/delta) and posts the baseline', async () => {
    const replies = await h.run('watch add "mfa report"');
    assert.match(replies.at(-1)!.text, /Watch added/);
    const baseline = await h.tick();
    const users = [...h.dev.tenant.liveUsers()];
    assert.equal(users.length, TENANT_USER_COUNTS.large);
    const capable = users.filter((u) => hasMfa(u) && u.accountEnabled !== false).length;
    assert.match(baseline!.text, /Watching "mfa report" from now on/);
    assert.match(baseline!.text, new RegExp(`MFA: ${capable.toLocaleString('en-US')} of 50,000 users`));
    firstRunRequests = h.lastRun.length;
    assert.ok(paths().filter((p) => p.endsWith('/users/delta')).length >= 50, 'departments read as a delta round');
  });

  it('a re-run with no change costs ≤ 10% of the first run and posts nothing', async () => {
    assert.equal(await h.tick(), undefined, 'nothing changed: nothing posted');
    // Besides the runner's check that the watch's creator still holds their role (2 requests, every run):
    const reads = paths().filter((p) => !/\/users\/[0-9a-f-]{36}$|roleAssignmentScheduleInstances/.test(p));
    assert.equal(reads[0], '/v1.0/users/delta', 'one page of changes: none');
    const adminReads = h.lastRun.filter((e) => e.url.includes('userRegistrationDetails'));
    assert.equal(adminReads.length, reads.length - 1, 'then only the admins’ registration');
    assert.ok(
      adminReads.every((e) => /\$filter=isAdmin(%20|\+| )eq(%20|\+| )true/.test(e.url)),
      adminReads[0]?.url,
    );
    assert.ok(h.lastRun.length <= firstRunRequests / 10, `${h.lastRun.length} of ${firstRunRequests} requests`);
    console.log(`      first run: ${firstRunRequests} Graph requests; re-run with no change: ${h.lastRun.length}`);
  });

  it('a new admin without MFA is seen by the cheap re-run, and so is their registering MFA', async () => {
    const tenant = h.dev.tenant;
    const newcomer = [...tenant.liveUsers()].find((u) => u.userType === 'Member' && !hasMfa(u) && !holdsRole(u.id))!;
    tenant.roleAssignments.push({
      id: tenant.newId(),
      principalId: newcomer.id,
      roleDefinitionId: GA,
      directoryScopeId: '/',
      createdDateTime: tenant.nowIso(),
    });
    const card = await h.tick();
    assert.match(card!.text, new RegExp(`1 new admins without MFA: ${newcomer.userPrincipalName}`));
    assert.ok(h.lastRun.length <= firstRunRequests / 10);
    tenant.registerAuthenticator(newcomer.id, 'JBSWY3DPEHPK3PXP');
    const fixed = await h.tick();
    assert.match(fixed!.text, new RegExp(`1 no longer admins without MFA: ${newcomer.userPrincipalName}`));
    assert.ok(h.lastRun.length <= firstRunRequests / 10);
  });

  it('a user the delta reports (deleted) makes the run full, and the counts follow', async () => {
    const tenant = h.dev.tenant;
    const leaver = [...tenant.liveUsers()].find((u) => u.userType === 'Member' && !hasMfa(u) && !holdsRole(u.id))!;
    tenant.deleteUser(leaver);
    tenant.touchUser(leaver.id); // what the stand-in's DELETE /users/{id} records
    const card = await h.tick();
    assert.match(card!.text, /Users 50,000 → 49,999/);
    assert.match(card!.text, /Users without MFA [\d,]+ → [\d,]+/);
    assert.ok(h.lastRun.length >= firstRunRequests * 0.9, 'a full run');
    assert.equal(await h.tick(), undefined, 'the same state again: nothing posted');
    assert.ok(h.lastRun.length <= firstRunRequests / 10);
  });

  it('a deltaLink Graph no longer accepts makes the run full, and nothing is posted', async () => {
    h.dev.graph.faults.add({
      path: '/users/delta',
      first: 1,
      fault: { kind: 'error', status: 400, code: 'BadRequest', message: 'Badly formed token.' },
    });
    assert.equal(await h.tick([200, 400]), undefined);
    assert.equal(h.lastRun.filter((e) => e.status === 400).length, 1);
    assert.ok(h.lastRun.length >= firstRunRequests * 0.9, 'a full run');
    h.dev.graph.faults.clear();
    assert.equal(await h.tick(), undefined, 'and the next run is cheap again');
    assert.ok(h.lastRun.length <= firstRunRequests / 10);
  });

  it(`every ${FULL_EVERY}th run is full (registrations of non-admins have no delta in Graph)`, async () => {
    // Since the last full run: one cheap run above; FULL_EVERY - 2 more are cheap, the next is full.
    const costs: number[] = [];
    for (let i = 0; i < FULL_EVERY - 1; i++) {
      assert.equal(await h.tick(), undefined);
      costs.push(h.lastRun.length);
    }
    assert.ok(
      costs.slice(0, -1).every((n) => n <= firstRunRequests / 10),
      costs.join(','),
    );
    assert.ok(costs.at(-1)! >= firstRunRequests * 0.9, costs.join(','));
  });
});
