import assert from 'node:assert/strict';
import { CommandHarness, requestLine } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { askSlow, cardCommands, roundTrips } from '../teams/_graph.js';

describe('command: policy revoke', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.teamsAdmin);
  });
  after(() => harness.close());

  const direct = (userId: string, type: string) =>
    harness.dev.tenant.teamsPolicyAssignments.find((a) => a.userId === userId && a.policyType === type && a.assignmentType === 'direct');

  it('resolves the user, then unassigns the direct policy (204): two round trips, tenant changed', async () => {
    const alice = harness.dev.tenant.userByUpn(DEMO.alice)!;
    assert.ok(direct(alice.id, 'TeamsMeetingPolicy'), 'seed: Alice has a direct meeting policy');
    const answer = await askSlow(harness, `policy revoke ${DEMO.alice} TeamsMeetingPolicy`);
    assert.deepEqual(answer.problems, []);
    const trips = roundTrips(answer);
    assert.deepEqual(trips.map(requestLine), [
      `GET /v1.0/users('${DEMO.alice}')?$select=id,displayName,userPrincipalName,accountEnabled,userType`,
      'POST /v1.0/admin/teams/policy/userAssignments/unassign',
    ]);
    assert.equal(trips[1].status, 204);
    assert.equal(direct(alice.id, 'TeamsMeetingPolicy'), undefined, 'the direct assignment is gone');
    assert.match(answer.text, /Direct policy removed/);
    assert.match(answer.text, new RegExp(trips[1].requestId));
    assert.ok(cardCommands(answer).includes(`teams config ${DEMO.alice}`));
  });

  it('shows Graph’s 400 for an unknown policy type', async () => {
    const answer = await askSlow(harness, `policy revoke ${DEMO.alice} TeamsBogusPolicy`);
    assert.equal(roundTrips(answer)[1].status, 400);
    assert.match(answer.text, /BadRequest/);
    assert.match(answer.text, /request-id/);
  });

  it('answers 403 for a user administrator', async () => {
    harness.signIn(DEMO.userAdmin);
    try {
      const answer = await askSlow(harness, `policy revoke ${DEMO.bob} TeamsMeetingPolicy`);
      assert.equal(roundTrips(answer)[1].status, 403);
      assert.match(answer.text, /Authorization_RequestDenied/);
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
