import assert from 'node:assert/strict';
import { CommandHarness, requestLine, assertDenied } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { warmUp } from './_warm-up.js';

describe('command: user methods', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.admin);
    await warmUp(harness);
  });
  after(() => harness.close());

  it("lists a UPN's methods in one round trip, by type", async () => {
    const answer = await harness.ask(`user methods ${DEMO.alice}`);
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.graph.map(requestLine), [`GET /v1.0/users('${DEMO.alice}')/authentication/methods`]);
    assert.match(answer.text, /Password/);
    assert.match(answer.text, /Microsoft Authenticator/);
    assert.match(answer.text, /Phone/);
    // The stand-in drops derived-type properties (phoneNumber, displayName) from this polymorphic list, so the
    // rows are checked by type; the detail then falls back to the creation time or the method id.
    const count = harness.dev.tenant.userByUpn(DEMO.alice)!.authMethods.length;
    assert.match(answer.text, new RegExp(`${count} methods · page 1`));
  });

  it('says when a user has no MFA method', async () => {
    const answer = await harness.ask(`user methods ${DEMO.bob}`);
    assert.match(answer.text, /no MFA method/);
  });

  it('resolves a display name first', async () => {
    const alice = harness.dev.tenant.userByUpn(DEMO.alice)!;
    const answer = await harness.ask(`user methods "${alice.displayName}"`);
    assert.equal(answer.graph.length, 2);
    assert.equal(requestLine(answer.graph[1]), `GET /v1.0/users/${alice.id}/authentication/methods`);
  });

  it('reports 403 for a Teams admin (not an authentication-methods reader)', async () => {
    const answer = await harness.askAs(DEMO.teamsAdmin, `user methods ${DEMO.alice}`);
    assertDenied(answer, answer.graph[0]);
  });

  it('reports an unknown user with 404', async () => {
    const answer = await harness.ask('user methods nobody@contoso.onmicrosoft.com');
    assert.equal(answer.graph[0].status, 404);
    assert.match(answer.text, /Request_ResourceNotFound/);
  });
});
