import assert from 'node:assert/strict';
import { startHarness, json, ADMIN_SCOPES, type Harness } from './helpers.js';
import { FIXED_ACCOUNTS, ROLE } from '../../../devtenant/seed/index.js';

const BOB = FIXED_ACCOUNTS.find((a) => a.key === 'bob')!.id;
const PIM_SCOPES = ['RoleAssignmentSchedule.ReadWrite.Directory', 'RoleEligibilitySchedule.Read.Directory'];
const activation = (extra: Record<string, unknown> = {}) => ({
  action: 'selfActivate',
  principalId: BOB,
  roleDefinitionId: ROLE.teamsAdministrator,
  directoryScopeId: '/',
  justification: 'Fix meeting policy',
  scheduleInfo: { startDateTime: new Date().toISOString(), expiration: { type: 'afterDuration', duration: 'PT2H' } },
  ...extra,
});

describe('devtenant graph: roles and PIM', () => {
  let h: Harness;
  let admin: string;
  beforeEach(async () => {
    h = await startHarness();
    admin = await h.userToken('admin', ADMIN_SCOPES);
  });
  afterEach(() => h.close());

  it('fixed demo accounts hold real role template ids', async () => {
    const expected: [string, string][] = [
      [ROLE.globalAdministrator, 'admin'],
      [ROLE.teamsAdministrator, 'teamsadmin'],
      [ROLE.userAdministrator, 'useradmin'],
      [ROLE.authenticationAdministrator, 'helpdesk'],
    ];
    for (const [roleId, key] of expected) {
      const res = await json(
        await h.get(
          `/v1.0/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '${roleId}'&$expand=principal`,
          admin,
        ),
      );
      const upns = (res.value as { principal: { userPrincipalName: string } }[]).map(
        (a) => a.principal.userPrincipalName,
      );
      assert.ok(upns.includes(`${key}@contoso.onmicrosoft.com`), `${key} holds ${roleId}`);
    }
    const def = await json(
      await h.get(`/v1.0/roleManagement/directory/roleDefinitions/${ROLE.globalAdministrator}`, admin),
    );
    assert.equal(def.displayName, 'Global Administrator');
  });

  it("directoryRoles(roleTemplateId='…')/members lists members without paging", async () => {
    const res = await json(
      await h.get(
        `/v1.0/directoryRoles(roleTemplateId='${ROLE.globalAdministrator}')/members?$select=userPrincipalName`,
        admin,
      ),
    );
    assert.ok(
      (res.value as { userPrincipalName: string }[]).some(
        (m) => m.userPrincipalName === 'admin@contoso.onmicrosoft.com',
      ),
    );
    assert.equal('@odata.nextLink' in res, false);
    assert.equal(
      (await h.get(`/v1.0/directoryRoles(roleTemplateId='00000000-0000-4000-8000-000000000000')`, admin)).status,
      404,
    );
  });

  it('bob sees his eligibility through filterByCurrentUser without an admin role', async () => {
    const bob = await h.userToken('bob', PIM_SCOPES, { amr: ['pwd'] });
    assert.equal((await h.get('/v1.0/roleManagement/directory/roleEligibilityScheduleInstances', bob)).status, 403);
    const res = await json(
      await h.get(
        "/v1.0/roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')?$expand=roleDefinition",
        bob,
      ),
    );
    assert.deepEqual(
      (res.value as { roleDefinitionId: string }[]).map((e) => e.roleDefinitionId),
      [ROLE.teamsAdministrator],
    );
    const schedules = await json(
      await h.get("/v1.0/roleManagement/directory/roleEligibilitySchedules/filterByCurrentUser(on='principal')", bob),
    );
    assert.deepEqual(
      (schedules.value as { memberType: string }[]).map((e) => e.memberType),
      ['Direct'],
    );
    assert.equal(
      (await h.get("/v1.0/roleManagement/directory/roleEligibilitySchedules/filterByCurrentUser(on='nobody')", bob))
        .status,
      400,
    );
  });

  it('selfActivate enforces the role settings: justification, duration, MfaRule', async () => {
    const noMfa = await h.userToken('bob', PIM_SCOPES, { amr: ['pwd'] });
    const r1 = await json(
      await h.send(
        'POST',
        '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
        noMfa,
        activation({ justification: '', scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT12H' } } }),
      ),
    );
    assert.equal(r1.error?.code, 'RoleAssignmentRequestPolicyValidationFailed');
    assert.equal(
      r1.error?.message,
      'The following policy rules failed: ["JustificationRule","ExpirationRule","MfaRule"]',
    );
    const mfa = await h.userToken('bob', PIM_SCOPES);
    const notEligible = await json(
      await h.send(
        'POST',
        '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
        mfa,
        activation({ roleDefinitionId: ROLE.userAdministrator }),
      ),
    );
    assert.equal(notEligible.error?.message, 'The following policy rules failed: ["EligibilityRule"]');
    const other = await h.send(
      'POST',
      '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
      mfa,
      activation({ principalId: FIXED_ACCOUNTS[4].id }),
    );
    assert.equal(other.status, 400);
  });

  it('a valid selfActivate → 201 Provisioned; the role is in force (wids) and audited', async () => {
    const mfa = await h.userToken('bob', PIM_SCOPES);
    const res = await h.send(
      'POST',
      '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
      mfa,
      activation({ ticketInfo: { ticketNumber: 'INC1', ticketSystem: 'SN' } }),
    );
    assert.equal(res.status, 201);
    const body = await json(res);
    assert.equal(body.status, 'Provisioned');
    assert.match(String(body['@odata.context']), /roleAssignmentScheduleRequests\/\$entity$/);
    assert.deepEqual(h.tenant.activeRoleTemplateIds(BOB), [ROLE.teamsAdministrator]);
    const active = await json(
      await h.get(
        `/v1.0/roleManagement/directory/roleAssignmentScheduleInstances?$filter=principalId eq ` +
          `'${BOB}'&$expand=roleDefinition($select=displayName)`,
        admin,
      ),
    );
    assert.deepEqual(
      (active.value as { assignmentType: string; roleDefinition: unknown }[]).map((a) => [
        a.assignmentType,
        a.roleDefinition,
      ]),
      [['Activated', { displayName: 'Teams Administrator' }]],
    );
    const again = await json(
      await h.send('POST', '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests', mfa, activation()),
    );
    assert.equal(again.error?.code, 'RoleAssignmentExists');
    const audit = await json(await h.get("/v1.0/auditLogs/directoryAudits?$filter=loggedByService eq 'PIM'", admin));
    assert.equal((audit.value as unknown[]).length, 1);
  });

  it('AcrsRule: a role needing auth context c1 fails without acrs, then succeeds', async () => {
    h.tenant.roleEligibilities.push({
      id: h.tenant.newId(),
      principalId: BOB,
      roleDefinitionId: ROLE.privilegedRoleAdministrator,
      directoryScopeId: '/',
      startDateTime: '2020-01-01T00:00:00Z',
      endDateTime: null,
    });
    const body = activation({ roleDefinitionId: ROLE.privilegedRoleAdministrator });
    const without = await json(
      await h.send(
        'POST',
        '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
        await h.userToken('bob', PIM_SCOPES),
        body,
      ),
    );
    assert.equal(without.error?.code, 'RoleAssignmentRequestAcrsValidationFailed');
    const withAcrs = await h.send(
      'POST',
      '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
      await h.userToken('bob', PIM_SCOPES, { acrs: ['c1'] }),
      body,
    );
    assert.equal(withAcrs.status, 201);
  });

  it('approval-gated roles return PendingApproval; a second admin approves through beta approvals', async () => {
    h.tenant.roleEligibilities.push({
      id: h.tenant.newId(),
      principalId: BOB,
      roleDefinitionId: ROLE.globalAdministrator,
      directoryScopeId: '/',
      startDateTime: '2020-01-01T00:00:00Z',
      endDateTime: null,
    });
    const bob = await h.userToken('bob', PIM_SCOPES);
    const req = await json(
      await h.send(
        'POST',
        '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
        bob,
        activation({
          roleDefinitionId: ROLE.globalAdministrator,
          ticketInfo: { ticketNumber: 'INC9', ticketSystem: 'SN' },
        }),
      ),
    );
    assert.equal(req.status, 'PendingApproval');
    assert.equal(h.tenant.activeRoleTemplateIds(BOB).length, 0);
    assert.equal(
      (await h.get(`/v1.0/roleManagement/directory/roleAssignmentApprovals/${String(req.approvalId)}/steps`, admin))
        .status,
      400,
    );
    const steps = await json(
      await h.get(`/beta/roleManagement/directory/roleAssignmentApprovals/${String(req.approvalId)}/steps`, admin),
    );
    const step = (steps.value as { id: string }[])[0];
    const patch = await h.send(
      'PATCH',
      `/beta/roleManagement/directory/roleAssignmentApprovals/${String(req.approvalId)}/steps/${step.id}`,
      admin,
      { reviewResult: 'Approve', justification: 'ok' },
    );
    assert.equal(patch.status, 204);
    assert.deepEqual(h.tenant.activeRoleTemplateIds(BOB), [ROLE.globalAdministrator]);
  });
});
