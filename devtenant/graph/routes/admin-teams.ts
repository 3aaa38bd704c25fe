// /admin/teams/userConfigurations(/{userId}) and /admin/teams/policy: getPolicyId, userAssignments/assign|unassign
// (plain and namespace-qualified `microsoft.graph.teamsAdministration.assign`, since SDK clients send either).
import { registerRoutes } from './registry.js';
import { noContent, ok, type RouteContext, type RouteDefinition } from '../route.js';
import { entityResponse, listCollection, project } from '../odata/collection.js';
import { DATE_RANGE, P, type EntitySchema } from '../odata/schema.js';
import { userSchema } from '../model/user.js';
import { ROLES } from '../permissions.js';
import { GraphError, isGuid } from '../errors.js';
import { bodyObject } from './common.js';
import { markConfigurationModified, teamsIndex, wantsEvolvableEnums } from './admin-teams-index.js';
import type { SeedUser, TeamsPolicy } from '../../seed/index.js';

const TA = 'microsoft.graph.teamsAdministration';
const CONFIG_READ = {
  delegated: ['TeamsUserConfiguration.Read.All'],
  application: ['TeamsUserConfiguration.Read.All'],
};
const POLICY_ASSIGN = {
  delegated: ['TeamsPolicyUserAssign.ReadWrite.All'],
  application: ['TeamsPolicyUserAssign.ReadWrite.All'],
};

const notFound = (what: string): GraphError => new GraphError(404, 'NotFound', what);
const bad = (message: string): GraphError => new GraphError(400, 'BadRequest', message);

function accountType(ctx: RouteContext, user: SeedUser): string {
  // `ineligibleUser` sits after unknownFutureValue in the enum: Graph only sends it to clients that opt in.
  const type = user.teams.accountType;
  return type === 'ineligibleUser' && !wantsEvolvableEnums(ctx) ? 'unknownFutureValue' : type;
}

export const userConfigurationSchema: EntitySchema<SeedUser> = {
  typeName: `${TA}.teamsUserConfiguration`,
  resourceName: 'TeamsUserConfiguration',
  directory: false,
  properties: {
    id: P.str(['eq', 'in']),
    userPrincipalName: P.str(['eq', 'in', 'startswith'], true),
    accountType: { ...P.enumeration(['eq', 'in']), get: (u: SeedUser) => u.teams.accountType },
    isEnterpriseVoiceEnabled: { ...P.bool(['eq']), get: (u: SeedUser) => u.teams.isEnterpriseVoiceEnabled },
    featureTypes: { ...P.strings(['any'], ['eq']), get: (u: SeedUser) => u.teams.featureTypes },
    createdDateTime: P.date(DATE_RANGE, true),
    modifiedDateTime: P.date(DATE_RANGE, true),
    tenantId: P.str(),
    effectivePolicyAssignments: P.complexes(),
    telephoneNumbers: P.complexes(),
  },
  navigation: { user: (u, e) => project(e.ctx, userSchema, u, e.select) },
  toJson: (u, ctx) => {
    const index = teamsIndex(ctx);
    return {
      id: u.id,
      accountType: accountType(ctx, u),
      createdDateTime: u.createdDateTime,
      modifiedDateTime: index.modifiedDateTime(u),
      effectivePolicyAssignments: index.effectivePolicies(u.id),
      featureTypes: u.teams.featureTypes,
      isEnterpriseVoiceEnabled: u.teams.isEnterpriseVoiceEnabled,
      telephoneNumbers: index.telephoneNumbers(u.id),
      tenantId: ctx.tenant.id,
      userPrincipalName: u.userPrincipalName,
    };
  },
};

function findPolicyType(ctx: RouteContext, type: unknown): string {
  if (typeof type !== 'string' || type.trim() === '') throw bad("The property 'policyType' is required.");
  const known = ctx.tenant.teamsPolicies.find((p) => p.policyType.toLowerCase() === type.toLowerCase());
  if (!known) throw bad(`Policy type '${type}' is not supported.`);
  return known.policyType;
}

interface AssignmentItem {
  user: SeedUser;
  policyType: string;
  policy?: TeamsPolicy;
}

/** Validates the whole `value` array before changing anything, so a bad item leaves the tenant untouched. */
function readAssignments(ctx: RouteContext, withPolicy: boolean): AssignmentItem[] {
  const body = bodyObject(ctx);
  for (const key of Object.keys(body))
    if (key !== 'value' && !key.startsWith('@odata.')) throw bad(`The parameter '${key}' is not in scope.`);
  if (!Array.isArray(body.value) || body.value.length === 0)
    throw bad("The parameter 'value' must be a non-empty array.");
  return body.value.map((raw: unknown): AssignmentItem => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw bad("Each item of 'value' must be a teamsPolicyUserAssignment.");
    const item = raw as Record<string, unknown>;
    const odataType = item['@odata.type'];
    if (odataType !== undefined && odataType !== `#${TA}.teamsPolicyUserAssignment`)
      throw bad(`Unexpected '@odata.type' '${String(odataType)}'.`);
    for (const key of Object.keys(item)) {
      if (!key.startsWith('@odata.') && !['userId', 'policyType', 'policyId', 'id'].includes(key)) {
        throw bad(`The property '${key}' does not exist on type '${TA}.teamsPolicyUserAssignment'.`);
      }
    }
    if (typeof item.userId !== 'string' || !isGuid(item.userId))
      throw bad("The property 'userId' must be a user object id.");
    const user = ctx.tenant.userById(item.userId);
    if (!user) throw notFound(`User '${item.userId}' was not found.`);
    const policyType = findPolicyType(ctx, item.policyType);
    if (!withPolicy) return { user, policyType };
    if (typeof item.policyId !== 'string' || item.policyId === '') throw bad("The property 'policyId' is required.");
    const policy = ctx.tenant.teamsPolicies.find(
      (p) => p.policyType === policyType && p.policyId.toLowerCase() === (item.policyId as string).toLowerCase(),
    );
    if (!policy) throw notFound(`Policy '${item.policyId}' of type '${policyType}' was not found.`);
    return { user, policyType, policy };
  });
}

function assign(ctx: RouteContext) {
  const items = readAssignments(ctx, true);
  const list = ctx.tenant.teamsPolicyAssignments;
  for (const { user, policyType, policy } of items) {
    const existing = list.findIndex(
      (a) => a.userId === user.id && a.policyType === policyType && a.assignmentType === 'direct',
    );
    if (existing !== -1) list.splice(existing, 1);
    list.push({ userId: user.id, policyType, policyId: policy!.policyId, assignmentType: 'direct', groupId: null });
    markConfigurationModified(ctx.tenant, user);
    ctx.audit({
      activityDisplayName: 'Assign Teams policy to user',
      category: 'Policy',
      operationType: 'Assign',
      loggedByService: 'Microsoft Teams',
      targetResources: [
        {
          id: user.id,
          displayName: user.displayName,
          type: 'User',
          userPrincipalName: user.userPrincipalName,
          modifiedProperties: [{ displayName: policyType, oldValue: null, newValue: JSON.stringify(policy!.name) }],
        },
      ],
    });
  }
  return noContent();
}

function unassign(ctx: RouteContext) {
  const items = readAssignments(ctx, false);
  const list = ctx.tenant.teamsPolicyAssignments;
  for (const { user, policyType } of items) {
    const existing = list.findIndex(
      (a) => a.userId === user.id && a.policyType === policyType && a.assignmentType === 'direct',
    );
    if (existing !== -1) list.splice(existing, 1);
    markConfigurationModified(ctx.tenant, user);
    ctx.audit({
      activityDisplayName: 'Unassign Teams policy from user',
      category: 'Policy',
      operationType: 'Unassign',
      loggedByService: 'Microsoft Teams',
      targetResources: [
        {
          id: user.id,
          displayName: user.displayName,
          type: 'User',
          userPrincipalName: user.userPrincipalName,
          modifiedProperties: [{ displayName: policyType, oldValue: null, newValue: null }],
        },
      ],
    });
  }
  return noContent();
}

const assignmentActions = (
  name: 'assign' | 'unassign',
  handler: (ctx: RouteContext) => ReturnType<typeof noContent>,
): RouteDefinition[] =>
  [name, `${TA}.${name}`].map((segment) => ({
    method: 'POST' as const,
    path: `/admin/teams/policy/userAssignments/${segment}`,
    permissions: POLICY_ASSIGN,
    roles: ROLES.teamsWriters,
    handler,
  }));

registerRoutes([
  {
    method: 'GET',
    path: '/admin/teams/userConfigurations',
    permissions: CONFIG_READ,
    roles: ROLES.teamsReaders,
    handler: (ctx) =>
      listCollection(ctx, {
        schema: userConfigurationSchema,
        items: () => ctx.tenant.liveUsers(),
        contextPath: 'admin/teams/userConfigurations',
        disallow: ['search', 'count'],
        index: { props: ['id'], lookup: (_prop, value) => ctx.tenant.userById(value) },
      }),
  },
  {
    method: 'GET',
    path: '/admin/teams/userConfigurations/{userId}',
    permissions: CONFIG_READ,
    roles: ROLES.teamsReaders,
    handler: (ctx) => {
      const user = isGuid(ctx.params.userId) ? ctx.tenant.userById(ctx.params.userId) : undefined;
      if (!user) throw notFound(`User configuration '${ctx.params.userId}' was not found.`);
      return entityResponse(ctx, userConfigurationSchema, user, 'admin/teams/userConfigurations');
    },
  },
  {
    method: 'GET',
    path: "/admin/teams/policy/getPolicyId(type='{type}',name='{name}')",
    permissions: POLICY_ASSIGN,
    roles: ROLES.teamsReaders,
    handler: (ctx) => {
      const policyType = findPolicyType(ctx, ctx.params.type);
      const matches = ctx.tenant.teamsPolicies.filter(
        (p) => p.policyType === policyType && p.name.toLowerCase() === ctx.params.name.toLowerCase(),
      );
      if (matches.length === 0) throw notFound(`Policy '${ctx.params.name}' of type '${policyType}' was not found.`);
      return ok({
        '@odata.context': `${ctx.serviceRoot}/$metadata#Collection(${TA}.policyIdentifierDetail)`,
        value: matches.map((p) => ({ name: p.name, policyId: p.policyId })),
      });
    },
  },
  ...assignmentActions('assign', assign),
  ...assignmentActions('unassign', unassign),
]);
