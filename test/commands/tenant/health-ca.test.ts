import assert from 'node:assert/strict';
import { CommandHarness, requestLine } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';

describe('commands: health / ca contexts', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
  });
  beforeEach(() => harness.signIn(DEMO.admin));
  after(() => harness.close());

  it('health: every service with its open issues in one round trip, troubled services first', async () => {
    const answer = await harness.ask('health');
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.graph.map(requestLine), [
      'GET ' +
        '/v1.0/admin/serviceAnnouncement/healthOverviews?$select=id,service,status&$expand=issues($select=id,title,isResolved)',
    ]);
    assert.match(answer.summary, /^Service health: Microsoft Teams; /);
    assert.match(answer.text, /Degraded/);
    assert.match(answer.text, /1 open: Some users may experience delays/);
    assert.match(answer.text, /Operational/);
    assert.match(JSON.stringify(answer.card), /health \\"Exchange Online\\"/);
  });

  it('health <service>: a partial name finds the service; open issues in detail, resolved ones counted', async () => {
    const answer = await harness.ask('health teams');
    assert.deepEqual(answer.problems, []);
    assert.equal(answer.graph.length, 1);
    assert.match(
      requestLine(answer.graph[0]),
      /\$expand=issues\(\$select=id,title,classification,status,isResolved,startDateTime,impactDescription,feature\)/,
    );
    assert.match(answer.text, /Microsoft Teams/);
    assert.match(answer.text, /TM812345/);
    assert.doesNotMatch(answer.text, /TM811002/, 'a resolved issue is not listed');
    assert.match(answer.text, /1 open issue\(s\); 1 resolved recently/);
    const calm = await harness.ask('health "Exchange Online"');
    assert.match(calm.text, /No open issues/);
  });

  it('health <service>: ambiguous → choice card; unknown → names the services', async () => {
    const ambiguous = await harness.ask('health microsoft');
    assert.deepEqual(ambiguous.problems, []);
    assert.match(ambiguous.text, /Which one did you mean\?/);
    assert.match(JSON.stringify(ambiguous.card), /health \\"Microsoft Teams\\"/);
    const unknown = await harness.ask('health yammer');
    assert.match(unknown.text, /No Microsoft 365 service is named like "yammer"/);
    assert.match(unknown.text, /Exchange Online/);
  });

  it("health: a user without a health-reading role gets Graph's 403", async () => {
    harness.signIn(DEMO.alice);
    const answer = await harness.ask('health');
    assert.equal(answer.graph[0].status, 403);
    assert.match(answer.text, /Authorization_RequestDenied/);
    assert.ok(answer.text.includes(answer.graph[0].requestId));
  });

  it('ca contexts: one round trip; published and unpublished contexts', async () => {
    const answer = await harness.ask('ca contexts');
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.graph.map(requestLine), [
      'GET ' +
        '/v1.0/identity/conditionalAccess/authenticationContextClassReferences?$select=id,displayName,description,isAvailable',
    ]);
    assert.match(answer.text, /c1 · MFA for admin writes/);
    assert.match(answer.text, /Published to apps/);
    assert.match(answer.text, /c3 · Phishing-resistant MFA/);
    assert.match(answer.text, /Not published/);
  });

  it("ca contexts: an admin whose role cannot read Conditional Access gets Graph's 403", async () => {
    harness.signIn(DEMO.teamsAdmin);
    const answer = await harness.ask('ca contexts');
    assert.equal(answer.graph[0].status, 403);
    assert.match(answer.text, /Authorization_RequestDenied/);
  });
});
