import assert from 'node:assert/strict';
import { CommandHarness, requestLine, requestParts, assertDenied } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { warmUp } from './_warm-up.js';

describe('command: user mfa', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.admin);
    await warmUp(harness);
  });
  after(() => harness.close());

  it('reads the registration report filtered by UPN in one round trip', async () => {
    const answer = await harness.ask(`user mfa ${DEMO.alice}`);
    assert.deepEqual(answer.problems, []);
    assert.equal(answer.graph.length, 1);
    assert.deepEqual(requestParts(answer.graph[0]), {
      method: 'GET',
      path: '/v1.0/reports/authenticationMethods/userRegistrationDetails',
      query: { $filter: `userPrincipalName eq '${DEMO.alice}'` },
    });
    assert.match(answer.text, /MFA registered/);
    assert.match(answer.text, /microsoftAuthenticatorPush/);
    assert.match(answer.text, /mobilePhone/);
    assert.match(answer.text, new RegExp(`user mfa reset ${DEMO.alice}`));
  });

  it('flags an admin without MFA', async () => {
    const answer = await harness.ask(`user mfa ${DEMO.helpdesk}`);
    assert.deepEqual(answer.problems, []);
    assert.match(answer.text, /Admin without MFA/);
    assert.equal(
      (answer.card.body as Array<{ columns?: Array<{ items: Array<{ color?: string }> }> }>)[0].columns?.[1].items[0]
        .color,
      'Attention',
    );
    assert.doesNotMatch(answer.text, /Reset MFA/);
  });

  it('reads the report entry by object id directly', async () => {
    const bob = harness.dev.tenant.userByUpn(DEMO.bob)!;
    const answer = await harness.ask(`user mfa ${bob.id}`);
    assert.deepEqual(answer.graph.map(requestLine), [
      `GET /v1.0/reports/authenticationMethods/userRegistrationDetails/${bob.id}`,
    ]);
    assert.match(answer.text, /No MFA/);
  });

  it('says so when the report has no such UPN (and escapes the quote)', async () => {
    const answer = await harness.ask(`user mfa "o'brien@contoso.onmicrosoft.com"`);
    assert.equal(
      requestParts(answer.graph[0]).query.$filter,
      "userPrincipalName eq 'o''brien@contoso.onmicrosoft.com'",
    );
    assert.match(answer.text, /has no user "o'brien@contoso.onmicrosoft.com"/);
  });

  it('reports 403 for an admin who may not read reports', async () => {
    const answer = await harness.askAs(DEMO.bob, `user mfa ${DEMO.alice}`);
    assertDenied(answer, answer.graph[0]);
  });

  it('needs a user, without calling Graph', async () => {
    const answer = await harness.ask('user mfa');
    assert.match(answer.text, /<user> is required/);
    assert.equal(answer.graph.length, 0);
  });
});
