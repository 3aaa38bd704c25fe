import assert from 'node:assert/strict';
import { CommandHarness, requestLine, assertDenied } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { warmUp } from '../mfa/_warm-up.js';

describe('command: user delete', () => {
  const harness = new CommandHarness();
  /** A generated member without an admin role, so any user-writing admin may delete it. */
  const victim = () =>
    [...harness.dev.tenant.liveUsers()].find(
      (u) =>
        u.userType === 'Member' &&
        !u.id.startsWith('a0000000') &&
        harness.dev.tenant.activeRoleTemplateIds(u.id).length === 0,
    )!;
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.admin);
    await warmUp(harness);
  });
  after(() => harness.close());

  it('is dangerous', () => {
    assert.equal(harness.registry.find('user delete')?.tier, 'dangerous');
  });

  it('reads and deletes in one $batch round trip; the user is gone from Graph', async () => {
    const target = victim();
    const answer = await harness.ask(`user delete ${target.userPrincipalName}`);
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.graph.filter((e) => !e.viaBatch).map(requestLine), ['POST /v1.0/$batch']);
    const del = answer.graph.find((e) => e.viaBatch && e.method === 'DELETE')!;
    assert.equal(requestLine(del), `DELETE /v1.0/users('${target.userPrincipalName}')`);
    assert.equal(del.status, 204);
    assert.ok(harness.dev.tenant.deletedUsers.has(target.id));
    assert.match(answer.text, /User deleted/);
    assert.match(answer.text, /30 days/);
    assert.match(answer.text, new RegExp(`request-id: ${del.requestId}`));
    const after = await harness.ask(`user ${target.userPrincipalName}`);
    assert.equal(after.graph[0].status, 404);
  });

  it('refuses to delete the signed-in admin, without calling Graph', async () => {
    for (const typed of [DEMO.admin, DEMO.admin.toUpperCase(), harness.dev.tenant.userByUpn(DEMO.admin)!.id]) {
      const answer = await harness.ask(`user delete ${typed}`);
      assert.match(answer.text, /cannot delete your own account/);
      assert.equal(answer.graph.length, 0);
    }
  });

  it('shows 403 with the request-id when the role may not delete users; the user stays', async () => {
    const target = victim();
    const answer = await harness.askAs(DEMO.helpdesk, `user delete ${target.userPrincipalName}`);
    const del = answer.graph.find((e) => e.viaBatch && e.method === 'DELETE')!;
    assertDenied(answer, del);
    assert.ok(!harness.dev.tenant.deletedUsers.has(target.id));
  });

  it('never deletes when the read fails (404: the dependent DELETE is not run)', async () => {
    const answer = await harness.ask('user delete nobody@contoso.onmicrosoft.com');
    assert.ok(!answer.graph.some((e) => e.method === 'DELETE'));
    assert.match(answer.text, /Request_ResourceNotFound/);
  });
});
