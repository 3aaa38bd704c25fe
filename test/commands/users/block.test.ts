import assert from 'node:assert/strict';
import { CommandHarness, requestLine, assertDenied } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { warmUp } from '../mfa/_warm-up.js';

describe('commands: user block / user unblock / admin block / admin unblock', () => {
  const harness = new CommandHarness();
  const user = (upn: string) => harness.dev.tenant.userByUpn(upn)!;
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.admin);
    await warmUp(harness);
  });
  after(() => harness.close());

  it('blocks a user: read, role check, PATCH accountEnabled; the tenant changes; the card has the request-id', async () => {
    const alice = user(DEMO.alice);
    const answer = await harness.ask(`user block ${DEMO.alice}`);
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.graph.map(requestLine), [
      `GET /v1.0/users('${DEMO.alice}')?$select=id,displayName,userPrincipalName,accountEnabled,userType`,
      `GET /v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq ` +
        `'${alice.id}'&$expand=roleDefinition($select=displayName)`,
      `PATCH /v1.0/users/${alice.id}`,
    ]);
    assert.equal(answer.graph[2].status, 204);
    assert.equal(alice.accountEnabled, false);
    assert.match(answer.text, /Sign-in blocked/);
    assert.match(answer.text, /accountEnabled: true → false/);
    assert.match(answer.text, new RegExp(`request-id: ${answer.graph[2].requestId}`));
    assert.match(answer.text, new RegExp(`user revoke ${DEMO.alice}`));
  });

  it('does not write when the user is already blocked', async () => {
    const answer = await harness.ask(`user block ${DEMO.alice}`);
    assert.match(answer.text, /Already blocked/);
    assert.ok(answer.graph.every((e) => e.method === 'GET'));
  });

  it('unblocks', async () => {
    const answer = await harness.ask(`user unblock ${DEMO.alice}`);
    assert.deepEqual(answer.problems, []);
    assert.equal(answer.graph.at(-1)?.method, 'PATCH');
    assert.equal(user(DEMO.alice).accountEnabled, true);
    assert.match(answer.text, /Sign-in unblocked/);
  });

  it('refuses to block an admin at write tier, naming the roles and the dangerous command', async () => {
    const answer = await harness.ask(`user block ${DEMO.helpdesk}`);
    assert.deepEqual(answer.problems, []);
    assert.ok(
      answer.graph.every((e) => e.method === 'GET'),
      'nothing written',
    );
    assert.equal(user(DEMO.helpdesk).accountEnabled, true);
    assert.match(answer.text, /Nothing changed/);
    assert.match(answer.text, /Authentication Administrator/);
    assert.match(answer.text, new RegExp(`admin block ${DEMO.helpdesk}`));
  });

  it('admin block is dangerous, skips the role check and blocks an admin; admin unblock restores', async () => {
    const registry = harness.registry;
    assert.equal(registry.find('admin block')?.tier, 'dangerous');
    assert.equal(registry.find('admin unblock')?.tier, 'dangerous');
    assert.equal(registry.find('user block')?.tier, 'write');
    const helpdesk = user(DEMO.helpdesk);
    const blocked = await harness.ask(`admin block ${DEMO.helpdesk}`);
    assert.deepEqual(
      blocked.graph.map((e) => e.method),
      ['GET', 'PATCH'],
    );
    assert.equal(helpdesk.accountEnabled, false);
    const unblocked = await harness.ask(`admin unblock ${DEMO.helpdesk}`);
    assert.equal(unblocked.graph.at(-1)?.status, 204);
    assert.equal(helpdesk.accountEnabled, true);
  });

  it('refuses to block the signed-in admin', async () => {
    const answer = await harness.ask(`admin block ${DEMO.admin}`);
    assert.match(answer.text, /lock yourself out/);
    assert.ok(answer.graph.every((e) => e.method === 'GET'));
    assert.equal(user(DEMO.admin).accountEnabled, true);
  });

  it('shows Graph 403 with request-id when the admin role may not block users', async () => {
    const answer = await harness.askAs(DEMO.teamsAdmin, `user block ${DEMO.bob}`);
    const patch = answer.graph.at(-1)!;
    assert.equal(patch.method, 'PATCH');
    assertDenied(answer, patch);
    assert.equal(user(DEMO.bob).accountEnabled, true);
  });

  it('answers an unknown user with 404 and sends no write', async () => {
    const answer = await harness.ask('user block nobody@contoso.onmicrosoft.com');
    assert.equal(answer.graph.length, 1);
    assert.equal(answer.graph[0].status, 404);
    assert.match(answer.text, /Request_ResourceNotFound/);
  });

  it('needs a user, without calling Graph', async () => {
    const answer = await harness.ask('user unblock');
    assert.match(answer.text, /<user> is required/);
    assert.equal(answer.graph.length, 0);
  });
});
