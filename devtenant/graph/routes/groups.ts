// /groups, /groups/{id}, members / owners / transitiveMembers, $ref add/remove, PATCH with members@odata.bind.
import { registerRoutes } from './registry.js';
import { noContent, type RouteContext } from '../route.js';
import { entityResponse, listCollection } from '../odata/collection.js';
import type { EntitySchema } from '../odata/schema.js';
import { groupSchema } from '../model/group.js';
import { userSchema } from '../model/user.js';
import { ROLES } from '../permissions.js';
import { GraphError, badRequest, forbidden, isGuid, notFound } from '../errors.js';
import { bodyObject, resolveGroup } from './common.js';
import { checkWritableBody, GROUP_WRITABLE } from '../model/writable.js';

/** SeedGroup fields stored as they are; other writable properties live in `group.extra`. */
const GROUP_CORE_FIELDS = new Set([
  'displayName',
  'description',
  'visibility',
  'mailNickname',
  'mailEnabled',
  'securityEnabled',
  'groupTypes',
]);
import { ROLE, type SeedGroup, type SeedUser } from '../../seed/index.js';

/** Group members are directoryObjects; here always users, typed. */
const memberSchema: EntitySchema<SeedUser> = {
  ...userSchema,
  typeName: 'microsoft.graph.directoryObject',
  declaredAs: 'microsoft.graph.user',
  resourceName: 'DirectoryObject',
  toJson: (u, ctx) => ({ '@odata.type': '#microsoft.graph.user', ...userSchema.toJson(u, ctx) }),
};

const read = { delegated: ['GroupMember.Read.All'], application: ['GroupMember.Read.All'] };
const write = { delegated: ['GroupMember.ReadWrite.All'], application: ['GroupMember.ReadWrite.All'] };
const GROUP_MANAGERS: readonly string[] = [ROLE.globalAdministrator, ...ROLES.groupWriters];

/** Directory writers, or an owner of the group (as Entra lets owners manage membership). */
function assertCanManage(ctx: RouteContext, group: SeedGroup): void {
  if (ctx.caller.kind !== 'delegated') return;
  if (ctx.caller.wids.some((w) => GROUP_MANAGERS.includes(w))) return;
  if (group.resourceProvisioningOptions.includes('Team') && ctx.caller.wids.includes(ROLE.teamsAdministrator)) return;
  if (ctx.caller.userId && group.ownerIds.has(ctx.caller.userId)) return;
  throw forbidden();
}

/** `{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}"}` (or users/{id}, users('{id}')) → the user. */
function referencedUser(ctx: RouteContext, ref: unknown): SeedUser {
  if (typeof ref !== 'string') throw badRequest("Invalid request body: '@odata.id' is required.", 'BadRequest');
  const m = /\/(?:directoryObjects|users)(?:\/|\(')([^/'()?]+)'?\)?\/?$/i.exec(ref);
  if (!m) throw badRequest(`Invalid object identifier '${ref}'.`);
  const id = decodeURIComponent(m[1]);
  if (!isGuid(id)) throw badRequest(`Invalid object identifier '${id}'.`);
  const user = ctx.tenant.userById(id);
  if (!user) throw notFound(id);
  return user;
}

const duplicate = (prop: string) =>
  badRequest(`One or more added object references already exist for the following modified properties: '${prop}'.`);

function addRef(ctx: RouteContext, set: 'memberIds' | 'ownerIds') {
  const group = resolveGroup(ctx, ctx.params.id);
  assertCanManage(ctx, group);
  const body = bodyObject(ctx);
  const user = referencedUser(ctx, body['@odata.id']);
  const prop = set === 'memberIds' ? 'members' : 'owners';
  if (group[set].has(user.id)) throw duplicate(prop);
  group[set].add(user.id);
  ctx.audit({
    activityDisplayName: set === 'memberIds' ? 'Add member to group' : 'Add owner to group',
    category: 'GroupManagement',
    operationType: 'Assign',
    targetResources: [
      {
        id: user.id,
        displayName: user.displayName,
        type: 'User',
        userPrincipalName: user.userPrincipalName,
        modifiedProperties: [],
      },
      { id: group.id, displayName: group.displayName, type: 'Group', userPrincipalName: null, modifiedProperties: [] },
    ],
  });
  return noContent();
}

function removeRef(ctx: RouteContext, set: 'memberIds' | 'ownerIds') {
  const group = resolveGroup(ctx, ctx.params.id);
  assertCanManage(ctx, group);
  const memberId = ctx.params.memberId.toLowerCase();
  if (!isGuid(memberId)) throw badRequest(`Invalid object identifier '${ctx.params.memberId}'.`);
  if (!group[set].has(memberId)) throw notFound(ctx.params.memberId);
  if (set === 'ownerIds' && group.ownerIds.size === 1 && group.resourceProvisioningOptions.includes('Team')) {
    throw badRequest('The group must have at least one owner.');
  }
  group[set].delete(memberId);
  const user = ctx.tenant.userById(memberId);
  ctx.audit({
    activityDisplayName: set === 'memberIds' ? 'Remove member from group' : 'Remove owner from group',
    category: 'GroupManagement',
    operationType: 'Unassign',
    targetResources: [
      {
        id: memberId,
        displayName: user?.displayName ?? null,
        type: 'User',
        userPrincipalName: user?.userPrincipalName ?? null,
        modifiedProperties: [],
      },
      { id: group.id, displayName: group.displayName, type: 'Group', userPrincipalName: null, modifiedProperties: [] },
    ],
  });
  return noContent();
}

function members(ctx: RouteContext, which: 'memberIds' | 'ownerIds') {
  const group = resolveGroup(ctx, ctx.params.id);
  const users = [...group[which]].map((id) => ctx.tenant.userById(id)).filter((u): u is SeedUser => !!u);
  return listCollection(ctx, {
    schema: memberSchema,
    items: users,
    contextPath: 'directoryObjects',
    page: { default: 100, max: 999 },
  });
}

registerRoutes([
  {
    method: 'GET',
    path: '/groups',
    permissions: read,
    countable: true,
    handler: (ctx) =>
      listCollection(ctx, {
        schema: groupSchema,
        items: ctx.tenant.groups,
        contextPath: 'groups',
        index: { props: ['id'], lookup: (_p, v) => ctx.tenant.groupById(v) },
      }),
  },
  {
    method: 'GET',
    path: '/groups/{id}',
    permissions: read,
    handler: (ctx) => entityResponse(ctx, groupSchema, resolveGroup(ctx, ctx.params.id), 'groups'),
  },
  {
    method: 'GET',
    path: '/groups/{id}/members',
    permissions: read,
    countable: true,
    handler: (ctx) => members(ctx, 'memberIds'),
  },
  {
    method: 'GET',
    path: '/groups/{id}/transitiveMembers',
    permissions: read,
    countable: true,
    handler: (ctx) => members(ctx, 'memberIds'),
  },
  {
    method: 'GET',
    path: '/groups/{id}/owners',
    permissions: read,
    countable: true,
    handler: (ctx) => members(ctx, 'ownerIds'),
  },
  { method: 'POST', path: '/groups/{id}/members/$ref', permissions: write, handler: (ctx) => addRef(ctx, 'memberIds') },
  { method: 'POST', path: '/groups/{id}/owners/$ref', permissions: write, handler: (ctx) => addRef(ctx, 'ownerIds') },
  {
    method: 'DELETE',
    path: '/groups/{id}/members/{memberId}/$ref',
    permissions: write,
    handler: (ctx) => removeRef(ctx, 'memberIds'),
  },
  {
    method: 'DELETE',
    path: '/groups/{id}/owners/{memberId}/$ref',
    permissions: write,
    handler: (ctx) => removeRef(ctx, 'ownerIds'),
  },
  {
    method: 'PATCH',
    path: '/groups/{id}',
    permissions: { delegated: ['GroupMember.ReadWrite.All'], application: ['GroupMember.ReadWrite.All'] },
    handler: (ctx) => {
      const group = resolveGroup(ctx, ctx.params.id);
      assertCanManage(ctx, group);
      const body = bodyObject(ctx);
      checkWritableBody(body, 'microsoft.graph.group', GROUP_WRITABLE);
      const binds = body['members@odata.bind'];
      if (binds !== undefined) {
        if (!Array.isArray(binds)) throw badRequest("Invalid value for 'members@odata.bind'.", 'BadRequest');
        if (binds.length > 20)
          throw new GraphError(
            400,
            'Request_BadRequest',
            'The maximum number of members that can be added in one request is 20.',
          );
        const users = binds.map((b) => referencedUser(ctx, b));
        if (users.some((u) => group.memberIds.has(u.id))) throw duplicate('members');
        for (const u of users) group.memberIds.add(u.id);
      }
      if ('displayName' in body && (typeof body.displayName !== 'string' || body.displayName.trim() === ''))
        throw badRequest("Invalid value specified for property 'displayName' of resource 'Group'.");
      for (const [k, v] of Object.entries(body)) {
        if (k.includes('@odata.')) continue;
        const target = GROUP_CORE_FIELDS.has(k) ? (group as unknown as Record<string, unknown>) : (group.extra ??= {});
        target[k] = v;
      }
      ctx.audit({
        activityDisplayName: 'Update group',
        category: 'GroupManagement',
        operationType: 'Update',
        targetResources: [
          {
            id: group.id,
            displayName: group.displayName,
            type: 'Group',
            userPrincipalName: null,
            modifiedProperties: [],
          },
        ],
      });
      return noContent();
    },
  },
]);
