// microsoft.graph.team and aadUserConversationMember as the stand-in serves them, plus Teams-style errors.
// A team shares its id and membership with its Microsoft 365 group (owners are members with roles ['owner']).
import type { SeedGroup, SeedTeam, SeedUser, TenantStore } from '../../seed/index.js';
import { GraphError } from '../errors.js';
import { P, type EntitySchema } from '../odata/schema.js';
import type { RouteContext } from '../route.js';
import { settleTarget } from './teams-operations.js';

/** Teams' own error codes (not the directory's Request_* ones). */
export const teamNotFound = (id: string): GraphError =>
  new GraphError(404, 'NotFound', `No team found with Group Id ${id}`);
export const teamsBadRequest = (message: string): GraphError => new GraphError(400, 'BadRequest', message);

export interface TeamView {
  team: SeedTeam;
  group: SeedGroup;
}

export function resolveTeam(ctx: RouteContext, id: string): TeamView {
  const team = ctx.tenant.teamById(id);
  const group = team ? ctx.tenant.groupById(team.id) : undefined;
  if (!team || !group) throw teamNotFound(id);
  settleTarget(ctx.tenant, team.id);
  return { team, group };
}

function summary(
  tenant: TenantStore,
  group: SeedGroup,
): { ownersCount: number; membersCount: number; guestsCount: number } {
  let guestsCount = 0;
  for (const id of group.memberIds) if (tenant.userById(id)?.userType === 'Guest') guestsCount++;
  return { ownersCount: group.ownerIds.size, membersCount: group.memberIds.size, guestsCount };
}

export const teamSchema: EntitySchema<TeamView> = {
  typeName: 'microsoft.graph.team',
  resourceName: 'Team',
  directory: false,
  properties: {
    id: { ...P.str(['eq']), get: (v: TeamView) => v.team.id },
    displayName: { ...P.str(['eq', 'startswith'], true), get: (v: TeamView) => v.team.displayName },
    description: { ...P.str(['eq', 'startswith']), get: (v: TeamView) => v.team.description },
    createdDateTime: P.date(),
    internalId: P.str(),
    classification: P.str(),
    specialization: P.enumeration(),
    visibility: P.enumeration(),
    webUrl: P.str(),
    isArchived: P.bool(),
    tenantId: P.str(),
    memberSettings: P.complex(),
    guestSettings: P.complex(),
    messagingSettings: P.complex(),
    funSettings: P.complex(),
    summary: P.complex(),
  },
  toJson: ({ team, group }, ctx) => ({
    id: team.id,
    createdDateTime: team.createdDateTime,
    displayName: team.displayName,
    description: team.description,
    internalId: team.internalId,
    classification: null,
    specialization: 'none',
    visibility: team.visibility,
    webUrl: team.webUrl,
    isArchived: team.isArchived,
    tenantId: team.tenantId,
    memberSettings: {
      allowCreateUpdateChannels: true,
      allowDeleteChannels: true,
      allowAddRemoveApps: true,
      allowCreatePrivateChannels: true,
      allowCreateUpdateRemoveTabs: true,
      allowCreateUpdateRemoveConnectors: true,
    },
    guestSettings: { allowCreateUpdateChannels: false, allowDeleteChannels: false },
    messagingSettings: {
      allowUserEditMessages: true,
      allowUserDeleteMessages: true,
      allowOwnerDeleteMessages: true,
      allowTeamMentions: true,
      allowChannelMentions: true,
    },
    funSettings: {
      allowGiphy: true,
      giphyContentRating: 'moderate',
      allowStickersAndMemes: true,
      allowCustomMemes: true,
    },
    summary: summary(ctx.tenant, group),
  }),
};

/**
 * `GET /teams` populates only id, displayName and description (teams-list docs: "Currently, this API call returns only
 * the id, displayName, and description properties of a team. To get all properties, use the Get team operation.");
 * other properties, even when `$select`ed, come back null. Clients must call `GET /teams/{id}` for isArchived etc.
 */
const LISTED = new Set(['id', 'displayName', 'description']);
export const teamListSchema: EntitySchema<TeamView> = {
  ...teamSchema,
  defaultSelect: [...LISTED],
  toJson: (view, ctx) =>
    Object.fromEntries(Object.entries(teamSchema.toJson(view, ctx)).map(([k, v]) => [k, LISTED.has(k) ? v : null])),
};

// ---- members ----

export interface Membership {
  id: string;
  team: SeedTeam;
  user: SeedUser;
  roles: string[];
}

/** Graph's membership ids are opaque base64 strings; ours encode team and user so DELETE can find the pair. */
export function membershipId(tenantId: string, teamId: string, userId: string): string {
  return Buffer.from(`0#0##${tenantId}##${teamId}##${userId}`, 'utf8').toString('base64');
}

export function parseMembershipId(id: string): { teamId: string; userId: string } | null {
  const parts = Buffer.from(id, 'base64').toString('utf8').split('##');
  if (parts.length !== 4 || parts[0] !== '0#0') return null;
  return { teamId: parts[2]!, userId: parts[3]! };
}

export function rolesOf(user: SeedUser, group: SeedGroup): string[] {
  if (group.ownerIds.has(user.id)) return ['owner'];
  return user.userType === 'Guest' ? ['guest'] : [];
}

export function membershipsOf(tenant: TenantStore, view: TeamView): Membership[] {
  const out: Membership[] = [];
  // Owners are members too in Teams; list each person once.
  const ids = new Set([...view.group.ownerIds, ...view.group.memberIds]);
  for (const userId of ids) {
    const user = tenant.userById(userId);
    if (user)
      out.push({
        id: membershipId(tenant.id, view.team.id, user.id),
        team: view.team,
        user,
        roles: rolesOf(user, view.group),
      });
  }
  return out;
}

export const memberSchema: EntitySchema<Membership> = {
  typeName: 'microsoft.graph.aadUserConversationMember',
  resourceName: 'ConversationMember',
  directory: false,
  properties: {
    id: P.str(),
    roles: P.strings(['any'], ['eq']),
    displayName: { ...P.str(['eq', 'startswith']), get: (m: Membership) => m.user.displayName },
    visibleHistoryStartDateTime: P.date(),
    userId: { ...P.str(['eq']), get: (m: Membership) => m.user.id },
    email: { ...P.str(['eq']), get: (m: Membership) => m.user.mail },
    tenantId: P.str(),
  },
  toJson: (m) => ({
    '@odata.type': '#microsoft.graph.aadUserConversationMember',
    id: m.id,
    roles: m.roles,
    displayName: m.user.displayName,
    visibleHistoryStartDateTime: '0001-01-01T00:00:00Z',
    userId: m.user.id,
    email: m.user.mail,
    tenantId: m.team.tenantId,
  }),
};
