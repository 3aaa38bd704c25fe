import assert from 'node:assert/strict';
import { CommandHarness, requestLine } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { warmUp } from '../mfa/_warm-up.js';

describe('command: user lastsignin', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.admin);
    await warmUp(harness);
  });
  after(() => harness.close());

  it('reads signInActivity with $select in one round trip', async () => {
    const alice = harness.dev.tenant.userByUpn(DEMO.alice)!;
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000 - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    alice.signInActivity = {
      ...alice.signInActivity!,
      lastSignInDateTime: twoDaysAgo,
      lastNonInteractiveSignInDateTime: twoDaysAgo,
    };
    const answer = await harness.ask(`user lastsignin ${DEMO.alice}`);
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.graph.map(requestLine), [
      `GET ` +
        `/v1.0/users('${DEMO.alice}')?$select=id,displayName,userPrincipalName,accountEnabled,userType,signInActivity`,
    ]);
    assert.match(answer.text, /Last sign-in 2 days ago/);
    assert.match(answer.text, new RegExp(twoDaysAgo.slice(0, 16).replace('T', ' ')));
    assert.match(answer.text, /Recent sign-ins/);
  });

  it('flags a user with no recorded sign-in', async () => {
    const bob = harness.dev.tenant.userByUpn(DEMO.bob)!;
    const saved = bob.signInActivity;
    bob.signInActivity = null as never;
    try {
      const answer = await harness.ask(`user lastsignin ${DEMO.bob}`);
      assert.deepEqual(answer.problems, []);
      assert.match(answer.text, /No sign-in recorded/);
      assert.match(answer.text, /P1\/P2/);
    } finally {
      bob.signInActivity = saved;
    }
  });

  it('reports an unknown user with Graph code and request-id', async () => {
    const answer = await harness.ask('user lastsignin nobody@contoso.onmicrosoft.com');
    assert.equal(answer.graph[0].status, 404);
    assert.match(answer.text, /Request_ResourceNotFound/);
    assert.match(answer.text, new RegExp(answer.graph[0].requestId));
  });

  it('rejects an extra argument without calling Graph', async () => {
    const answer = await harness.ask(`user lastsignin ${DEMO.alice} extra`);
    assert.match(answer.text, /Unexpected argument "extra"/);
    assert.equal(answer.graph.length, 0);
  });
});
