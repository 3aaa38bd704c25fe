// /admin/teams/telephoneNumberManagement: numberAssignments (list, assignNumber, unassignNumber) and operations/{id}.
// Assigning and unassigning are asynchronous orders: 202 + Location at once, the number changes when the
// order completes.
import { registerRoutes } from './registry.js';
import { accepted, ok, type RouteContext, type RouteDefinition } from '../route.js';
import { listCollection } from '../odata/collection.js';
import { P, type EntitySchema } from '../odata/schema.js';
import { ROLES } from '../permissions.js';
import { GraphError, isGuid } from '../errors.js';
import { bodyObject } from './common.js';
import { hasPendingOperation, registerCompletion, settle, settleTarget, startOperation } from './teams-operations.js';
import { markConfigurationModified } from './admin-teams-index.js';
import {
  SERVICE_PLAN,
  type AsyncOperation,
  type NumberAssignment,
  type SeedUser,
  type TenantStore,
} from '../../seed/index.js';

const TA = 'microsoft.graph.teamsAdministration';
const BASE = '/admin/teams/telephoneNumberManagement';
const NUMBER_READ = { delegated: ['TeamsTelephoneNumber.Read.All'], application: ['TeamsTelephoneNumber.Read.All'] };
const NUMBER_WRITE = {
  delegated: ['TeamsTelephoneNumber.ReadWrite.All'],
  application: ['TeamsTelephoneNumber.ReadWrite.All'],
};
const NUMBER_TYPES = ['directRouting', 'callingPlan', 'operatorConnect'] as const;
const CATEGORIES = ['primary', 'private', 'alternate'] as const;
const ORDER_KINDS = ['assignNumber', 'unassignNumber'];

const bad = (message: string): GraphError => new GraphError(400, 'BadRequest', message);

/** The CSDL enum has no `internalCalling`; an unmodelled seed value surfaces as unknownFutureValue, as Graph would. */
const numberType = (n: NumberAssignment): string =>
  (NUMBER_TYPES as readonly string[]).includes(n.numberType) ? n.numberType : 'unknownFutureValue';

export const numberAssignmentSchema: EntitySchema<NumberAssignment> = {
  typeName: `${TA}.numberAssignment`,
  resourceName: 'NumberAssignment',
  directory: false,
  properties: {
    id: P.str(['eq']),
    telephoneNumber: P.str(['eq', 'startswith'], true),
    numberType: { ...P.enumeration(['eq']), get: numberType },
    assignmentStatus: P.enumeration(['eq']),
    activationState: P.enumeration(['eq']),
    assignmentTargetId: P.str(['eq']),
    assignmentCategory: P.enumeration(['eq']),
    isoCountryCode: P.str(['eq']),
    locationId: P.str(['eq']),
    city: { ...P.str(['eq']), get: (n: NumberAssignment) => n.cityCode },
    capabilities: P.strings(),
    civicAddressId: P.str(),
    networkSiteId: P.str(),
    numberSource: P.enumeration(),
    operatorId: P.str(),
    portInStatus: P.enumeration(),
    reverseNumberLookupOptions: P.strings(),
    supportedCustomerActions: P.strings(),
  },
  toJson: (n) => ({
    id: n.id,
    telephoneNumber: n.telephoneNumber,
    numberType: numberType(n),
    assignmentStatus: n.assignmentStatus,
    activationState: n.activationState,
    assignmentTargetId: n.assignmentTargetId,
    assignmentCategory: n.assignmentCategory,
    isoCountryCode: n.isoCountryCode,
    locationId: n.locationId,
    city: n.cityCode,
    capabilities: n.capabilities,
    civicAddressId: null,
    networkSiteId: n.networkSiteId,
    numberSource: n.numberType === 'directRouting' ? 'onPremises' : 'online',
    operatorId: n.operatorId ?? '',
    portInStatus: n.portInStatus,
    // Seed keeps reverseNumberLookup; the CSDL name is reverseNumberLookupOptions.
    reverseNumberLookupOptions: n.reverseNumberLookup,
    supportedCustomerActions: n.supportedCustomerActions,
  }),
};

function findNumber(tenant: TenantStore, telephoneNumber: unknown): NumberAssignment {
  if (typeof telephoneNumber !== 'string' || telephoneNumber.trim() === '')
    throw bad("The parameter 'telephoneNumber' is required.");
  const normalized = telephoneNumber.startsWith('+') ? telephoneNumber : `+${telephoneNumber}`;
  const found = tenant.numberAssignments.find((n) => n.telephoneNumber === normalized);
  if (!found)
    throw new GraphError(404, 'NotFound', `Telephone number '${telephoneNumber}' was not found in the tenant.`);
  settleTarget(tenant, found.id);
  return found;
}

function checkNumberType(number: NumberAssignment, requested: unknown, required: boolean): void {
  if (requested === undefined && !required) return;
  if (typeof requested !== 'string' || !(NUMBER_TYPES as readonly string[]).includes(requested)) {
    throw bad(
      `Invalid value '${String(requested)}' for parameter 'numberType' (directRouting, callingPlan, operatorConnect).`,
    );
  }
  if (requested !== numberType(number))
    throw bad(`Telephone number '${number.telephoneNumber}' is a ${numberType(number)} number, not ${requested}.`);
}

function rejectUnknownParameters(body: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(body)) if (!allowed.includes(key)) throw bad(`The parameter '${key}' is not in scope.`);
}

const hasPhoneSystem = (tenant: TenantStore, user: SeedUser): boolean =>
  user.assignedLicenses.some((l) =>
    tenant.subscribedSkus.some(
      (s) =>
        s.skuId === l.skuId &&
        s.servicePlans.some((p) => p.servicePlanId === SERVICE_PLAN.phoneSystem.servicePlanId) &&
        !l.disabledPlans.includes(SERVICE_PLAN.phoneSystem.servicePlanId),
    ),
  );

function order(
  ctx: RouteContext,
  kind: 'assignNumber' | 'unassignNumber',
  number: NumberAssignment,
  details: Record<string, unknown>,
) {
  if (hasPendingOperation(ctx.tenant, number.id, ORDER_KINDS))
    throw bad(`An order for telephone number '${number.telephoneNumber}' is already in progress.`);
  number.activationState = kind === 'assignNumber' ? 'assignmentPending' : 'updatePending';
  const op = startOperation(ctx.tenant, {
    kind,
    targetResourceId: number.id,
    targetResourceLocation: `${BASE}/numberAssignments/${number.id}`,
    details,
  });
  ctx.audit({
    activityDisplayName: kind === 'assignNumber' ? 'Assign telephone number' : 'Unassign telephone number',
    category: 'Policy',
    operationType: kind === 'assignNumber' ? 'Assign' : 'Unassign',
    loggedByService: 'Microsoft Teams',
    targetResources: [
      {
        id: String(details.userId ?? number.assignmentTargetId ?? ''),
        displayName: null,
        type: 'User',
        userPrincipalName: null,
        modifiedProperties: [
          { displayName: 'TelephoneNumber', oldValue: null, newValue: JSON.stringify(number.telephoneNumber) },
        ],
      },
    ],
  });
  return accepted(`${ctx.serviceRoot}${BASE}/operations/${op.id}`);
}

function assignNumber(ctx: RouteContext) {
  const body = bodyObject(ctx);
  rejectUnknownParameters(body, [
    'telephoneNumber',
    'assignmentTargetId',
    'numberType',
    'assignmentCategory',
    'locationId',
  ]);
  const number = findNumber(ctx.tenant, body.telephoneNumber);
  checkNumberType(number, body.numberType, true);
  if (typeof body.assignmentTargetId !== 'string' || !isGuid(body.assignmentTargetId))
    throw bad("The parameter 'assignmentTargetId' must be a user object id.");
  const category = body.assignmentCategory ?? 'primary';
  if (typeof category !== 'string' || !(CATEGORIES as readonly string[]).includes(category))
    throw bad(`Invalid value '${String(category)}' for 'assignmentCategory'.`);
  if (number.assignmentStatus !== 'unassigned' || number.activationState !== 'activated') {
    throw bad(`Telephone number '${number.telephoneNumber}' is already assigned.`);
  }
  const user = ctx.tenant.userById(body.assignmentTargetId);
  if (!user) throw new GraphError(404, 'NotFound', `User '${body.assignmentTargetId}' was not found.`);
  if (!hasPhoneSystem(ctx.tenant, user))
    throw bad(`User '${user.userPrincipalName}' is not licensed for Teams Phone (Phone System).`);
  return order(ctx, 'assignNumber', number, {
    userId: user.id,
    assignmentCategory: category,
    locationId: body.locationId ?? null,
  });
}

function unassignNumber(ctx: RouteContext) {
  const body = bodyObject(ctx);
  rejectUnknownParameters(body, ['telephoneNumber', 'numberType']);
  const number = findNumber(ctx.tenant, body.telephoneNumber);
  checkNumberType(number, body.numberType, false);
  if (number.assignmentStatus === 'unassigned')
    throw bad(`Telephone number '${number.telephoneNumber}' is not assigned.`);
  return order(ctx, 'unassignNumber', number, { userId: number.assignmentTargetId });
}

registerCompletion('assignNumber', (tenant, op) => {
  const number = tenant.numberAssignments.find((n) => n.id === op.targetResourceId);
  const user = tenant.userById(String(op.details.userId));
  if (!number || !user) return;
  Object.assign(number, {
    assignmentStatus: 'userAssigned',
    activationState: 'activated',
    assignmentTargetId: user.id,
    assignmentCategory: op.details.assignmentCategory,
    locationId: (op.details.locationId as string | null) ?? number.locationId,
  });
  // Set-CsPhoneNumberAssignment enables Enterprise Voice with the number; the Graph order does the same here.
  user.teams.isEnterpriseVoiceEnabled = true;
  markConfigurationModified(tenant, user);
});
registerCompletion('unassignNumber', (tenant, op) => {
  const number = tenant.numberAssignments.find((n) => n.id === op.targetResourceId);
  if (!number) return;
  const user = number.assignmentTargetId ? tenant.userById(number.assignmentTargetId) : undefined;
  Object.assign(number, {
    assignmentStatus: 'unassigned',
    activationState: 'activated',
    assignmentTargetId: null,
    assignmentCategory: null,
  });
  markConfigurationModified(tenant, user);
});

function operationJson(ctx: RouteContext, op: AsyncOperation): Record<string, unknown> {
  const status = op.status === 'inProgress' ? 'running' : op.status; // longRunningOperationStatus spells it `running`
  return {
    '@odata.context': `${ctx.serviceRoot}/$metadata#admin/teams/telephoneNumberManagement/operations/$entity`,
    id: op.id,
    createdDateTime: op.createdDateTime,
    status,
    numbers: [{ resourceLocation: `${ctx.serviceRoot}${op.targetResourceLocation}`, status, statusDetail: null }],
  };
}

const actions = (name: 'assignNumber' | 'unassignNumber', handler: RouteDefinition['handler']): RouteDefinition[] =>
  [name, `${TA}.${name}`].map((segment) => ({
    method: 'POST' as const,
    path: `${BASE}/numberAssignments/${segment}`,
    permissions: NUMBER_WRITE,
    roles: ROLES.teamsVoiceWriters,
    handler,
  }));

registerRoutes([
  {
    method: 'GET',
    path: `${BASE}/numberAssignments`,
    permissions: NUMBER_READ,
    roles: ROLES.teamsReaders,
    handler: (ctx) => {
      for (const op of ctx.tenant.asyncOperations.values()) if (ORDER_KINDS.includes(op.kind)) settle(ctx.tenant, op);
      return listCollection(ctx, {
        schema: numberAssignmentSchema,
        items: ctx.tenant.numberAssignments,
        contextPath: 'admin/teams/telephoneNumberManagement/numberAssignments',
        disallow: ['search', 'expand', 'count'],
      });
    },
  },
  ...actions('assignNumber', assignNumber),
  ...actions('unassignNumber', unassignNumber),
  {
    method: 'GET',
    path: `${BASE}/operations/{id}`,
    permissions: NUMBER_READ,
    roles: ROLES.teamsReaders,
    handler: (ctx) => {
      const op = ctx.tenant.asyncOperations.get(ctx.params.id);
      if (!op || !ORDER_KINDS.includes(op.kind))
        throw new GraphError(404, 'NotFound', `Operation '${ctx.params.id}' was not found.`);
      return ok(operationJson(ctx, settle(ctx.tenant, op)));
    },
  },
]);
