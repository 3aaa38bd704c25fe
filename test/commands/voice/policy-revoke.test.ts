import assert from 'node:assert/strict';
import { CommandHarness, requestLine } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { askSlow, batchedLines, cardCommands, roundTrips } from '../teams/_graph.js';

describe('command: policy revoke', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.teamsAdmin);
  });
  after(() => harness.close());

  const policy = (type: string, name: string) =>
    harness.dev.tenant.teamsPolicies.find((p) => p.policyType === type && p.name === name)!;
  const direct = (userId: string, type: string) =>
    harness.dev.tenant.teamsPolicyAssignments.find(
      (a) => a.userId === userId && a.policyType === type && a.assignmentType === 'direct',
    );

  it('reads user and policies in one $batch, then unassigns the direct policy (204): two round trips, tenant changed', async () => {
    const alice = harness.dev.tenant.userByUpn(DEMO.alice)!;
    assert.equal(
      direct(alice.id, 'TeamsMeetingPolicy')?.policyId,
      policy('TeamsMeetingPolicy', 'AllOn').policyId,
      'seed: Alice has AllOn directly',
    );
    const answer = await askSlow(harness, `policy revoke ${DEMO.alice} TeamsMeetingPolicy`);
    assert.deepEqual(answer.problems, []);
    const trips = roundTrips(answer);
    assert.deepEqual(trips.map(requestLine), [
      'POST /v1.0/$batch',
      'POST /v1.0/admin/teams/policy/userAssignments/unassign',
    ]);
    assert.deepEqual(batchedLines(answer), [
      `GET /v1.0/admin/teams/userConfigurations?$filter=userPrincipalName eq ` +
        `'${DEMO.alice}'&$select=id,effectivePolicyAssignments`,
      `GET /v1.0/users('${DEMO.alice}')?$select=id,displayName,userPrincipalName,accountEnabled,userType`,
    ]);
    assert.equal(trips[1].status, 204);
    assert.equal(direct(alice.id, 'TeamsMeetingPolicy'), undefined, 'the direct assignment is gone');
    assert.match(answer.text, /Direct policy removed/);
    assert.match(answer.text, /Removed\nAllOn · direct/);
    assert.match(answer.text, new RegExp(trips[1].requestId));
    assert.ok(
      cardCommands(answer).includes(`policy grant ${DEMO.alice} TeamsMeetingPolicy "AllOn"`),
      'undo grants it again',
    );
  });

  it('sends no write when the policy type is only inherited from a group', async () => {
    const answer = await askSlow(harness, `policy revoke ${DEMO.alice} TeamsMessagingPolicy`);
    assert.deepEqual(answer.problems, []);
    assert.equal(roundTrips(answer).length, 1);
    assert.match(answer.text, /No direct assignment/);
    assert.match(answer.text, /RestrictedAnonymousNoGiphy · from group/);
  });

  it('unassigns for a display name (policies not read first) and shows Graph’s 400 for an unknown type', async () => {
    const answer = await askSlow(harness, 'policy revoke "Alice Anders" TeamsBogusPolicy');
    assert.equal(roundTrips(answer)[1].status, 400);
    assert.match(answer.text, /BadRequest/);
    assert.match(answer.text, /request-id/);
  });

  it('answers 403 for a user administrator and sends no write', async () => {
    harness.signIn(DEMO.userAdmin);
    try {
      const answer = await askSlow(harness, `policy revoke ${DEMO.bob} TeamsMeetingPolicy`);
      assert.match(answer.text, /Authorization_RequestDenied/);
      assert.ok(answer.graph.every((g) => !g.url.includes('unassign')));
    } finally {
      harness.signIn(DEMO.teamsAdmin);
    }
  });

  it('needs a policy type (no Graph call)', async () => {
    const answer = await askSlow(harness, `policy revoke ${DEMO.alice}`);
    assert.match(answer.text, /<type> is required/);
    assert.equal(answer.graph.length, 0);
  });
});
