import assert from 'node:assert/strict';
import { CommandHarness, requestLine, requestParts, assertDenied } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { askSlow, cardCommands, roundTrips } from './_graph.js';

describe('command: teams', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.teamsAdmin);
  });
  after(() => harness.close());

  it('lists one page with its total, then reads the page’s archive state in one $batch: two round trips', async () => {
    const answer = await askSlow(harness, 'teams');
    assert.deepEqual(answer.problems, []);
    const trips = roundTrips(answer);
    assert.equal(trips.length, 2);
    assert.deepEqual(requestParts(trips[0]), {
      method: 'GET',
      path: '/v1.0/teams',
      query: { $select: 'id,displayName,description', $top: '20', $count: 'true' },
    });
    assert.equal(requestLine(trips[1]), 'POST /v1.0/$batch');
    const teams = harness.dev.tenant.teams;
    const batched = answer.graph.filter((g) => g.viaBatch);
    assert.equal(batched.length, Math.min(20, teams.length), 'one GET /teams/{id} per row');
    assert.ok(
      batched.every((g) => /^GET \/v1.0\/teams\/[0-9a-f-]+\?\$select=id,isArchived,visibility$/.test(requestLine(g))),
    );
    assert.match(answer.text, new RegExp(`${Math.min(20, teams.length)} of ${teams.length} teams · page 1`));
    assert.match(answer.text, /Project Phoenix/);
    assert.match(answer.text, /Archived/, 'the archived demo team is marked');
    const phoenix = teams.find((t) => t.displayName === 'Project Phoenix')!;
    assert.ok(cardCommands(answer).includes(`team ${phoenix.id}`), 'each row opens the team by id');
  });

  it('filters by name prefix on the server, escaping the typed text', async () => {
    const answer = await askSlow(harness, `teams "Sales"`);
    assert.equal(requestParts(answer.graph[0]).query.$filter, "startswith(displayName,'Sales')");
    assert.match(answer.text, /Sales EMEA/);
    assert.doesNotMatch(answer.text, /Project Phoenix/);
    const quoted = await askSlow(harness, `teams "o'neil"`);
    assert.equal(requestParts(quoted.graph[0]).query.$filter, "startswith(displayName,'o''neil')");
    assert.equal(quoted.graph[0].status, 200);
    assert.match(quoted.text, /No team's name starts with "o'neil"/);
  });

  it('offers no More action when the page holds every team, and refuses a cursor that is not its own', async () => {
    assert.ok(harness.dev.tenant.teams.length <= 20, 'the demo tenant fits one page');
    const first = await askSlow(harness, 'teams');
    assert.equal(
      cardCommands(first).find((c) => c.includes('--cursor')),
      undefined,
    );
    const forged = await askSlow(harness, 'teams --cursor AAAAAAAAAAAAAAAAAAAAAAAA');
    assert.match(forged.text, /expired/);
    assert.equal(forged.graph.length, 0);
  });

  it('answers 403 with the Graph code and request-id for an admin whose role cannot read teams', async () => {
    harness.signIn(DEMO.userAdmin);
    try {
      const answer = await askSlow(harness, 'teams');
      assert.deepEqual(answer.problems, []);
      assertDenied(answer, answer.graph[0]);
    } finally {
      harness.signIn(DEMO.teamsAdmin);
    }
  });
});
