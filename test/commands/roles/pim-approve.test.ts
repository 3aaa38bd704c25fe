import assert from 'node:assert/strict';
import { CommandHarness, requestLine } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';

const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
const PRIVILEGED_ROLE_ADMINISTRATOR = 'e8611ab8-c189-46e8-94e1-60213ab1f814';
const APPROVALS = '/beta/roleManagement/directory/roleAssignmentApprovals';

describe('command: pim approve (beta roleAssignmentApprovals)', () => {
  const harness = new CommandHarness();
  let bobId: string;

  before(async () => {
    await harness.start();
    const tenant = harness.dev.tenant;
    bobId = tenant.userByUpn(DEMO.bob)!.id;
    // Global Administrator needs approval in the demo tenant's PIM settings; Bob becomes eligible for it.
    tenant.roleEligibilities.push({
      id: tenant.newId(),
      principalId: bobId,
      roleDefinitionId: GLOBAL_ADMINISTRATOR,
      directoryScopeId: '/',
      startDateTime: tenant.nowIso(),
      endDateTime: null,
    });
  });
  after(() => harness.close());

  /**
   * Bob asks for Global Administrator through the bot; PIM parks it for approval. The stand-in has no approver
   * configuration and answers `assignedToMe: false` to everyone, so the test marks the step as assigned to the
   * caller (unless `assigned` is false), which is what Graph answers a configured approver.
   */
  async function pendingApproval(assigned = true): Promise<{ approvalId: string; stepId: string }> {
    harness.signIn(DEMO.bob);
    const asked = await harness.ask(
      'pim activate "Global Administrator" --for 1h --reason "Break glass drill" --ticket INC9',
    );
    assert.match(asked.text, /approval requested/, asked.summary);
    const approvalId = harness.dev.tenant.roleAssignmentRequests.at(-1)!.approvalId!;
    const step = harness.dev.tenant.roleApprovals.get(approvalId)!.steps[0];
    step.assignedToMe = assigned;
    return { approvalId, stepId: step.id };
  }
  const stepOf = (approvalId: string) => harness.dev.tenant.roleApprovals.get(approvalId)!.steps[0];
  const requestOf = (approvalId: string) =>
    harness.dev.tenant.roleAssignmentRequests.find((r) => r.approvalId === approvalId)!;
  const bobHoldsGlobalAdmin = () => harness.dev.tenant.activeRoleTemplateIds(bobId).includes(GLOBAL_ADMINISTRATOR);

  it('is a write declaring the (unverified) catalog scope', () => {
    const command = harness.registry.find('pim approve')!;
    assert.equal(command.tier, 'write');
    assert.deepEqual(command.scopes, ['RoleAssignmentSchedule.ReadWrite.Directory']);
  });

  it('usage errors name the argument and call no Graph', async () => {
    harness.signIn(DEMO.admin);
    for (const [text, message] of [
      ['pim approve 5f0d3c4e-1a2b-4c3d-9e8f-0a1b2c3d4e5f', /--reason is required/],
      ['pim approve --reason "Matches the change"', /<approvalId> is required/],
      ['pim approve abc --reason "Matches the change"', /approval id PIM gave/],
      ['pim approve 5f0d3c4e-1a2b-4c3d-9e8f-0a1b2c3d4e5f --reason ok', /--reason/],
      [
        'pim approve 5f0d3c4e-1a2b-4c3d-9e8f-0a1b2c3d4e5f --reason "Matches the change" --later',
        /Unknown option --later/,
      ],
    ] as const) {
      const answer = await harness.ask(text);
      assert.match(answer.text, message, text);
      assert.equal(answer.graph.length, 0, text);
    }
  });

  it('denies: reads the steps, PATCHes the step assigned to the admin (2 beta round trips); the request is denied', async () => {
    const { approvalId, stepId } = await pendingApproval();
    harness.signIn(DEMO.admin);
    const answer = await harness.ask(
      `pim approve ${approvalId.toUpperCase()} --deny --reason "No change ticket for this"`,
    );
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.graph.map(requestLine), [
      `GET ${APPROVALS}/${approvalId}/steps`,
      `PATCH ${APPROVALS}/${approvalId}/steps/${stepId}`,
    ]);
    assert.equal(answer.graph[1].status, 204);
    assert.match(answer.text, /Role activation denied/);
    assert.match(answer.text, /Denied/);
    assert.ok(answer.text.includes(answer.graph[1].requestId), 'the write answers with its request-id');
    assert.ok(answer.summary.includes(answer.graph[1].requestId));
    const step = stepOf(approvalId);
    assert.equal(step.reviewResult, 'Deny');
    assert.equal(step.justification, 'No change ticket for this');
    assert.equal(step.status, 'Completed');
    assert.equal(requestOf(approvalId).status, 'Denied');
    assert.equal(bobHoldsGlobalAdmin(), false);
  });

  it('approves: the requester holds the role afterwards', async () => {
    const { approvalId, stepId } = await pendingApproval();
    assert.equal(bobHoldsGlobalAdmin(), false);
    harness.signIn(DEMO.admin);
    const answer = await harness.ask(`pim approve ${approvalId} --reason "Matches change INC9"`);
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.graph.map(requestLine), [
      `GET ${APPROVALS}/${approvalId}/steps`,
      `PATCH ${APPROVALS}/${approvalId}/steps/${stepId}`,
    ]);
    assert.match(answer.text, /Role activation approved/);
    assert.ok(answer.text.includes(answer.graph[1].requestId));
    assert.equal(stepOf(approvalId).reviewResult, 'Approve');
    assert.equal(stepOf(approvalId).reviewedBy?.user.id, harness.dev.tenant.userByUpn(DEMO.admin)!.id);
    assert.equal(requestOf(approvalId).status, 'Provisioned');
    assert.equal(bobHoldsGlobalAdmin(), true);

    // Asked again: nothing left to review, no PATCH, and the card says who decided.
    const again = await harness.ask(`pim approve ${approvalId} --deny --reason "Changed my mind"`);
    assert.deepEqual(again.problems, []);
    assert.deepEqual(again.graph.map(requestLine), [`GET ${APPROVALS}/${approvalId}/steps`]);
    assert.match(again.text, /Already reviewed/);
    assert.match(again.text, /Approve by Adele/);
    assert.match(again.text, /Nothing changed/);
    assert.equal(stepOf(approvalId).reviewResult, 'Approve');
    // Later tests need Bob without Global Administrator again.
    const activations = harness.dev.tenant.roleActivations;
    activations.splice(0, activations.length, ...activations.filter((a) => a.principalId !== bobId));
  });

  it('an open step not assigned to the admin: "not yours to review", no PATCH', async () => {
    const { approvalId } = await pendingApproval(false);
    harness.signIn(DEMO.admin);
    const answer = await harness.ask(`pim approve ${approvalId} --reason "Matches change INC9"`);
    assert.deepEqual(answer.problems, []);
    assert.equal(answer.graph.length, 1);
    assert.match(answer.text, /Not yours to review/);
    assert.equal(stepOf(approvalId).status, 'InProgress');
  });

  it('an approval with no review step: "nothing to approve", no PATCH', async () => {
    const { approvalId } = await pendingApproval();
    harness.dev.tenant.roleApprovals.get(approvalId)!.steps.length = 0;
    harness.signIn(DEMO.admin);
    const answer = await harness.ask(`pim approve ${approvalId} --reason "Matches change INC9"`);
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.graph.map(requestLine), [`GET ${APPROVALS}/${approvalId}/steps`]);
    assert.match(answer.text, /Nothing to approve/);
    assert.equal(requestOf(approvalId).status, 'PendingApproval');
  });

  it('the requester cannot approve their own request: Graph 403 at the PATCH, explained, with code and request-id', async () => {
    const { approvalId, stepId } = await pendingApproval();
    const tenant = harness.dev.tenant;
    // Bob may review PIM approvals (Privileged Role Administrator), but this request is his own.
    const assignment = {
      id: tenant.newId(),
      principalId: bobId,
      roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR,
      directoryScopeId: '/',
      createdDateTime: tenant.nowIso(),
    };
    tenant.roleAssignments.push(assignment);
    try {
      harness.signIn(DEMO.bob);
      const answer = await harness.ask(`pim approve ${approvalId} --reason "Approving myself"`);
      assert.deepEqual(answer.problems, []);
      assert.deepEqual(answer.graph.map(requestLine), [
        `GET ${APPROVALS}/${approvalId}/steps`,
        `PATCH ${APPROVALS}/${approvalId}/steps/${stepId}`,
      ]);
      assert.deepEqual(
        answer.graph.map((e) => e.status),
        [200, 403],
      );
      assert.match(answer.text, /Authorization_RequestDenied/);
      assert.match(answer.text, /requesters cannot approve their own/);
      assert.ok(answer.text.includes(answer.graph[1].requestId));
      assert.equal(stepOf(approvalId).status, 'InProgress');
      assert.equal(requestOf(approvalId).status, 'PendingApproval');
    } finally {
      tenant.roleAssignments.splice(tenant.roleAssignments.indexOf(assignment), 1);
    }
  });

  it('an unknown approval id: Graph 404 with code and request-id', async () => {
    harness.signIn(DEMO.admin);
    const answer = await harness.ask('pim approve 5f0d3c4e-1a2b-4c3d-9e8f-0a1b2c3d4e5f --reason "Matches the change"');
    assert.equal(answer.graph.length, 1);
    assert.equal(answer.graph[0].status, 404);
    assert.match(answer.text, /ResourceNotFound|NotFound/);
    assert.ok(answer.text.includes(answer.graph[0].requestId));
  });

  it('an admin whose role may not review PIM approvals: Graph 403 at the read, nothing changed', async () => {
    const { approvalId } = await pendingApproval();
    harness.signIn(DEMO.teamsAdmin);
    const answer = await harness.ask(`pim approve ${approvalId} --reason "Matches change INC9"`);
    assert.deepEqual(
      answer.graph.map((e) => e.status),
      [403],
    );
    assert.match(answer.text, /Authorization_RequestDenied/);
    assert.ok(answer.text.includes(answer.graph[0].requestId));
    assert.equal(stepOf(approvalId).status, 'InProgress');
  });

  it('works with only the scopes it declares', async () => {
    const { approvalId } = await pendingApproval();
    const restore = harness.onlyDeclaredScopes((command) => command.name === 'pim approve');
    try {
      harness.signIn(DEMO.admin);
      const answer = await harness.ask(`pim approve ${approvalId} --deny --reason "Least privilege check"`);
      assert.deepEqual(
        answer.graph.map((e) => e.status),
        [200, 204],
        answer.summary,
      );
      assert.equal(stepOf(approvalId).reviewResult, 'Deny');
    } finally {
      restore();
    }
  });
});
