import assert from 'node:assert/strict';
import { OPERATION_TIMING } from '../../../devtenant/graph/routes/teams-operations.js';
import { CommandHarness, requestLine } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { askSlow, cardCommands, roundTrips } from './_graph.js';

describe('command: team archive / team unarchive', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.teamsAdmin);
  });
  after(() => harness.close());

  const team = (name: string) => harness.dev.tenant.teams.find((t) => t.displayName === name)!;

  it('archives: POST archive (202 + Location), polls the teamsAsyncOperation until it succeeds, tenant changed', async () => {
    const marketing = team('Marketing Hub');
    assert.equal(marketing.isArchived, false);
    const answer = await askSlow(harness, 'team archive "Marketing Hub" --readonly-site');
    assert.deepEqual(answer.problems, []);
    const trips = roundTrips(answer);
    assert.equal(requestLine(trips[0]), 'POST /v1.0/$batch');
    assert.equal(requestLine(trips[1]), `POST /v1.0/teams/${marketing.id}/archive`);
    assert.equal(trips[1].status, 202);
    const polls = trips.slice(2);
    assert.ok(polls.length >= 1 && polls.length <= 4, `bounded polling, got ${polls.length}`);
    for (const poll of polls)
      assert.match(
        requestLine(poll),
        new RegExp(`^GET /v1.0/teams\\('${marketing.id}'\\)/operations\\('[0-9a-f-]+'\\)$`),
      );
    assert.equal(team('Marketing Hub').isArchived, true);
    const op = [...harness.dev.tenant.asyncOperations.values()].find(
      (o) => o.targetResourceId === marketing.id && o.kind === 'archiveTeam',
    )!;
    assert.equal(op.details.shouldSetSpoSiteReadOnlyForMembers, true, '--readonly-site reached Graph');
    assert.match(answer.text, /Team archived/);
    assert.match(answer.text, /succeeded/);
    assert.match(answer.text, new RegExp(trips[1].requestId));
    assert.ok(cardCommands(answer).includes(`team unarchive ${marketing.id}`));
  });

  it('unarchives the same way', async () => {
    const answer = await askSlow(harness, `team unarchive ${team('Marketing Hub').id}`);
    assert.deepEqual(answer.problems, []);
    assert.equal(roundTrips(answer)[0].method, 'GET', 'a team id needs no batch');
    assert.equal(team('Marketing Hub').isArchived, false);
    assert.match(answer.text, /Team unarchived/);
  });

  it('says "still running" with how to check when the operation outlasts the polling budget', async () => {
    const saved = { ...OPERATION_TIMING };
    OPERATION_TIMING.startAfterMs = 10;
    OPERATION_TIMING.completeAfterMs = 60_000;
    try {
      const answer = await askSlow(harness, 'team archive "Finance Close"');
      assert.deepEqual(answer.problems, []);
      assert.equal(roundTrips(answer).length, 2 + 4, 'lookup, POST, then exactly four polls');
      assert.match(answer.text, /Still running/);
      assert.match(answer.text, new RegExp(`Check with: team ${team('Finance Close').id}`));
      assert.equal(team('Finance Close').isArchived, false);
    } finally {
      Object.assign(OPERATION_TIMING, saved);
    }
  });

  it('shows Graph’s 400 for a team without an owner (code, reason, request-id)', async () => {
    const answer = await askSlow(harness, 'team archive Leadership');
    const post = roundTrips(answer)[1];
    assert.equal(post.status, 400);
    assert.match(answer.text, /BadRequest/);
    assert.match(answer.text, /no owner/);
    assert.match(answer.text, new RegExp(post.requestId));
  });

  it('answers 403 for a user administrator', async () => {
    harness.signIn(DEMO.userAdmin);
    try {
      const answer = await askSlow(harness, 'team archive "Project Phoenix"');
      assert.match(answer.text, /Authorization_RequestDenied/);
      assert.equal(team('Project Phoenix').isArchived, false);
    } finally {
      harness.signIn(DEMO.teamsAdmin);
    }
  });

  it('needs a team (usage card, no Graph call)', async () => {
    const answer = await askSlow(harness, 'team archive');
    assert.match(answer.text, /<team> is required/);
    assert.equal(answer.graph.length, 0);
  });
});
