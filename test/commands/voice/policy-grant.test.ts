import assert from 'node:assert/strict';
import { ROLE } from '../../../devtenant/seed/index.js';
import { CommandHarness, requestLine, assertDenied } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { askSlow, batchedLines, cardCommands, roundTrips, upnWithRole } from '../teams/_graph.js';

describe('command: policy grant', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.teamsAdmin);
  });
  after(() => harness.close());

  const direct = (userId: string, type: string) =>
    harness.dev.tenant.teamsPolicyAssignments.find(
      (a) => a.userId === userId && a.policyType === type && a.assignmentType === 'direct',
    );
  const policy = (type: string, name: string) =>
    harness.dev.tenant.teamsPolicies.find((p) => p.policyType === type && p.name === name)!;

  it('resolves the user and the policy id in ONE $batch, then assigns (204): two round trips, tenant changed', async () => {
    const alice = harness.dev.tenant.userByUpn(DEMO.alice)!;
    const allOff = policy('TeamsMeetingPolicy', 'AllOff');
    const answer = await askSlow(harness, `policy grant ${DEMO.alice} TeamsMeetingPolicy "AllOff"`);
    assert.deepEqual(answer.problems, []);
    const trips = roundTrips(answer);
    assert.deepEqual(trips.map(requestLine), [
      'POST /v1.0/$batch',
      'POST /v1.0/admin/teams/policy/userAssignments/assign',
    ]);
    assert.equal(trips[1].status, 204);
    assert.deepEqual(batchedLines(answer), [
      "GET /v1.0/admin/teams/policy/getPolicyId(type='TeamsMeetingPolicy',name='AllOff')",
      `GET /v1.0/admin/teams/userConfigurations?$filter=userPrincipalName eq ` +
        `'${DEMO.alice}'&$select=id,effectivePolicyAssignments`,
      `GET /v1.0/users('${DEMO.alice}')?$select=id,displayName,userPrincipalName,accountEnabled,userType`,
    ]);
    assert.equal(
      direct(alice.id, 'TeamsMeetingPolicy')?.policyId,
      allOff.policyId,
      'the tenant has the new assignment',
    );
    assert.match(answer.text, /Policy granted/);
    assert.match(answer.text, /Before\nAllOn · direct/);
    assert.match(answer.text, /Now\nAllOff · direct/);
    assert.match(answer.text, new RegExp(trips[1].requestId));
    assert.ok(
      cardCommands(answer).includes(`policy grant ${DEMO.alice} TeamsMeetingPolicy "AllOn"`),
      'undo restores the previous direct policy',
    );
  });

  it('sends no write when the user already has exactly that policy directly', async () => {
    const answer = await askSlow(harness, `policy grant ${DEMO.alice} TeamsMeetingPolicy AllOff`);
    assert.deepEqual(answer.problems, []);
    assert.equal(roundTrips(answer).length, 1);
    assert.match(answer.text, /Already granted/);
  });

  it('overrides a group assignment with a direct one for a user found by display name', async () => {
    const alice = harness.dev.tenant.userByUpn(DEMO.alice)!;
    const answer = await askSlow(harness, 'policy grant "Alice Anders" TeamsMessagingPolicy Default');
    assert.deepEqual(answer.problems, []);
    assert.equal(roundTrips(answer).length, 2);
    assert.equal(
      direct(alice.id, 'TeamsMessagingPolicy')?.policyId,
      policy('TeamsMessagingPolicy', 'Default').policyId,
    );
    assert.match(answer.text, /Before\nnot read/);
    assert.ok(cardCommands(answer).includes(`policy revoke ${DEMO.alice} TeamsMessagingPolicy`));
    const config = await askSlow(harness, `teams config ${DEMO.alice}`);
    assert.match(config.text, /TeamsMessagingPolicy\nDefault · direct/);
  });

  it('stops at an unknown policy name (Graph 404 from the batch) without assigning', async () => {
    const answer = await askSlow(harness, `policy grant ${DEMO.bob} TeamsMeetingPolicy "Nope"`);
    assert.match(answer.text, /NotFound/);
    assert.equal(roundTrips(answer).length, 1);
    assert.ok(answer.graph.every((g) => !g.url.includes('/assign')));
  });

  it('answers 403 for a Global Reader (can look up, cannot assign) and changes nothing', async () => {
    const bob = harness.dev.tenant.userByUpn(DEMO.bob)!;
    const before = direct(bob.id, 'TeamsCallingPolicy')?.policyId;
    harness.signIn(upnWithRole(harness.dev.tenant, ROLE.globalReader));
    try {
      const answer = await askSlow(harness, `policy grant ${DEMO.bob} TeamsCallingPolicy DisallowCalling`);
      const assign = roundTrips(answer)[1];
      assertDenied(answer, assign);
      assert.equal(direct(bob.id, 'TeamsCallingPolicy')?.policyId, before);
    } finally {
      harness.signIn(DEMO.teamsAdmin);
    }
  });

  it('needs a user, a type and a name (no Graph call)', async () => {
    const answer = await askSlow(harness, `policy grant ${DEMO.alice} TeamsMeetingPolicy`);
    assert.match(answer.text, /<name> is required/);
    assert.equal(answer.graph.length, 0);
  });
});
