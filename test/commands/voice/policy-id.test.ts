import assert from 'node:assert/strict';
import { CommandHarness, requestLine } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { askSlow } from '../teams/_graph.js';

describe('command: policy id', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.teamsAdmin);
  });
  after(() => harness.close());

  it('calls getPolicyId once with both values as escaped literals', async () => {
    const policy = harness.dev.tenant.teamsPolicies.find(
      (p) => p.policyType === 'OnlineVoiceRoutingPolicy' && p.name === 'US-Only',
    )!;
    const answer = await askSlow(harness, 'policy id OnlineVoiceRoutingPolicy "US-Only"');
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.graph.map(requestLine), [
      "GET /v1.0/admin/teams/policy/getPolicyId(type='OnlineVoiceRoutingPolicy',name='US-Only')",
    ]);
    assert.match(answer.text, new RegExp(policy.policyId));
    assert.match(answer.text, /policy grant <user> OnlineVoiceRoutingPolicy "US-Only"/);
  });

  it('doubles a quote in the name so it cannot end the literal', async () => {
    const answer = await askSlow(harness, `policy id TeamsMeetingPolicy "it's ') or x eq ('"`);
    assert.equal(answer.graph.length, 1);
    assert.equal(
      requestLine(answer.graph[0]),
      "GET /v1.0/admin/teams/policy/getPolicyId(type='TeamsMeetingPolicy',name='it''s '') or x eq (''')",
    );
    assert.equal(answer.graph[0].status, 404);
  });

  it('shows Graph’s 404 for an unknown policy name with code and request-id', async () => {
    const answer = await askSlow(harness, 'policy id TeamsMeetingPolicy "Nope"');
    assert.match(answer.text, /NotFound/);
    assert.match(answer.text, new RegExp(answer.graph[0].requestId));
  });

  it('shows Graph’s 400 for a policy type Graph does not know', async () => {
    const answer = await askSlow(harness, 'policy id TeamsBogusPolicy "AllOn"');
    assert.equal(answer.graph[0].status, 400);
    assert.match(answer.text, /BadRequest/);
  });

  it('refuses a malformed policy type before calling Graph', async () => {
    const answer = await askSlow(harness, "policy id 'Teams Meeting' AllOn");
    assert.match(answer.text, /policy type such as TeamsMeetingPolicy/);
    assert.equal(answer.graph.length, 0);
  });

  it('answers 403 for a user administrator', async () => {
    harness.signIn(DEMO.userAdmin);
    try {
      const answer = await askSlow(harness, 'policy id TeamsMeetingPolicy AllOn');
      assert.match(answer.text, /Authorization_RequestDenied/);
    } finally {
      harness.signIn(DEMO.teamsAdmin);
    }
  });
});
