// directoryRoles (legacy) and roleManagement/directory reads: roleDefinitions, roleAssignments, schedule instances.
import { registerRoutes } from './registry.js';
import { entityResponse, listCollection } from '../odata/collection.js';
import { ROLES } from '../permissions.js';
import { notFound } from '../errors.js';
import type { RouteContext, RouteDefinition } from '../route.js';
import type { DirectoryRole } from '../../seed/index.js';
import { userSchema } from '../model/user.js';
import {
  activeGrants,
  assignmentInstanceSchema,
  directoryRoleSchema,
  eligibilityInstanceSchema,
  eligibilityScheduleSchema,
  eligibleGrants,
  roleAssignmentSchema,
  roleDefinitionSchema,
} from '../model/roles.js';
import type { EntitySchema } from '../odata/schema.js';
import type { SeedUser } from '../../seed/index.js';
import { GraphError } from '../errors.js';

const roleRead = { delegated: ['RoleManagement.Read.Directory'], application: ['RoleManagement.Read.Directory'] };

/** Members of a directory role are directoryObjects (here: users), typed with @odata.type. */
const memberSchema: EntitySchema<SeedUser> = {
  ...userSchema,
  typeName: 'microsoft.graph.directoryObject',
  declaredAs: 'microsoft.graph.user',
  resourceName: 'DirectoryObject',
  toJson: (u, ctx) => ({ '@odata.type': '#microsoft.graph.user', ...userSchema.toJson(u, ctx) }),
};

function roleMembers(ctx: RouteContext, role: DirectoryRole) {
  const ids = new Set(
    activeGrants(ctx.tenant)
      .filter((g) => g.roleDefinitionId === role.roleTemplateId)
      .map((g) => g.principalId),
  );
  const members = [...ids].map((id) => ctx.tenant.userById(id)).filter((u): u is SeedUser => !!u);
  // directoryRoles members do not page (Graph returns up to 1,000 and ignores $top).
  return listCollection(ctx, {
    schema: memberSchema,
    items: members,
    contextPath: 'directoryObjects',
    page: null,
    disallow: ['search', 'orderby'],
  });
}

const findRole = (ctx: RouteContext) => {
  const key = ctx.params.roleTemplateId ?? ctx.params.id;
  const role = ctx.params.roleTemplateId
    ? ctx.tenant.directoryRoles.find((r) => r.roleTemplateId === key.toLowerCase())
    : ctx.tenant.directoryRoles.find((r) => r.id === key.toLowerCase());
  if (!role) throw notFound(key);
  return role;
};

const listOf = (
  path: string,
  contextPath: string,
  schema: EntitySchema<never>,
  items: (ctx: RouteContext) => readonly unknown[],
  perms = roleRead,
): RouteDefinition => ({
  method: 'GET',
  path,
  permissions: perms,
  roles: ROLES.roleReaders,
  handler: (ctx) =>
    listCollection(ctx, {
      schema: schema as EntitySchema<unknown>,
      items: items(ctx),
      contextPath,
      page: { default: 100, max: 999 },
    }),
});

/** `…/filterByCurrentUser(on='principal')`: any signed-in user may list their own schedules (no admin role needed). */
const mine = (
  path: string,
  contextPath: string,
  schema: EntitySchema<never>,
  items: (ctx: RouteContext) => readonly { principalId: string }[],
  perms: RouteDefinition['permissions'],
): RouteDefinition => ({
  method: 'GET',
  path: `${path}/filterByCurrentUser(on='{on}')`,
  permissions: perms,
  handler: (ctx) => {
    if (ctx.params.on !== 'principal')
      throw new GraphError(400, 'BadRequest', `Invalid value '${ctx.params.on}' for parameter 'on'.`);
    if (!ctx.caller.userId)
      throw new GraphError(400, 'BadRequest', 'filterByCurrentUser is only valid with delegated authentication flow.');
    const me = ctx.caller.userId;
    return listCollection(ctx, {
      schema: schema as EntitySchema<unknown>,
      items: items(ctx).filter((g) => g.principalId === me),
      contextPath,
      page: { default: 100, max: 999 },
    });
  },
});
const eligRead = {
  delegated: ['RoleEligibilitySchedule.Read.Directory'],
  application: ['RoleEligibilitySchedule.Read.Directory'],
};
const assignRead = {
  delegated: ['RoleAssignmentSchedule.Read.Directory'],
  application: ['RoleAssignmentSchedule.Read.Directory'],
};

registerRoutes([
  mine(
    '/roleManagement/directory/roleEligibilitySchedules',
    'roleManagement/directory/roleEligibilitySchedules',
    eligibilityScheduleSchema as EntitySchema<never>,
    (ctx) => eligibleGrants(ctx.tenant),
    eligRead,
  ),
  listOf(
    '/roleManagement/directory/roleEligibilitySchedules',
    'roleManagement/directory/roleEligibilitySchedules',
    eligibilityScheduleSchema as EntitySchema<never>,
    (ctx) => eligibleGrants(ctx.tenant),
    eligRead,
  ),
  mine(
    '/roleManagement/directory/roleEligibilityScheduleInstances',
    'roleManagement/directory/roleEligibilityScheduleInstances',
    eligibilityInstanceSchema as EntitySchema<never>,
    (ctx) => eligibleGrants(ctx.tenant),
    eligRead,
  ),
  mine(
    '/roleManagement/directory/roleAssignmentScheduleInstances',
    'roleManagement/directory/roleAssignmentScheduleInstances',
    assignmentInstanceSchema as EntitySchema<never>,
    (ctx) => activeGrants(ctx.tenant),
    assignRead,
  ),
  {
    method: 'GET',
    path: '/directoryRoles',
    permissions: roleRead,
    handler: (ctx) =>
      listCollection(ctx, {
        schema: directoryRoleSchema,
        items: ctx.tenant.directoryRoles,
        contextPath: 'directoryRoles',
        page: null,
      }),
  },
  {
    method: 'GET',
    path: '/directoryRoles/{id}',
    permissions: roleRead,
    handler: (ctx) => entityResponse(ctx, directoryRoleSchema, findRole(ctx), 'directoryRoles'),
  },
  {
    method: 'GET',
    path: "/directoryRoles(roleTemplateId='{roleTemplateId}')",
    permissions: roleRead,
    handler: (ctx) => entityResponse(ctx, directoryRoleSchema, findRole(ctx), 'directoryRoles'),
  },
  {
    method: 'GET',
    path: '/directoryRoles/{id}/members',
    permissions: roleRead,
    handler: (ctx) => roleMembers(ctx, findRole(ctx)),
  },
  {
    method: 'GET',
    path: "/directoryRoles(roleTemplateId='{roleTemplateId}')/members",
    permissions: roleRead,
    handler: (ctx) => roleMembers(ctx, findRole(ctx)),
  },
  {
    method: 'GET',
    path: '/roleManagement/directory/roleDefinitions',
    permissions: roleRead,
    handler: (ctx) =>
      listCollection(ctx, {
        schema: roleDefinitionSchema,
        items: ctx.tenant.roleDefinitions,
        contextPath: 'roleManagement/directory/roleDefinitions',
        page: null,
      }),
  },
  {
    method: 'GET',
    path: '/roleManagement/directory/roleDefinitions/{id}',
    permissions: roleRead,
    handler: (ctx) => {
      const d = ctx.tenant.roleDefinitionById(ctx.params.id.toLowerCase());
      if (!d) throw notFound(ctx.params.id);
      return entityResponse(ctx, roleDefinitionSchema, d, 'roleManagement/directory/roleDefinitions');
    },
  },
  listOf(
    '/roleManagement/directory/roleAssignments',
    'roleManagement/directory/roleAssignments',
    roleAssignmentSchema as EntitySchema<never>,
    (ctx) => activeGrants(ctx.tenant),
  ),
  listOf(
    '/roleManagement/directory/roleEligibilityScheduleInstances',
    'roleManagement/directory/roleEligibilityScheduleInstances',
    eligibilityInstanceSchema as EntitySchema<never>,
    (ctx) => eligibleGrants(ctx.tenant),
    eligRead,
  ),
  listOf(
    '/roleManagement/directory/roleAssignmentScheduleInstances',
    'roleManagement/directory/roleAssignmentScheduleInstances',
    assignmentInstanceSchema as EntitySchema<never>,
    (ctx) => activeGrants(ctx.tenant),
    assignRead,
  ),
]);
