import assert from 'node:assert/strict';
import { CommandHarness, requestLine, assertDenied } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { ROLE } from '../../../devtenant/seed/index.js';
import { askSlow, batchedLines, cardCommands, roundTrips, upnWithRole } from './_graph.js';

describe('command: team add', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.teamsAdmin);
  });
  after(() => harness.close());

  const team = (name: string) => harness.dev.tenant.teams.find((t) => t.displayName === name)!;
  const group = (name: string) => harness.dev.tenant.groupById(team(name).id)!;

  it('resolves team and user in one $batch, then adds the member: two round trips, tenant changed', async () => {
    const admin = harness.dev.tenant.userByUpn(DEMO.admin)!;
    assert.ok(!group('Marketing Hub').memberIds.has(admin.id));
    const answer = await askSlow(harness, `team add "Marketing Hub" ${DEMO.admin}`);
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(roundTrips(answer).map(requestLine), [
      'POST /v1.0/$batch',
      `POST /v1.0/teams/${team('Marketing Hub').id}/members`,
    ]);
    assert.equal(roundTrips(answer)[1].status, 201);
    assert.deepEqual(batchedLines(answer), [
      "GET /v1.0/teams?$filter=displayName eq 'Marketing Hub'&$top=6&$select=id,displayName,description",
      "GET /v1.0/teams?$filter=startswith(displayName,'Marketing Hub')&$top=6&$select=id,displayName,description",
      `GET /v1.0/users('${DEMO.admin}')?$select=id,displayName,userPrincipalName,accountEnabled,userType`,
    ]);
    assert.ok(group('Marketing Hub').memberIds.has(admin.id), 'the tenant has the new member');
    assert.ok(!group('Marketing Hub').ownerIds.has(admin.id));
    assert.match(answer.text, /Added as member/);
    assert.match(answer.text, new RegExp(roundTrips(answer)[1].requestId), 'the write’s request-id');
    assert.ok(cardCommands(answer).includes(`team remove ${team('Marketing Hub').id} ${DEMO.admin}`));
  });

  it('adds an owner with --owner', async () => {
    const admin = harness.dev.tenant.userByUpn(DEMO.admin)!;
    const answer = await askSlow(harness, `team add "Engineering" "Adele Admin" --owner`);
    assert.deepEqual(answer.problems, []);
    assert.ok(group('Engineering').ownerIds.has(admin.id));
    assert.match(answer.text, /Added as owner/);
    assert.match(answer.text, /Role now\W+owner/);
  });

  it('shows Graph’s 404 for a blocked user clearly: says the account is blocked, keeps code and request-id', async () => {
    const blocked = [...harness.dev.tenant.liveUsers()].find((u) => !u.accountEnabled && u.userType === 'Member')!;
    const answer = await askSlow(harness, `team add "Marketing Hub" ${blocked.userPrincipalName}`);
    assert.deepEqual(answer.problems, []);
    const post = roundTrips(answer)[1];
    assert.equal(post.status, 404);
    assert.match(answer.text, /blocked from signing in/);
    assert.match(answer.text, /user unblock/);
    assert.match(answer.text, /NotFound/);
    assert.match(answer.text, new RegExp(post.requestId));
    assert.ok(!group('Marketing Hub').memberIds.has(blocked.id));
  });

  it('answers 403 for a Global Reader (may read teams, not change them) and changes nothing', async () => {
    const bob = harness.dev.tenant.userByUpn(DEMO.bob)!;
    const before = [...group('Support Desk').memberIds];
    harness.signIn(upnWithRole(harness.dev.tenant, ROLE.globalReader));
    try {
      const answer = await askSlow(harness, `team add ${team('Support Desk').id} ${DEMO.bob}`);
      assert.deepEqual(answer.problems, []);
      const post = roundTrips(answer)[1];
      assertDenied(answer, post);
      assert.deepEqual([...group('Support Desk').memberIds], before);
      assert.ok(before.includes(bob.id) || !group('Support Desk').memberIds.has(bob.id));
    } finally {
      harness.signIn(DEMO.teamsAdmin);
    }
  });

  it('needs both a team and a user (no Graph call)', async () => {
    const answer = await askSlow(harness, 'team add "Marketing Hub"');
    assert.match(answer.text, /<user> is required/);
    assert.equal(answer.graph.length, 0);
  });
});
