import assert from 'node:assert/strict';
import { CommandHarness, requestLine, requestParts } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { warmUp } from './_warm-up.js';

const GLOBAL_READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
const requirementsOf = (who: string) => `/beta/users('${who}')/authentication/requirements`;

describe('commands: user permfa / user permfa set (beta per-user MFA)', () => {
  const harness = new CommandHarness();
  const stateOf = (upn: string) => harness.dev.tenant.userByUpn(upn)!.perUserMfaState ?? 'disabled';

  before(async () => {
    await harness.start();
    harness.signIn(DEMO.admin);
    await warmUp(harness);
  });
  after(() => harness.close());
  beforeEach(() => harness.signIn(DEMO.admin));

  it('reading is a read and changing is a write, each with its own scopes', () => {
    const read = harness.registry.find('user permfa')!;
    const write = harness.registry.find('user permfa set')!;
    assert.equal(read.tier, 'read');
    assert.equal(write.tier, 'write');
    assert.deepEqual(read.scopes, ['UserAuthenticationMethod.Read.All', 'User.Read.All']);
    assert.deepEqual(write.scopes, [
      'Policy.ReadWrite.AuthenticationMethod',
      'UserAuthenticationMethod.Read.All',
      'User.Read.All',
    ]);
  });

  it('usage errors name the argument and call no Graph', async () => {
    for (const [text, message] of [
      ['user permfa', /<user> is required/],
      [`user permfa set ${DEMO.alice}`, /<state> is required/],
      [`user permfa set ${DEMO.alice} sometimes`, /must be enabled, disabled or enforced/],
      [`user permfa set ${DEMO.alice} enforced --force`, /Unknown option --force/],
    ] as const) {
      const answer = await harness.ask(text);
      assert.match(answer.text, message, text);
      assert.equal(answer.graph.length, 0, text);
    }
  });

  it('user permfa <upn>: one beta round trip, state on the card with the Conditional Access advice', async () => {
    const answer = await harness.ask(`user permfa ${DEMO.alice}`);
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.graph.map(requestLine), [`GET ${requirementsOf(DEMO.alice)}`]);
    assert.equal(answer.graph[0].status, 200);
    assert.match(answer.text, /Per-user MFA/);
    assert.equal(stateOf(DEMO.alice), 'disabled');
    assert.match(answer.text, /disabled — Per-user MFA is off/);
    assert.match(answer.text, /recommends Conditional Access/);
    assert.match(answer.text, new RegExp(`user permfa set ${DEMO.alice} enforced`));
  });

  it(
    'user permfa set <upn> enforce: reads the state, PATCHes it (2 beta round trips), says what changed; the ' +
      'tenant holds it',
    async () => {
      assert.equal(stateOf(DEMO.alice), 'disabled');
      const answer = await harness.ask(`user permfa set ${DEMO.alice} enforce`);
      assert.deepEqual(answer.problems, []);
      assert.deepEqual(answer.graph.map(requestLine), [
        `GET ${requirementsOf(DEMO.alice)}`,
        `PATCH ${requirementsOf(DEMO.alice)}`,
      ]);
      assert.deepEqual(
        answer.graph.map((e) => e.status),
        [200, 204],
      );
      assert.match(answer.text, /Per-user MFA enforced/);
      assert.match(answer.text, /perUserMfaState: disabled → enforced/);
      assert.match(answer.text, /recommends Conditional Access/);
      assert.ok(answer.text.includes(answer.graph[1].requestId), 'the write answers with its request-id');
      assert.ok(answer.summary.includes(answer.graph[1].requestId));
      assert.equal(stateOf(DEMO.alice), 'enforced');

      const read = await harness.ask(`user permfa ${DEMO.alice}`);
      assert.match(read.text, /enforced — Per-user MFA is enforced/);
    },
  );

  it('user permfa set to the current state: nothing changed, no PATCH', async () => {
    const answer = await harness.ask(`user permfa set ${DEMO.alice} enforced`);
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(
      answer.graph.map((e) => e.method),
      ['GET'],
    );
    assert.match(answer.text, /already enforced/);
    assert.match(answer.text, /Nothing changed/);
    assert.equal(stateOf(DEMO.alice), 'enforced');
  });

  it('by display name: resolves the user (v1.0), then reads and writes by object id (beta)', async () => {
    const bob = harness.dev.tenant.userByUpn(DEMO.bob)!;
    const answer = await harness.ask('user permfa set "Bob Berg" enabled');
    assert.deepEqual(answer.problems, []);
    assert.equal(answer.graph.length, 3);
    assert.deepEqual(requestParts(answer.graph[0]).path, '/v1.0/users');
    assert.match(requestParts(answer.graph[0]).query.$filter, /^startswith\(displayName,'Bob Berg'\)$/);
    assert.deepEqual(answer.graph.slice(1).map(requestLine), [
      `GET /beta/users/${bob.id}/authentication/requirements`,
      `PATCH /beta/users/${bob.id}/authentication/requirements`,
    ]);
    assert.match(answer.text, /Bob Berg/);
    assert.match(answer.text, /disabled → enabled/);
    assert.equal(stateOf(DEMO.bob), 'enabled');
    const back = await harness.ask(`user permfa set ${bob.id} disable`);
    assert.deepEqual(
      back.graph.map((e) => e.status),
      [200, 204],
    );
    assert.equal(stateOf(DEMO.bob), 'disabled');
  });

  it('an unknown user: Graph 404 with code and request-id', async () => {
    const answer = await harness.ask('user permfa set nobody@contoso.onmicrosoft.com enforced');
    assert.equal(answer.graph.length, 1);
    assert.equal(answer.graph[0].status, 404);
    assert.match(answer.text, /Request_ResourceNotFound/);
    assert.ok(answer.text.includes(answer.graph[0].requestId));
  });

  it('an admin whose role may not read authentication settings: Graph 403 at the read', async () => {
    harness.signIn(DEMO.teamsAdmin);
    const answer = await harness.ask(`user permfa ${DEMO.bob}`);
    assert.deepEqual(
      answer.graph.map((e) => e.status),
      [403],
    );
    assert.match(answer.text, /Authorization_RequestDenied/);
    assert.ok(answer.text.includes(answer.graph[0].requestId));
  });

  it('a reader (Global Reader) may read but not change: Graph 403 at the PATCH, state unchanged', async () => {
    const tenant = harness.dev.tenant;
    const bobId = tenant.userByUpn(DEMO.bob)!.id;
    const assignment = {
      id: tenant.newId(),
      principalId: bobId,
      roleDefinitionId: GLOBAL_READER,
      directoryScopeId: '/',
      createdDateTime: tenant.nowIso(),
    };
    tenant.roleAssignments.push(assignment);
    try {
      harness.signIn(DEMO.bob);
      const answer = await harness.ask(`user permfa set ${DEMO.alice} disabled`);
      assert.deepEqual(
        answer.graph.map((e) => `${e.method} ${e.status}`),
        ['GET 200', 'PATCH 403'],
      );
      assert.match(answer.text, /Authorization_RequestDenied/);
      assert.ok(answer.text.includes(answer.graph[1].requestId));
      assert.equal(stateOf(DEMO.alice), 'enforced');
    } finally {
      tenant.roleAssignments.splice(tenant.roleAssignments.indexOf(assignment), 1);
    }
  });

  it('both commands work with only the scopes they declare', async () => {
    const restore: Array<() => void> = [];
    restore.push(harness.onlyDeclaredScopes((command) => ['user permfa', 'user permfa set'].includes(command.name)));
    try {
      for (const text of ['user permfa "Alice Anders"', 'user permfa set "Alice Anders" disabled']) {
        const answer = await harness.ask(text);
        assert.deepEqual(answer.problems, [], text);
        assert.deepEqual(
          answer.graph.filter((e) => e.status >= 400).map((e) => `${e.status} ${e.method} ${e.url}`),
          [],
          answer.summary,
        );
      }
      assert.equal(stateOf(DEMO.alice), 'disabled');
    } finally {
      for (const undo of restore) undo();
    }
  });
});
