import assert from 'node:assert/strict';
import { CommandHarness, requestLine, assertDenied } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { warmUp } from '../mfa/_warm-up.js';

describe('command: user revoke', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.admin);
    await warmUp(harness);
  });
  after(() => harness.close());

  it('reads the user and revokes in one $batch round trip; the tenant records the revocation', async () => {
    const alice = harness.dev.tenant.userByUpn(DEMO.alice)!;
    const before = Date.parse(alice.signInSessionsValidFromDateTime!);
    const answer = await harness.ask(`user revoke ${DEMO.alice}`);
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.graph.filter((e) => !e.viaBatch).map(requestLine), ['POST /v1.0/$batch']);
    const inner = answer.graph.filter((e) => e.viaBatch);
    assert.deepEqual(
      inner.map(requestLine).sort(),
      [
        `GET /v1.0/users('${DEMO.alice}')?$select=id,displayName,userPrincipalName,accountEnabled,userType`,
        `POST /v1.0/users('${DEMO.alice}')/revokeSignInSessions`,
      ].sort(),
    );
    const revoke = inner.find((e) => e.method === 'POST')!;
    assert.equal(revoke.status, 200);
    assert.ok(Date.parse(alice.signInSessionsValidFromDateTime!) > before);
    assert.match(answer.text, /Sessions revoked/);
    assert.match(answer.text, new RegExp(`request-id: ${revoke.requestId}`));
  });

  it('resolves a display name, then revokes by object id', async () => {
    const alice = harness.dev.tenant.userByUpn(DEMO.alice)!;
    const answer = await harness.ask(`user revoke "${alice.displayName}"`);
    assert.equal(answer.graph.filter((e) => !e.viaBatch).length, 2);
    assert.ok(answer.graph.some((e) => requestLine(e) === `POST /v1.0/users/${alice.id}/revokeSignInSessions`));
  });

  it('does not revoke for a user Graph did not find (404, the dependent step is skipped)', async () => {
    const answer = await harness.ask('user revoke nobody@contoso.onmicrosoft.com');
    const read = answer.graph.find((e) => e.viaBatch && e.method === 'GET')!;
    assert.equal(read.status, 404);
    assert.ok(!answer.graph.some((e) => e.viaBatch && e.method === 'POST'), 'the revoke never ran');
    assert.match(answer.text, /Request_ResourceNotFound/);
    assert.match(answer.text, new RegExp(read.requestId));
  });

  it('shows 403 with the request-id when the role may not revoke sessions', async () => {
    const answer = await harness.askAs(DEMO.teamsAdmin, `user revoke ${DEMO.bob}`);
    const revoke = answer.graph.find((e) => e.viaBatch && e.method === 'POST')!;
    assertDenied(answer, revoke);
  });

  it('needs a user, without calling Graph', async () => {
    const answer = await harness.ask('user revoke');
    assert.match(answer.text, /<user> is required/);
    assert.equal(answer.graph.length, 0);
  });
});
