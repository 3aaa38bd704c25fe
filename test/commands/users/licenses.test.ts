import assert from 'node:assert/strict';
import { CommandHarness, requestLine, assertDenied } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { warmUp } from '../mfa/_warm-up.js';

describe('command: user licenses', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.admin);
    await warmUp(harness);
  });
  after(() => harness.close());

  it('lists the SKUs of a UPN in one round trip, selecting what the card shows', async () => {
    const answer = await harness.ask(`user licenses ${DEMO.teamsAdmin}`);
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.graph.map(requestLine), [
      `GET /v1.0/users('${DEMO.teamsAdmin}')/licenseDetails?$select=skuId,skuPartNumber,servicePlans`,
    ]);
    assert.match(answer.text, /ENTERPRISEPREMIUM/);
    assert.match(answer.text, /MCOEV/);
    assert.match(answer.text, /2 licences · page 1/);
  });

  it('shows switched-off service plans', async () => {
    const alice = harness.dev.tenant.userByUpn(DEMO.alice)!;
    const teamsPlan = '57ff2da0-773e-42df-b2af-ffb7a2317929';
    const saved = alice.assignedLicenses;
    alice.assignedLicenses = saved.map((l) => ({ ...l, disabledPlans: [teamsPlan] }));
    try {
      const answer = await harness.ask(`user licenses ${DEMO.alice}`);
      assert.match(answer.text, /off: TEAMS1/);
      assert.match(answer.text, /Some plans off/);
    } finally {
      alice.assignedLicenses = saved;
    }
  });

  it('resolves a display name first, then reads by object id', async () => {
    const alice = harness.dev.tenant.userByUpn(DEMO.alice)!;
    const answer = await harness.ask(`user licenses "${alice.displayName}"`);
    assert.equal(answer.graph.length, 2);
    assert.match(requestLine(answer.graph[0]), /\$filter=startswith\(displayName,'Alice Anders'\)/);
    assert.equal(
      requestLine(answer.graph[1]),
      `GET /v1.0/users/${alice.id}/licenseDetails?$select=skuId,skuPartNumber,servicePlans`,
    );
    assert.match(answer.text, new RegExp(`Licences of ${DEMO.alice}`));
  });

  it('reports an unknown user with Graph code and request-id', async () => {
    const answer = await harness.ask('user licenses nobody@contoso.onmicrosoft.com');
    assert.deepEqual(answer.problems, []);
    assert.equal(answer.graph[0].status, 404);
    assert.match(answer.text, /Request_ResourceNotFound/);
    assert.match(answer.text, new RegExp(answer.graph[0].requestId));
  });

  it('reports 403 when the signed-in admin has no directory-reading role', async () => {
    const answer = await harness.askAs(DEMO.bob, `user licenses ${DEMO.alice}`);
    assertDenied(answer, answer.graph[0]);
  });

  it('needs a user, without calling Graph', async () => {
    const answer = await harness.ask('user licenses');
    assert.match(answer.text, /<user> is required/);
    assert.equal(answer.graph.length, 0);
  });
});
