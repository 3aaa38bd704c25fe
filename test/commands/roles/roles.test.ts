import assert from 'node:assert/strict';
import { CommandHarness, requestLine, requestParts } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';

const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';

describe('command: roles / role members', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
  });
  beforeEach(() => harness.signIn(DEMO.admin));
  after(() => harness.close());

  it('lists role definitions in one round trip, selecting only what the card shows', async () => {
    const answer = await harness.ask('roles');
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.graph.map(requestLine), [
      'GET /v1.0/roleManagement/directory/roleDefinitions?$select=id,displayName,description,isBuiltIn,isEnabled',
    ]);
    assert.match(answer.text, /Global Administrator/);
    assert.match(answer.text, /Teams Administrator/);
    assert.match(
      answer.text,
      new RegExp(`${harness.dev.tenant.roleDefinitions.length} of ${harness.dev.tenant.roleDefinitions.length} roles`),
    );
    assert.match(JSON.stringify(answer.card), /role members \\"Global Administrator\\"/);
  });

  it('narrows the list to names containing the text', async () => {
    const answer = await harness.ask('roles reader');
    assert.match(answer.text, /Global Reader/);
    assert.match(answer.text, /Reports Reader/);
    assert.doesNotMatch(answer.text, /Global Administrator/);
    const none = await harness.ask('roles nosuchrole');
    assert.match(none.text, /No role's name contains "nosuchrole"/);
  });

  it("role members: a user without a role-reading admin role gets Graph's 403 with code and request-id", async () => {
    harness.signIn(DEMO.alice);
    const answer = await harness.ask('role members "Global Administrator"');
    assert.deepEqual(answer.problems, []);
    assert.equal(answer.graph[1].status, 403);
    assert.match(answer.text, /Authorization_RequestDenied/);
    assert.ok(answer.text.includes(answer.graph[1].requestId));
  });

  it('role members: resolves the name, then lists assignments with their principals (2 round trips)', async () => {
    const answer = await harness.ask('role members "Global Administrator"');
    assert.deepEqual(answer.problems, []);
    assert.equal(answer.graph.length, 2);
    assert.equal(
      requestLine(answer.graph[0]),
      'GET /v1.0/roleManagement/directory/roleDefinitions?$select=id,displayName',
    );
    assert.deepEqual(requestParts(answer.graph[1]), {
      method: 'GET',
      path: '/v1.0/roleManagement/directory/roleAssignments',
      query: {
        $filter: `roleDefinitionId eq '${GLOBAL_ADMIN}'`,
        $expand: 'principal',
        $top: '25',
      },
    });
    assert.match(answer.text, /Members of Global Administrator/);
    assert.match(answer.text, new RegExp(DEMO.admin));
    assert.match(answer.text, /Tenant-wide/);
    assert.match(JSON.stringify(answer.card), new RegExp(`user ${DEMO.admin}`));
  });

  it('role members: a partial name that fits one role is enough; the role id skips the name lookup', async () => {
    const partial = await harness.ask('role members teams admin');
    assert.match(partial.text, /Members of Teams Administrator/);
    assert.match(partial.text, new RegExp(DEMO.teamsAdmin));
    const byId = await harness.ask(`role members ${GLOBAL_ADMIN}`);
    assert.equal(
      requestLine(byId.graph[0]),
      `GET /v1.0/roleManagement/directory/roleDefinitions/${GLOBAL_ADMIN}?$select=id,displayName`,
    );
    assert.match(byId.text, /Members of Global Administrator/);
  });

  it('role members: an ambiguous name gives a choice card, an unknown one a clear not-found, without listing', async () => {
    const ambiguous = await harness.ask('role members administrator');
    assert.deepEqual(ambiguous.problems, []);
    assert.match(ambiguous.text, /Which one did you mean\?/);
    assert.match(JSON.stringify(ambiguous.card), /role members \\"[A-Za-z ]+Administrator\\"/);
    assert.equal(ambiguous.graph.length, 1);
    const unknown = await harness.ask('role members "Chief Coffee Officer"');
    assert.match(unknown.text, /No directory role is named like "Chief Coffee Officer"/);
    assert.equal(unknown.graph.length, 1);
  });

  it("role members: an unknown role id is Graph's 404 with its code", async () => {
    const answer = await harness.ask('role members 00000000-0000-4000-8000-000000000000');
    assert.equal(answer.graph[0].status, 404);
    assert.match(answer.text, /Request_ResourceNotFound/);
  });

  it('role members: needs a role name (usage card, no Graph call)', async () => {
    const answer = await harness.ask('role members');
    assert.match(answer.text, /<role> is required/);
    assert.equal(answer.graph.length, 0);
  });

  it("roles: a large tenant pages 25 per card (Graph answers all at once), each card within Teams' size limit", async () => {
    const tenant = harness.dev.tenant;
    for (let i = 0; i < 40; i++) {
      const id = tenant.newId();
      tenant.roleDefinitions.push({
        id,
        templateId: id,
        displayName: `Custom Role ${String(i).padStart(2, '0')}`,
        description: 'Can do a great many things. '.repeat(10),
        isBuiltIn: false,
        isEnabled: true,
        allowedResourceActions: ['microsoft.directory/users/standard/read'],
      });
    }
    const first = await harness.ask('roles');
    assert.deepEqual(first.problems, [], 'valid and under the size limit');
    assert.match(first.text, new RegExp(`25 of ${tenant.roleDefinitions.length} roles · page 1 · more available`));
    assert.match(first.text, /Custom/);
    const more = JSON.stringify(first.card.actions ?? []).match(/roles --page 2/)?.[0];
    assert.ok(more, 'a More action');
    const second = await harness.ask(more);
    assert.deepEqual(second.problems, []);
    assert.match(second.text, /page 2/);
    assert.equal(second.graph.length, 1);
    const narrowed = await harness.ask('roles custom role 3');
    assert.match(narrowed.text, /Custom Role 30/);
    assert.doesNotMatch(narrowed.text, /Custom Role 29/);
  });
});
