// /teams, /teams/{id}, /teams/{id}/members (list, add, remove),
// /teams/{id}/archive|unarchive, /teams/{id}/operations/{opId}
import { registerRoutes } from './registry.js';
import { accepted, created, noContent, ok, type RouteContext } from '../route.js';
import { entityResponse, listCollection } from '../odata/collection.js';
import { ROLES, hasPermission } from '../permissions.js';
import { GraphError, forbidden } from '../errors.js';
import { bodyObject, rejectUnknownProperties } from './common.js';
import {
  memberSchema,
  membershipId,
  membershipsOf,
  parseMembershipId,
  resolveTeam,
  rolesOf,
  teamSchema,
  teamListSchema,
  teamsBadRequest,
  type TeamView,
} from './teams-model.js';
import { registerCompletion, settle, startOperation } from './teams-operations.js';
import type { AsyncOperation, SeedUser } from '../../seed/index.js';

const TEAM_READ = { delegated: ['Team.ReadBasic.All'], application: ['Team.ReadBasic.All'] };
const MEMBER_READ = { delegated: ['TeamMember.Read.All'], application: ['TeamMember.Read.All'] };
const MEMBER_WRITE = {
  delegated: ['TeamMember.ReadWriteNonOwnerRole.All'],
  application: ['TeamMember.ReadWriteNonOwnerRole.All'],
};
/** Owners can only be added or removed with the full TeamMember.ReadWrite.All. */
const OWNER_WRITE = ['TeamMember.ReadWrite.All'];

function teamViews(ctx: RouteContext): TeamView[] {
  const views: TeamView[] = [];
  for (const team of ctx.tenant.teams) {
    const group = ctx.tenant.groupById(team.id);
    if (group) views.push({ team, group });
  }
  return views;
}

/**
 * Graph documents `$filter=(microsoft.graph.aadUserConversationMember/userId eq '…')` for team members. Every team
 * member is an aadUserConversationMember, so that type cast is the identity here and is dropped before filtering.
 */
function withoutMemberCast(ctx: RouteContext): RouteContext {
  const filter = ctx.query.get('$filter');
  if (filter === null || !filter.includes('microsoft.graph.aadUserConversationMember/')) return ctx;
  const query = new URLSearchParams(ctx.query);
  query.set('$filter', filter.split('microsoft.graph.aadUserConversationMember/').join(''));
  return { ...ctx, query };
}

function assertMayWriteOwners(ctx: RouteContext): void {
  const granted = ctx.caller.kind === 'application' ? ctx.caller.appRoles : ctx.caller.scopes;
  if (!hasPermission(granted, OWNER_WRITE)) throw forbidden();
}

/** `users('id')`, `users/id` or a full URL ending in either; Graph also resolves a UPN here. */
function boundUserKey(bind: unknown): string {
  if (typeof bind !== 'string') throw teamsBadRequest("Bind property 'user@odata.bind' is missing or not a string.");
  const quoted = /users\('((?:[^']|'')+)'\)\/?$/i.exec(bind);
  if (quoted) return quoted[1]!.replace(/''/g, "'");
  const plain = /users\/([^/?#]+)\/?$/i.exec(bind);
  if (plain) return decodeURIComponent(plain[1]!);
  throw teamsBadRequest(`Invalid bind property value '${bind}' for 'user@odata.bind'.`);
}

function addMember(ctx: RouteContext) {
  const view = resolveTeam(ctx, ctx.params.id);
  const body = bodyObject(ctx);
  rejectUnknownProperties(
    body,
    ['roles', 'visibleHistoryStartDateTime', 'displayName'],
    'microsoft.graph.aadUserConversationMember',
  );
  if (body['@odata.type'] !== '#microsoft.graph.aadUserConversationMember') {
    throw teamsBadRequest("The '@odata.type' of a team member must be '#microsoft.graph.aadUserConversationMember'.");
  }
  const roles = body.roles ?? [];
  if (
    !Array.isArray(roles) ||
    roles.some((r) => typeof r !== 'string' || !['owner', 'guest'].includes(r.toLowerCase()))
  ) {
    throw teamsBadRequest("Invalid value for 'roles': only 'owner' may be requested.");
  }
  const wantsOwner = roles.some((r) => (r as string).toLowerCase() === 'owner');
  if (wantsOwner) assertMayWriteOwners(ctx);
  const key = boundUserKey(body['user@odata.bind']);
  const user = ctx.tenant.userByKey(key);
  // Graph answers a disabled (blocked) account exactly like an unknown one.
  if (!user || !user.accountEnabled)
    throw new GraphError(404, 'NotFound', `User '${key}' was not found or is disabled.`);
  if (wantsOwner && user.userType === 'Guest')
    throw teamsBadRequest('A guest cannot be added as an owner of the team.');
  const alreadyMember = view.group.memberIds.has(user.id) || view.group.ownerIds.has(user.id);
  if (!alreadyMember || (wantsOwner && !view.group.ownerIds.has(user.id))) {
    view.group.memberIds.add(user.id);
    if (wantsOwner) view.group.ownerIds.add(user.id);
    ctx.audit({
      activityDisplayName: wantsOwner ? 'Add owner to group' : 'Add member to group',
      category: 'GroupManagement',
      operationType: 'Assign',
      loggedByService: 'Core Directory',
      targetResources: [groupTarget(view), userTarget(user)],
    });
  }
  // Adding an existing member is not an error in Graph: it answers 201 with the (unchanged) membership.
  const membership = {
    id: membershipId(ctx.tenant.id, view.team.id, user.id),
    team: view.team,
    user,
    roles: rolesOf(user, view.group),
  };
  return created({
    '@odata.context': `${ctx.serviceRoot}/$metadata#teams('${view.team.id}')/members/$entity`,
    ...memberSchema.toJson(membership, ctx),
  });
}

function removeMember(ctx: RouteContext) {
  const view = resolveTeam(ctx, ctx.params.id);
  const parsed = parseMembershipId(ctx.params.membershipId);
  const user = parsed && parsed.teamId === view.team.id ? ctx.tenant.userById(parsed.userId) : undefined;
  if (!user || !(view.group.memberIds.has(user.id) || view.group.ownerIds.has(user.id))) {
    throw new GraphError(404, 'NotFound', `Member '${ctx.params.membershipId}' was not found in team ${view.team.id}.`);
  }
  const wasOwner = view.group.ownerIds.has(user.id);
  if (wasOwner) assertMayWriteOwners(ctx);
  view.group.memberIds.delete(user.id);
  view.group.ownerIds.delete(user.id);
  ctx.audit({
    activityDisplayName: wasOwner ? 'Remove owner from group' : 'Remove member from group',
    category: 'GroupManagement',
    operationType: 'Unassign',
    loggedByService: 'Core Directory',
    targetResources: [groupTarget(view), userTarget(user)],
  });
  return noContent();
}

const groupTarget = (view: TeamView) => ({
  id: view.team.id,
  displayName: view.team.displayName,
  type: 'Group',
  userPrincipalName: null,
  modifiedProperties: [],
});
const userTarget = (u: SeedUser) => ({
  id: u.id,
  displayName: u.displayName,
  type: 'User',
  userPrincipalName: u.userPrincipalName,
  modifiedProperties: [],
});

type ArchiveKind = 'archiveTeam' | 'unarchiveTeam';

function archiveOrUnarchive(ctx: RouteContext, kind: ArchiveKind) {
  const view = resolveTeam(ctx, ctx.params.id);
  const body = ctx.body === undefined ? {} : bodyObject(ctx);
  rejectUnknownProperties(
    body,
    kind === 'archiveTeam' ? ['shouldSetSpoSiteReadOnlyForMembers'] : [],
    'microsoft.graph.team',
  );
  const readOnly = body.shouldSetSpoSiteReadOnlyForMembers;
  if (readOnly !== undefined && readOnly !== null && typeof readOnly !== 'boolean') {
    throw teamsBadRequest("Invalid value for 'shouldSetSpoSiteReadOnlyForMembers': a boolean is expected.");
  }
  if (view.group.ownerIds.size === 0) {
    throw teamsBadRequest(
      `Team ${view.team.id} has no owner. A team must have at least one owner to be ${kind === 'archiveTeam' ? 'archived' : 'unarchived'}.`,
    );
  }
  const op = startOperation(ctx.tenant, {
    kind,
    targetResourceId: view.team.id,
    targetResourceLocation: `/groups('${view.team.id}')/team`,
    details: { shouldSetSpoSiteReadOnlyForMembers: readOnly === true },
  });
  ctx.audit({
    activityDisplayName: kind === 'archiveTeam' ? 'Archive team' : 'Unarchive team',
    category: 'GroupManagement',
    operationType: 'Update',
    loggedByService: 'Microsoft Teams',
    targetResources: [groupTarget(view)],
    additionalDetails: [{ key: 'shouldSetSpoSiteReadOnlyForMembers', value: String(readOnly === true) }],
  });
  // Graph's Location for team operations is relative: /teams('{id}')/operations('{opId}').
  return accepted(`/teams('${view.team.id}')/operations('${op.id}')`);
}

registerCompletion('archiveTeam', (tenant, op) => {
  const t = tenant.teamById(op.targetResourceId ?? '');
  if (t) t.isArchived = true;
});
registerCompletion('unarchiveTeam', (tenant, op) => {
  const t = tenant.teamById(op.targetResourceId ?? '');
  if (t) t.isArchived = false;
});

function operationJson(op: AsyncOperation): Record<string, unknown> {
  return {
    id: op.id,
    operationType: op.kind,
    createdDateTime: op.createdDateTime,
    status: op.status,
    lastActionDateTime: op.lastActionDateTime,
    attemptsCount: op.attemptsCount,
    targetResourceId: op.targetResourceId,
    targetResourceLocation: op.targetResourceLocation,
    error: op.error,
  };
}

registerRoutes([
  {
    method: 'GET',
    path: '/teams',
    permissions: TEAM_READ,
    roles: ROLES.teamsReaders,
    // teams-list: $filter, $select, $top, $skiptoken and $count.
    handler: (ctx) =>
      listCollection(ctx, {
        schema: teamListSchema,
        items: teamViews(ctx),
        contextPath: 'teams',
        disallow: ['search', 'orderby', 'expand'],
      }),
  },
  {
    method: 'GET',
    path: '/teams/{id}',
    permissions: TEAM_READ,
    roles: ROLES.teamsReaders,
    handler: (ctx) => entityResponse(ctx, teamSchema, resolveTeam(ctx, ctx.params.id), 'teams'),
  },
  {
    method: 'GET',
    path: '/teams/{id}/members',
    permissions: MEMBER_READ,
    roles: ROLES.teamsReaders,
    handler: (ctx) => {
      const view = resolveTeam(ctx, ctx.params.id);
      // team-list-members: $filter, $select and $top; default page 100, maximum 999.
      return listCollection(withoutMemberCast(ctx), {
        schema: memberSchema,
        items: membershipsOf(ctx.tenant, view),
        contextPath: `teams('${view.team.id}')/members`,
        page: { default: 100, max: 999 },
        disallow: ['search', 'orderby', 'expand', 'count'],
      });
    },
  },
  {
    method: 'POST',
    path: '/teams/{id}/members',
    permissions: MEMBER_WRITE,
    roles: ROLES.teamsWriters,
    handler: addMember,
  },
  {
    method: 'DELETE',
    path: '/teams/{id}/members/{membershipId}',
    permissions: MEMBER_WRITE,
    roles: ROLES.teamsWriters,
    handler: removeMember,
  },
  {
    // Archiving is not available to app-only callers (team-archive docs), hence application: [].
    method: 'POST',
    path: '/teams/{id}/archive',
    permissions: { delegated: ['TeamSettings.ReadWrite.All'], application: [] },
    roles: ROLES.teamsWriters,
    handler: (ctx) => archiveOrUnarchive(ctx, 'archiveTeam'),
  },
  {
    method: 'POST',
    path: '/teams/{id}/unarchive',
    permissions: { delegated: ['TeamSettings.ReadWrite.All'], application: [] },
    roles: ROLES.teamsWriters,
    handler: (ctx) => archiveOrUnarchive(ctx, 'unarchiveTeam'),
  },
  {
    method: 'GET',
    path: '/teams/{id}/operations/{opId}',
    permissions: TEAM_READ,
    roles: ROLES.teamsReaders,
    handler: (ctx) => {
      const view = resolveTeam(ctx, ctx.params.id);
      const op = ctx.tenant.asyncOperations.get(ctx.params.opId);
      if (!op || op.targetResourceId !== view.team.id || (op.kind !== 'archiveTeam' && op.kind !== 'unarchiveTeam')) {
        throw new GraphError(404, 'NotFound', `Operation '${ctx.params.opId}' was not found.`);
      }
      settle(ctx.tenant, op);
      return ok({
        '@odata.context': `${ctx.serviceRoot}/$metadata#teams('${view.team.id}')/operations/$entity`,
        ...operationJson(op),
      });
    },
  },
]);
