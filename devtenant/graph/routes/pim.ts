// PIM: roleAssignmentScheduleRequests (selfActivate / selfDeactivate / adminAssign / adminRemove) with role-setting
// rules (justification, ticket, maximum duration, MfaRule, AcrsRule, approval), and beta roleAssignmentApprovals.
import { registerRoutes } from './registry.js';
import { created, noContent, ok, type RouteContext } from '../route.js';
import { entityResponse, listCollection } from '../odata/collection.js';
import { scheduleRequestSchema } from '../model/roles.js';
import { ROLES } from '../permissions.js';
import { GraphError, badRequest, forbidden, isGuid, notFound } from '../errors.js';
import { bodyObject } from './common.js';
import { ROLE, isoSeconds, type RoleAssignmentScheduleRequest, type TenantStore } from '../../seed/index.js';

const ACTIONS = [
  'adminAssign',
  'adminUpdate',
  'adminRemove',
  'adminExtend',
  'adminRenew',
  'selfActivate',
  'selfDeactivate',
  'selfExtend',
  'selfRenew',
];
const SUPPORTED = ['selfActivate', 'selfDeactivate', 'adminAssign', 'adminRemove'];
const ROLE_ADMINS: readonly string[] = [ROLE.globalAdministrator, ROLE.privilegedRoleAdministrator];

/** ISO 8601 duration (PnDTnHnMnS) → minutes, or null when malformed. */
export function durationMinutes(d: string): number | null {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(d);
  if (!m || d === 'P' || d.endsWith('T')) return null;
  return Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) + Number(m[4] ?? 0) / 60;
}

const policyFailed = (rules: string[]) =>
  new GraphError(
    400,
    'RoleAssignmentRequestPolicyValidationFailed',
    `The following policy rules failed: ${JSON.stringify(rules)}`,
  );

function parseRequest(ctx: RouteContext) {
  const body = bodyObject(ctx);
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const action = str(body.action);
  if (!action || !ACTIONS.includes(action))
    throw badRequest(`Invalid value '${String(body.action)}' for property 'action'.`, 'BadRequest');
  if (!SUPPORTED.includes(action))
    throw new GraphError(400, 'BadRequest', `The action '${action}' is not supported by this stand-in.`);
  const principalId = str(body.principalId);
  const roleDefinitionId = str(body.roleDefinitionId);
  if (!principalId || !isGuid(principalId)) throw badRequest("Invalid value specified for property 'principalId'.");
  if (!roleDefinitionId || !isGuid(roleDefinitionId))
    throw badRequest("Invalid value specified for property 'roleDefinitionId'.");
  const directoryScopeId = str(body.directoryScopeId) ?? '/';
  const schedule = (body.scheduleInfo ?? {}) as {
    startDateTime?: unknown;
    expiration?: { type?: unknown; duration?: unknown; endDateTime?: unknown };
  };
  const ticket = (body.ticketInfo ?? {}) as { ticketNumber?: unknown; ticketSystem?: unknown };
  return {
    action,
    principalId: principalId.toLowerCase(),
    roleDefinitionId: roleDefinitionId.toLowerCase(),
    directoryScopeId,
    justification: str(body.justification),
    isValidationOnly: body.isValidationOnly === true,
    start: str(schedule.startDateTime),
    expirationType: canonicalExpiration(str(schedule.expiration?.type)) ?? 'afterDuration',
    duration: str(schedule.expiration?.duration),
    endDateTime: str(schedule.expiration?.endDateTime),
    ticketNumber: str(ticket.ticketNumber),
    ticketSystem: str(ticket.ticketSystem),
  };
}
type ParsedRequest = ReturnType<typeof parseRequest>;

const EXPIRATION_TYPES = ['notSpecified', 'noExpiration', 'afterDateTime', 'afterDuration'];
/** expirationPatternType as Graph echoes it, whatever the case it was sent in. */
function canonicalExpiration(raw: string | null | undefined): string | null | undefined {
  return EXPIRATION_TYPES.find((t) => t.toLowerCase() === raw?.toLowerCase()) ?? raw;
}

/** End of the requested window in ms, checked against the role's maximum (ExpirationRule). */
function requestedEnd(p: ParsedRequest, startMs: number): number | null {
  // Graph's own selfActivate example writes "AfterDuration": enum members are matched without regard to case.
  const type = p.expirationType;
  if (type === 'afterDuration' && p.duration) {
    const min = durationMinutes(p.duration);
    return min === null ? null : startMs + min * 60_000;
  }
  if (type === 'afterDateTime' && p.endDateTime) {
    const t = Date.parse(p.endDateTime);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

function activate(
  ctx: RouteContext,
  tenant: TenantStore,
  p: ParsedRequest,
  request: RoleAssignmentScheduleRequest,
): void {
  if (ctx.caller.userId !== p.principalId)
    throw badRequest('The principalId of a self-service request must be the signed-in user.');
  const eligible = tenant.roleEligibilities.some(
    (e) => e.principalId === p.principalId && e.roleDefinitionId === p.roleDefinitionId,
  );
  if (!eligible) throw policyFailed(['EligibilityRule']);
  if (tenant.activeRoleTemplateIds(p.principalId).includes(p.roleDefinitionId)) {
    throw new GraphError(400, 'RoleAssignmentExists', 'The Role assignment already exists.');
  }
  const policy = tenant.rolePolicies.get(p.roleDefinitionId);
  const startMs = p.start ? Date.parse(p.start) : tenant.now().getTime();
  const endMs = requestedEnd(p, startMs);
  const failed: string[] = [];
  if (policy?.requireJustification && !p.justification?.trim()) failed.push('JustificationRule');
  if (policy?.requireTicket && (!p.ticketNumber || !p.ticketSystem)) failed.push('TicketingRule');
  const maxMin = policy ? (durationMinutes(policy.maxDuration) ?? 480) : 480;
  if (endMs === null || Number.isNaN(startMs) || endMs <= startMs || endMs - startMs > maxMin * 60_000)
    failed.push('ExpirationRule');
  if (policy?.requireMfa && !ctx.caller.amr.includes('mfa')) failed.push('MfaRule');
  if (failed.length) throw policyFailed(failed);
  if (policy?.requireAuthContext && !ctx.caller.acrs.includes(policy.requireAuthContext)) {
    throw new GraphError(
      400,
      'RoleAssignmentRequestAcrsValidationFailed',
      'The following policy rules failed: ["AcrsRule"]',
    );
  }
  if (p.isValidationOnly) {
    request.status = 'PendingEvaluation';
    return;
  }
  if (policy?.requireApproval) {
    request.status = 'PendingApproval';
    request.approvalId = request.id;
    tenant.roleApprovals.set(request.id, {
      id: request.id,
      requestId: request.id,
      steps: [
        {
          id: tenant.newId(),
          displayName: null,
          reviewedBy: null,
          reviewedDateTime: null,
          reviewResult: 'NotReviewed',
          status: 'InProgress',
          justification: null,
          assignedToMe: false,
        },
      ],
    });
    return;
  }
  tenant.roleActivations.push({
    id: tenant.newId(),
    principalId: p.principalId,
    roleDefinitionId: p.roleDefinitionId,
    directoryScopeId: p.directoryScopeId,
    startDateTime: isoSeconds(startMs),
    endDateTime: isoSeconds(endMs!),
    requestId: request.id,
  });
  request.status = 'Provisioned';
  request.completedDateTime = tenant.nowIso();
}

function handlePost(ctx: RouteContext) {
  const tenant = ctx.tenant;
  const p = parseRequest(ctx);
  if (!tenant.roleDefinitionById(p.roleDefinitionId)) throw notFound(p.roleDefinitionId);
  if (!tenant.userById(p.principalId)) throw notFound(p.principalId);
  const request: RoleAssignmentScheduleRequest = {
    id: tenant.newId(),
    action: p.action,
    principalId: p.principalId,
    roleDefinitionId: p.roleDefinitionId,
    directoryScopeId: p.directoryScopeId,
    status: 'Granted',
    createdDateTime: tenant.nowIso(),
    completedDateTime: null,
    justification: p.justification,
    isValidationOnly: p.isValidationOnly,
    createdBy: {
      user: ctx.caller.userId ? { id: ctx.caller.userId } : null,
      application: ctx.caller.userId ? null : { id: ctx.caller.appId },
    },
    scheduleInfo: {
      startDateTime: p.start ?? tenant.nowIso(),
      expiration: { type: p.expirationType, duration: p.duration, endDateTime: p.endDateTime },
    },
    ticketInfo: { ticketNumber: p.ticketNumber, ticketSystem: p.ticketSystem },
    approvalId: null,
  };
  if (p.action === 'selfActivate') activate(ctx, tenant, p, request);
  else if (p.action === 'selfDeactivate') {
    if (ctx.caller.userId !== p.principalId)
      throw badRequest('The principalId of a self-service request must be the signed-in user.');
    const i = tenant.roleActivations.findIndex(
      (a) => a.principalId === p.principalId && a.roleDefinitionId === p.roleDefinitionId,
    );
    if (i < 0) throw new GraphError(400, 'ActiveDurationTooShort', 'There is no active assignment to deactivate.');
    tenant.roleActivations.splice(i, 1);
    request.status = 'Revoked';
    request.completedDateTime = tenant.nowIso();
  } else {
    if (ctx.caller.kind === 'delegated' && !ctx.caller.wids.some((w) => ROLE_ADMINS.includes(w))) throw forbidden();
    if (p.action === 'adminAssign') {
      if (
        tenant.roleAssignments.some((a) => a.principalId === p.principalId && a.roleDefinitionId === p.roleDefinitionId)
      ) {
        throw new GraphError(400, 'RoleAssignmentExists', 'The Role assignment already exists.');
      }
      tenant.roleAssignments.push({
        id: tenant.newId(),
        principalId: p.principalId,
        roleDefinitionId: p.roleDefinitionId,
        directoryScopeId: p.directoryScopeId,
        createdDateTime: tenant.nowIso(),
      });
    } else {
      const i = tenant.roleAssignments.findIndex(
        (a) => a.principalId === p.principalId && a.roleDefinitionId === p.roleDefinitionId,
      );
      if (i < 0) throw new GraphError(400, 'RoleAssignmentDoesNotExist', 'The Role assignment does not exist.');
      tenant.roleAssignments.splice(i, 1);
    }
    request.status = p.action === 'adminAssign' ? 'Provisioned' : 'Revoked';
    request.completedDateTime = tenant.nowIso();
  }
  tenant.roleAssignmentRequests.push(request);
  const user = tenant.userById(p.principalId)!;
  const role = tenant.roleDefinitionById(p.roleDefinitionId)!;
  ctx.audit({
    activityDisplayName: `${p.action === 'selfActivate' ? 'Add member to role completed (PIM activation)' : p.action === 'selfDeactivate' ? 'Remove member from role (PIM deactivation)' : p.action === 'adminAssign' ? 'Add member to role' : 'Remove member from role'}`,
    category: 'RoleManagement',
    operationType: p.action.endsWith('Remove') || p.action === 'selfDeactivate' ? 'Unassign' : 'Assign',
    loggedByService: 'PIM',
    resultReason: p.justification ?? '',
    targetResources: [
      { id: role.id, displayName: role.displayName, type: 'Role', userPrincipalName: null, modifiedProperties: [] },
      {
        id: user.id,
        displayName: user.displayName,
        type: 'User',
        userPrincipalName: user.userPrincipalName,
        modifiedProperties: [],
      },
    ],
  });
  return created({
    '@odata.context': `${ctx.serviceRoot}/$metadata#roleManagement/directory/roleAssignmentScheduleRequests/$entity`,
    ...scheduleRequestSchema.toJson(request, ctx),
  });
}

const readPerms = {
  delegated: ['RoleAssignmentSchedule.Read.Directory'],
  application: ['RoleAssignmentSchedule.Read.Directory'],
};
const writePerms = {
  delegated: ['RoleAssignmentSchedule.ReadWrite.Directory'],
  application: ['RoleAssignmentSchedule.ReadWrite.Directory'],
};

function approvalFor(ctx: RouteContext) {
  const a = ctx.tenant.roleApprovals.get(ctx.params.id.toLowerCase());
  if (!a) throw notFound(ctx.params.id);
  return a;
}

registerRoutes([
  {
    method: 'GET',
    path: '/roleManagement/directory/roleAssignmentScheduleRequests',
    permissions: readPerms,
    roles: ROLES.roleReaders,
    handler: (ctx) =>
      listCollection(ctx, {
        schema: scheduleRequestSchema,
        items: ctx.tenant.roleAssignmentRequests,
        contextPath: 'roleManagement/directory/roleAssignmentScheduleRequests',
      }),
  },
  {
    method: 'GET',
    path: '/roleManagement/directory/roleAssignmentScheduleRequests/{id}',
    permissions: readPerms,
    roles: ROLES.roleReaders,
    handler: (ctx) => {
      const r = ctx.tenant.roleAssignmentRequests.find((x) => x.id === ctx.params.id.toLowerCase());
      if (!r) throw notFound(ctx.params.id);
      return entityResponse(ctx, scheduleRequestSchema, r, 'roleManagement/directory/roleAssignmentScheduleRequests');
    },
  },
  {
    method: 'POST',
    path: '/roleManagement/directory/roleAssignmentScheduleRequests',
    permissions: writePerms,
    handler: handlePost,
  },
  {
    method: 'GET',
    path: '/roleManagement/directory/roleAssignmentApprovals/{id}',
    versions: ['beta'],
    permissions: readPerms,
    roles: ROLES.roleWriters,
    handler: (ctx) => {
      const a = approvalFor(ctx);
      return ok({
        '@odata.context': `${ctx.serviceRoot}/$metadata#roleManagement/directory/roleAssignmentApprovals/$entity`,
        id: a.id,
        steps: a.steps,
      });
    },
  },
  {
    method: 'GET',
    path: '/roleManagement/directory/roleAssignmentApprovals/{id}/steps',
    versions: ['beta'],
    permissions: readPerms,
    roles: ROLES.roleWriters,
    handler: (ctx) =>
      ok({
        '@odata.context': `${ctx.serviceRoot}/$metadata#roleManagement/directory/roleAssignmentApprovals('${ctx.params.id}')/steps`,
        value: approvalFor(ctx).steps,
      }),
  },
  {
    method: 'PATCH',
    path: '/roleManagement/directory/roleAssignmentApprovals/{id}/steps/{stepId}',
    versions: ['beta'],
    permissions: writePerms,
    roles: ROLES.roleWriters,
    handler: (ctx) => {
      const approval = approvalFor(ctx);
      const step = approval.steps.find((s) => s.id === ctx.params.stepId.toLowerCase());
      if (!step) throw notFound(ctx.params.stepId);
      const body = bodyObject(ctx);
      if (body.reviewResult !== 'Approve' && body.reviewResult !== 'Deny')
        throw new GraphError(400, 'BadRequest', "reviewResult must be 'Approve' or 'Deny'.");
      if (typeof body.justification !== 'string' || !body.justification.trim())
        throw new GraphError(400, 'BadRequest', 'A justification is required.');
      const request = ctx.tenant.roleAssignmentRequests.find((r) => r.id === approval.requestId)!;
      if (request.principalId === ctx.caller.userId)
        throw new GraphError(403, 'Authorization_RequestDenied', 'Requestors cannot approve their own requests.');
      if (step.status === 'Completed')
        throw new GraphError(400, 'BadRequest', 'The approval step has already been reviewed.');
      const reviewer = ctx.tenant.userById(ctx.caller.userId ?? '');
      Object.assign(step, {
        reviewResult: body.reviewResult,
        justification: body.justification,
        status: 'Completed',
        reviewedDateTime: ctx.tenant.nowIso(),
        reviewedBy: reviewer ? { user: { id: reviewer.id, displayName: reviewer.displayName } } : null,
      });
      if (body.reviewResult === 'Approve') {
        const minutes = durationMinutes(request.scheduleInfo.expiration.duration ?? '') ?? 60;
        const start = ctx.tenant.now().getTime();
        ctx.tenant.roleActivations.push({
          id: ctx.tenant.newId(),
          principalId: request.principalId,
          roleDefinitionId: request.roleDefinitionId,
          directoryScopeId: request.directoryScopeId,
          startDateTime: isoSeconds(start),
          endDateTime: isoSeconds(start + minutes * 60_000),
          requestId: request.id,
        });
        request.status = 'Provisioned';
      } else request.status = 'Denied';
      request.completedDateTime = ctx.tenant.nowIso();
      ctx.audit({
        activityDisplayName:
          body.reviewResult === 'Approve' ? 'Approve requested role activation' : 'Deny requested role activation',
        category: 'RoleManagement',
        operationType: 'Update',
        loggedByService: 'PIM',
        resultReason: body.justification,
        targetResources: [
          { id: request.id, displayName: null, type: 'Request', userPrincipalName: null, modifiedProperties: [] },
        ],
      });
      return noContent();
    },
  },
]);
