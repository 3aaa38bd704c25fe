import assert from 'node:assert/strict';
import { CommandHarness, requestLine, requestParts } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { askSlow, cardCommands, roundTrips } from './_graph.js';

describe('command: team remove', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.teamsAdmin);
  });
  after(() => harness.close());

  const team = (name: string) => harness.dev.tenant.teams.find((t) => t.displayName === name)!;
  const group = (name: string) => harness.dev.tenant.groupById(team(name).id)!;

  it('resolves in one $batch, finds the membership by user id, deletes it: three round trips, tenant changed', async () => {
    const bob = harness.dev.tenant.userByUpn(DEMO.bob)!;
    assert.ok(group('Project Phoenix').memberIds.has(bob.id), 'seed: Bob is in Project Phoenix');
    const answer = await askSlow(harness, `team remove "Project Phoenix" ${DEMO.bob}`);
    assert.deepEqual(answer.problems, []);
    const trips = roundTrips(answer);
    assert.equal(trips.length, 3);
    assert.equal(requestLine(trips[0]), 'POST /v1.0/$batch');
    assert.deepEqual(requestParts(trips[1]).query, {
      $filter: `(microsoft.graph.aadUserConversationMember/userId eq '${bob.id}')`,
      $select: 'id,roles',
    });
    assert.equal(trips[2].method, 'DELETE');
    assert.equal(trips[2].status, 204);
    assert.ok(!group('Project Phoenix').memberIds.has(bob.id), 'the tenant lost the member');
    assert.match(answer.text, /Removed from team/);
    assert.match(answer.text, /Was\W+member/);
    assert.match(answer.text, new RegExp(trips[2].requestId));
    assert.ok(cardCommands(answer).includes(`team add ${team('Project Phoenix').id} ${DEMO.bob}`), 'an undo action');
  });

  it('removes an owner and offers to add them back as owner', async () => {
    const tom = harness.dev.tenant.userByUpn(DEMO.teamsAdmin)!;
    assert.ok(group('Sales EMEA').ownerIds.has(tom.id), 'seed: Tom owns Sales EMEA');
    const answer = await askSlow(harness, `team remove "Sales EMEA" "Tom Teams"`);
    assert.deepEqual(answer.problems, []);
    assert.ok(!group('Sales EMEA').ownerIds.has(tom.id));
    assert.match(answer.text, /Was\W+owner/);
    assert.ok(cardCommands(answer).includes(`team add ${team('Sales EMEA').id} ${DEMO.teamsAdmin} --owner`));
  });

  it('says the user is not a member, without a DELETE', async () => {
    const answer = await askSlow(harness, `team remove "Leadership" ${DEMO.alice}`);
    assert.match(answer.text, /is not a member of Leadership; nothing was changed/);
    assert.equal(roundTrips(answer).length, 2);
    assert.ok(answer.graph.every((g) => g.method !== 'DELETE'));
  });

  it('answers 403 for a user administrator, with the Graph code and request-id', async () => {
    harness.signIn(DEMO.userAdmin);
    try {
      const answer = await askSlow(harness, `team remove "Project Phoenix" ${DEMO.alice}`);
      assert.match(answer.text, /Authorization_RequestDenied/);
      assert.match(answer.text, /request-id/);
      assert.ok(answer.graph.every((g) => g.method !== 'DELETE'));
    } finally {
      harness.signIn(DEMO.teamsAdmin);
    }
  });

  it('answers an unknown user with Graph’s 404 and changes nothing', async () => {
    const answer = await askSlow(harness, 'team remove "Project Phoenix" nobody@contoso.onmicrosoft.com');
    assert.match(answer.text, /Request_ResourceNotFound/);
    assert.equal(roundTrips(answer).length, 1);
  });
});
