import assert from 'node:assert/strict';
import { CommandHarness, requestLine } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { askSlow, addTestTeam, batchedLines, cardCommands, roundTrips } from './_graph.js';

const FIELDS = 'id,displayName,description,visibility,isArchived,webUrl,createdDateTime,summary';

describe('command: team', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.teamsAdmin);
    // The seed has one team per name; these make the exact-versus-prefix and ambiguous cases real.
    addTestTeam(harness.dev.tenant, 'Engineering Alpha');
    addTestTeam(harness.dev.tenant, 'Engineering Beta');
    addTestTeam(harness.dev.tenant, 'Twin');
    addTestTeam(harness.dev.tenant, 'Twin');
  });
  after(() => harness.close());

  it('resolves a name with an exact and a prefix query in ONE $batch, then reads the team: two round trips', async () => {
    const team = harness.dev.tenant.teams.find((t) => t.displayName === 'Sales EMEA')!;
    const answer = await askSlow(harness, 'team "Sales EMEA"');
    assert.deepEqual(answer.problems, []);
    // GET /teams fills in only id, displayName and description, so state and counts need GET /teams/{id}.
    assert.deepEqual(roundTrips(answer).map(requestLine), [
      'POST /v1.0/$batch',
      `GET /v1.0/teams/${team.id}?$select=${FIELDS}`,
    ]);
    assert.deepEqual(batchedLines(answer), [
      "GET /v1.0/teams?$filter=displayName eq 'Sales EMEA'&$top=6&$select=id,displayName,description",
      "GET /v1.0/teams?$filter=startswith(displayName,'Sales EMEA')&$top=6&$select=id,displayName,description",
    ]);
    const group = harness.dev.tenant.groupById(team.id)!;
    assert.match(answer.text, /Sales EMEA/);
    assert.match(answer.text, /Active/);
    assert.match(answer.text, new RegExp(`Owners\\W+${group.ownerIds.size}`));
    assert.ok(cardCommands(answer).includes(`team members ${team.id}`));
    assert.ok(cardCommands(answer).includes(`team archive ${team.id}`));
  });

  it('reads a team id directly (one GET, no batch) and shows an archived team with Unarchive', async () => {
    const archived = harness.dev.tenant.teams.find((t) => t.isArchived)!;
    const answer = await askSlow(harness, `team ${archived.id}`);
    assert.deepEqual(answer.graph.map(requestLine), [`GET /v1.0/teams/${archived.id}?$select=${FIELDS}`]);
    assert.match(answer.text, /Archived/);
    assert.ok(cardCommands(answer).includes(`team unarchive ${archived.id}`));
  });

  it('lets the exact name win over longer names that share its prefix', async () => {
    const exact = harness.dev.tenant.teams.find((t) => t.displayName === 'Engineering')!;
    const answer = await askSlow(harness, 'team Engineering');
    assert.deepEqual(answer.problems, []);
    assert.match(answer.text, new RegExp(exact.id));
  });

  it('offers a choice card of team ids when only prefixes match several teams', async () => {
    const answer = await askSlow(harness, 'team Engin');
    assert.deepEqual(answer.problems, []);
    assert.match(answer.text, /Which one did you mean\?/);
    const choices = JSON.stringify(answer.card.actions);
    for (const t of harness.dev.tenant.teams.filter((x) => x.displayName.startsWith('Engin')))
      assert.ok(choices.includes(t.id));
  });

  it('offers a choice card when two teams have exactly the typed name', async () => {
    const answer = await askSlow(harness, 'team Twin');
    assert.match(answer.text, /Which one did you mean\?/);
    const twins = harness.dev.tenant.teams.filter((t) => t.displayName === 'Twin');
    assert.equal(twins.length, 2);
    for (const t of twins) assert.match(JSON.stringify(answer.card.actions), new RegExp(`team \\\\"${t.id}\\\\"`));
  });

  it('says plainly when no team has the name', async () => {
    const answer = await askSlow(harness, 'team "No Such Team"');
    assert.match(answer.text, /No team's name starts with "No Such Team"/);
    assert.equal(roundTrips(answer).length, 1);
  });

  it('answers an unknown team id with Graph 404 code and request-id', async () => {
    const answer = await askSlow(harness, 'team 00000000-0000-4000-8000-0000000000ff');
    assert.equal(answer.graph[0].status, 404);
    assert.match(answer.text, /NotFound/);
    assert.match(answer.text, new RegExp(answer.graph[0].requestId));
  });

  it('reports a 403 from inside the batch with that step’s code and request-id', async () => {
    harness.signIn(DEMO.userAdmin);
    try {
      const answer = await askSlow(harness, 'team "Sales EMEA"');
      const failed = answer.graph.filter((g) => g.viaBatch && g.status === 403);
      assert.equal(failed.length, 2);
      assert.match(answer.text, /Authorization_RequestDenied/);
      assert.ok(
        failed.some((g) => answer.text.includes(g.requestId)),
        'the request-id of the failed step',
      );
    } finally {
      harness.signIn(DEMO.teamsAdmin);
    }
  });

  it('gives a usage card for a missing team, without calling Graph', async () => {
    const answer = await askSlow(harness, 'team');
    assert.match(answer.text, /<team> is required/);
    assert.equal(answer.graph.length, 0);
  });
});
