import assert from 'node:assert/strict';
import type { AnyCommand } from '../../../bot/commands/types.js';
import { ClaimsChallengeError } from '../../../bot/graph/errors.js';
import { CommandHarness, requestLine, requestParts } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';

const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  teamsAdministrator: '69091246-20e8-4a56-aa4d-066075b2a7a8',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
};
const MINUTE = 60_000;

describe('commands: pim eligible / pim active / pim activate', () => {
  const harness = new CommandHarness();
  let bobId: string;
  /** The error `pim activate` threw last (the identity module turns a ClaimsChallengeError into a step-up). */
  let thrown: unknown;

  before(async () => {
    await harness.start();
    bobId = harness.dev.tenant.userByUpn(DEMO.bob)!.id;
    const tenant = harness.dev.tenant;
    for (const roleDefinitionId of [ROLE.privilegedRoleAdministrator, ROLE.globalAdministrator]) {
      tenant.roleEligibilities.push({
        id: tenant.newId(),
        principalId: bobId,
        roleDefinitionId,
        directoryScopeId: '/',
        startDateTime: tenant.nowIso(),
        endDateTime: null,
      });
    }
    const command = harness.registry.find('pim activate') as AnyCommand;
    const run = command.run.bind(command);
    command.run = async (ctx, args) => {
      thrown = undefined;
      try {
        return await run(ctx, args);
      } catch (err) {
        thrown = err;
        throw err;
      }
    };
  });
  after(() => harness.close());

  const activationsOfBob = () => harness.dev.tenant.roleActivations.filter((a) => a.principalId === bobId);

  it('pim eligible (yourself): one round trip through filterByCurrentUser, role names expanded', async () => {
    harness.signIn(DEMO.bob);
    const answer = await harness.ask('pim eligible');
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.graph.map(requestLine), [
      'GET ' +
        "/v1.0/roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')?$expand=roleDefinition($select=id,displayName)",
    ]);
    assert.match(answer.text, /Roles you can activate/);
    assert.match(answer.text, /Teams Administrator/);
    assert.match(answer.text, /Privileged Role Administrator/);
  });

  it('pim eligible <user>: resolves the user, then filters by principalId (2 round trips)', async () => {
    harness.signIn(DEMO.admin);
    const answer = await harness.ask(`pim eligible ${DEMO.bob}`);
    assert.deepEqual(answer.problems, []);
    assert.equal(answer.graph.length, 2);
    assert.match(requestLine(answer.graph[0]), new RegExp(`^GET /v1.0/users\\('${DEMO.bob}'\\)\\?\\$select=`));
    assert.deepEqual(requestParts(answer.graph[1]), {
      method: 'GET',
      path: '/v1.0/roleManagement/directory/roleEligibilityScheduleInstances',
      query: { $filter: `principalId eq '${bobId}'`, $expand: 'roleDefinition($select=id,displayName)' },
    });
    assert.match(answer.text, /Roles Bob Berg/);
    assert.match(answer.text, /Teams Administrator/);
  });

  it('pim eligible <unknown user>: Graph 404 with code and request-id', async () => {
    harness.signIn(DEMO.admin);
    const answer = await harness.ask('pim eligible nobody@contoso.onmicrosoft.com');
    assert.equal(answer.graph[0].status, 404);
    assert.match(answer.text, /Request_ResourceNotFound/);
    assert.ok(answer.text.includes(answer.graph[0].requestId));
  });

  it('pim active: permanent assignments show as Assigned (one round trip for yourself)', async () => {
    harness.signIn(DEMO.admin);
    const answer = await harness.ask('pim active @me');
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.graph.map(requestLine), [
      'GET ' +
        "/v1.0/roleManagement/directory/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')?$expand=roleDefinition($select=id,displayName)",
    ]);
    assert.match(answer.text, /Your active roles/);
    assert.match(answer.text, /Global Administrator/);
    assert.match(answer.text, /Assigned/);
  });

  it('pim active <user> as someone without a role-reading admin role: Graph 403', async () => {
    harness.signIn(DEMO.alice);
    const answer = await harness.ask(`pim active ${DEMO.admin}`);
    assert.equal(answer.graph.at(-1)!.status, 403);
    assert.match(answer.text, /Authorization_RequestDenied/);
  });

  it('pim activate: usage errors name the argument and call no Graph', async () => {
    harness.signIn(DEMO.bob);
    for (const [text, message] of [
      ['pim activate "Teams Administrator"', /--reason is required/],
      ['pim activate "Teams Administrator" --reason "Fix policy" --for 2x', /--for: "2x" is not a duration/],
      ['pim activate "Teams Administrator" --reason "Fix policy" --for 25h', /--for: must be between 5 min and 24 h/],
      ['pim activate --reason "Fix policy"', /<role> is required/],
    ] as const) {
      const answer = await harness.ask(text);
      assert.match(answer.text, message, text);
      assert.equal(answer.graph.length, 0, text);
    }
  });

  it("pim activate without MFA in the token: PIM's MfaRule becomes the step-up signal (acrs c1), nothing activated", async () => {
    harness.signIn(DEMO.bob, { amr: ['pwd'] });
    const answer = await harness.ask('pim activate "Teams Administrator" --for 2h --reason "Fix meeting policy"');
    assert.equal(answer.graph.length, 2);
    assert.equal(answer.graph[1].status, 400);
    assert.ok(thrown instanceof ClaimsChallengeError, 'a ClaimsChallengeError for the identity gate');
    assert.deepEqual(JSON.parse(thrown.claims), { access_token: { acrs: { essential: true, value: 'c1' } } });
    assert.equal(thrown.requestId, answer.graph[1].requestId);
    assert.match(answer.text, /stronger sign-in/);
    assert.equal(activationsOfBob().length, 0);
  });

  it('pim activate: a role that needs an authentication context asks for it the same way (AcrsRule)', async () => {
    harness.signIn(DEMO.bob);
    await harness.ask('pim activate "Privileged Role Administrator" --for 1h --reason "Review assignments"');
    assert.ok(thrown instanceof ClaimsChallengeError);
    assert.match(thrown.claims, /"acrs":\{"essential":true,"value":"c1"\}/);
    harness.signIn(DEMO.bob, { amr: ['pwd', 'mfa'], acrs: ['c1'] });
    const stepped = await harness.ask(
      'pim activate "Privileged Role Administrator" --for 1h --reason "Review assignments"',
    );
    assert.deepEqual(stepped.problems, []);
    assert.match(stepped.text, /Privileged Role Administrator activated/);
  });

  it(
    'pim activate: resolves the role among your eligibilities and activates it for the asked duration (2 round ' +
      'trips)',
    async () => {
      harness.signIn(DEMO.bob);
      const before = Date.now();
      const answer = await harness.ask(
        'pim activate teams admin --for 2h --reason "Fix meeting policy" --ticket INC123',
      );
      assert.deepEqual(answer.problems, []);
      assert.deepEqual(
        answer.graph.map((e) => `${e.method} ${new URL(e.url, 'https://g').pathname}`),
        [
          "GET /v1.0/roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')",
          'POST /v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
        ],
      );
      assert.equal(answer.graph[1].status, 201);
      assert.match(answer.text, /Teams Administrator activated/);
      assert.ok(answer.text.includes(answer.graph[1].requestId), 'the write answers with its request-id');
      const activation = activationsOfBob().find((a) => a.roleDefinitionId === ROLE.teamsAdministrator);
      assert.ok(activation, 'the tenant holds the activation');
      const minutes = (Date.parse(activation.endDateTime) - Date.parse(activation.startDateTime)) / MINUTE;
      assert.equal(Math.round(minutes), 120);
      assert.ok(Date.parse(activation.startDateTime) >= before - 2000);
      const request = harness.dev.tenant.roleAssignmentRequests.at(-1)!;
      assert.equal(request.action, 'selfActivate');
      assert.equal(request.justification, 'Fix meeting policy');
      assert.equal(request.scheduleInfo.expiration.duration, 'PT2H');
      assert.equal(request.ticketInfo.ticketNumber, 'INC123');

      const active = await harness.ask('pim active');
      assert.match(active.text, /Teams Administrator/);
      assert.match(active.text, /Activated/);
    },
  );

  it("pim activate: an already active role is Graph's 400 RoleAssignmentExists, explained", async () => {
    harness.signIn(DEMO.bob);
    const answer = await harness.ask('pim activate "Teams Administrator" --reason "Fix meeting policy"');
    assert.match(answer.text, /RoleAssignmentExists/);
    assert.match(answer.text, /already active for you/);
  });

  it('pim activate: role-setting rules come back with what to change (ticket, shorter duration)', async () => {
    harness.signIn(DEMO.bob);
    const noTicket = await harness.ask('pim activate "Global Administrator" --reason "Break glass drill"');
    assert.match(noTicket.text, /RoleAssignmentRequestPolicyValidationFailed/);
    assert.match(noTicket.text, /add --ticket/);
    assert.ok(noTicket.text.includes(noTicket.graph[1].requestId));
    const tooLong = await harness.ask(
      'pim activate "Global Administrator" --for 9h --reason "Break glass drill" --ticket INC9',
    );
    assert.match(tooLong.text, /shorter activation/);
  });

  it('pim activate: an approval-gated role answers "pending approval" and activates nothing yet', async () => {
    harness.signIn(DEMO.bob);
    const answer = await harness.ask(
      'pim activate "Global Administrator" --for 1h --reason "Break glass drill" --ticket INC9 --ticket-system ' +
        'ServiceNow',
    );
    assert.deepEqual(answer.problems, []);
    assert.match(answer.text, /approval requested/);
    assert.match(answer.text, /Pending approval/);
    assert.equal(
      activationsOfBob().some((a) => a.roleDefinitionId === ROLE.globalAdministrator),
      false,
    );
    assert.equal(harness.dev.tenant.roleAssignmentRequests.at(-1)!.ticketInfo.ticketSystem, 'ServiceNow');
  });

  it('pim activate: a role you are not eligible for is named as such, with no write', async () => {
    harness.signIn(DEMO.bob);
    const answer = await harness.ask('pim activate "Global Reader" --reason "Look around"');
    assert.equal(answer.graph.length, 1);
    assert.match(answer.text, /No role you are eligible for is named like "Global Reader"/);
    harness.signIn(DEMO.alice);
    const nothing = await harness.ask('pim activate "Global Reader" --reason "Look around"');
    assert.match(nothing.text, /no role you are eligible for/);
  });
});
