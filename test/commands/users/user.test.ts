import assert from 'node:assert/strict';
import { CommandHarness, requestLine } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';

describe('command: user', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.admin);
  });
  after(() => harness.close());

  it('shows a user by UPN in one Graph round trip with only the fields the card shows', async () => {
    const answer = await harness.ask(`user ${DEMO.alice}`);
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.graph.map(requestLine), [
      `GET ` +
        `/v1.0/users('${DEMO.alice}')?$select=id,displayName,userPrincipalName,accountEnabled,userType,usageLocation,assignedLicenses,onPremisesSyncEnabled,jobTitle,department,createdDateTime`,
    ]);
    assert.match(answer.text, new RegExp(DEMO.alice));
    assert.match(answer.text, /Sign-in allowed/);
    assert.match(answer.text, /Revoke sessions/);
  });

  it('finds a user by object id', async () => {
    const alice = harness.dev.tenant.userByUpn(DEMO.alice)!;
    const answer = await harness.ask(`user ${alice.id}`);
    assert.equal(answer.graph.length, 1);
    assert.match(requestLine(answer.graph[0]), new RegExp(`^GET /v1.0/users/${alice.id}\\?`));
    assert.match(answer.text, new RegExp(DEMO.alice));
  });

  it('resolves a unique display name with one query', async () => {
    const alice = harness.dev.tenant.userByUpn(DEMO.alice)!;
    const answer = await harness.ask(`user "${alice.displayName}"`);
    assert.equal(answer.graph.length, 1);
    assert.match(requestLine(answer.graph[0]), /\$filter=startswith\(displayName,'.+'\)/);
    assert.match(answer.text, new RegExp(DEMO.alice));
  });

  it('offers a choice card instead of guessing when a name is ambiguous', async () => {
    const answer = await harness.ask('user A');
    assert.deepEqual(answer.problems, []);
    assert.match(answer.text, /Which one did you mean\?/);
    assert.match(JSON.stringify(answer.card.actions), /user \\"[^"]+@contoso.onmicrosoft.com\\"/);
  });

  it('answers a missing user with the Graph error code and request-id', async () => {
    const answer = await harness.ask('user nobody@contoso.onmicrosoft.com');
    assert.match(answer.text, /Request_ResourceNotFound/);
    assert.match(answer.text, /request-id/);
    assert.equal(answer.graph[0].status, 404);
  });

  it('escapes a quote in the typed UPN', async () => {
    const answer = await harness.ask(`user "o'brien@contoso.onmicrosoft.com"`);
    assert.match(requestLine(answer.graph[0]), /users\('o''brien@contoso.onmicrosoft.com'\)/);
  });

  it('gives a usage card for a missing argument, without calling Graph', async () => {
    const answer = await harness.ask('user');
    assert.match(answer.text, /<user> is required/);
    assert.equal(answer.graph.length, 0);
  });
});
