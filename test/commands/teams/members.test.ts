import assert from 'node:assert/strict';
import { CommandHarness, requestLine, requestParts } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { addTestTeam, askSlow, cardCommands, roundTrips } from './_graph.js';

describe('command: team members', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.teamsAdmin);
  });
  after(() => harness.close());

  const phoenix = () => harness.dev.tenant.teams.find((t) => t.displayName === 'Project Phoenix')!;

  it('resolves the team (one $batch) and lists its members with roles (one GET): two round trips', async () => {
    const answer = await askSlow(harness, 'team members "Project Phoenix"');
    assert.deepEqual(answer.problems, []);
    const trips = roundTrips(answer);
    assert.equal(trips.length, 2);
    assert.deepEqual(requestParts(trips[1]), {
      method: 'GET',
      path: `/v1.0/teams/${phoenix().id}/members`,
      query: { $select: 'id,displayName,email,userId,roles', $top: '25' },
    });
    const group = harness.dev.tenant.groupById(phoenix().id)!;
    const everyone = new Set([...group.memberIds, ...group.ownerIds]);
    assert.match(answer.text, new RegExp(`${everyone.size} members · page 1`));
    assert.match(answer.text, /Owner/);
    assert.match(answer.text, /Tom Teams/);
  });

  it('lists only owners with --owners, filtering on the server', async () => {
    const answer = await askSlow(harness, `team members ${phoenix().id} --owners`);
    assert.equal(roundTrips(answer).length, 2);
    assert.equal(requestParts(answer.graph[1]).query.$filter, "roles/any(r:r eq 'owner')");
    assert.match(answer.text, /Owners of Project Phoenix/);
    assert.match(answer.text, /Tom Teams/);
    assert.doesNotMatch(answer.text, /Alice Anders/);
  });

  it('pages a big team 25 at a time; More reads the next page in one round trip without resolving again', async () => {
    const users = [...harness.dev.tenant.liveUsers()].slice(0, 60).map((u) => u.id);
    addTestTeam(harness.dev.tenant, 'Crowd', users);
    const first = await askSlow(harness, 'team members Crowd');
    assert.deepEqual(first.problems, [], 'a full page stays within the card size limit');
    assert.match(first.text, /25 members · page 1 · more available/);
    const more = cardCommands(first).find((c) => c.includes('--cursor'));
    assert.ok(more);
    const second = await askSlow(harness, more);
    assert.equal(second.graph.length, 1);
    assert.match(requestLine(second.graph[0]), /\/members\?/);
    assert.match(second.text, /Members of Crowd/);
    assert.match(second.text, /25 members · page 2/);
  });

  it('says a team has no owner', async () => {
    const answer = await askSlow(harness, 'team members Leadership --owners');
    assert.deepEqual(answer.problems, []);
    assert.match(answer.text, /Leadership has no owner/);
  });

  it('answers 403 for an admin whose role cannot read teams', async () => {
    harness.signIn(DEMO.helpdesk);
    try {
      const answer = await askSlow(harness, 'team members "Project Phoenix"');
      assert.match(answer.text, /Authorization_RequestDenied/);
      assert.match(answer.text, /request-id/);
    } finally {
      harness.signIn(DEMO.teamsAdmin);
    }
  });

  it('refuses an unknown option without calling Graph', async () => {
    const answer = await askSlow(harness, 'team members "Project Phoenix" --guests');
    assert.match(answer.text, /Unknown option --guests/);
    assert.equal(answer.graph.length, 0);
  });
});
