import type { TenantStore } from './tenant.js';
import { isoSeconds } from './random.js';
import type { Random } from './random.js';
import type { GeneratedRoleGrant } from './generate-users.js';
import { FIXED_ACCOUNTS, ROLE, ROLE_DISPLAY_NAMES } from './constants.js';
import type { SeedUser } from './types.js';

const ROLE_ACTIONS: Record<string, string[]> = {
  [ROLE.globalAdministrator]: ['microsoft.directory/*/allProperties/allTasks'],
  [ROLE.globalReader]: ['microsoft.directory/*/standard/read'],
  [ROLE.teamsAdministrator]: [
    'microsoft.teams/allEntities/allProperties/allTasks',
    'microsoft.directory/groups.unified/create',
  ],
  [ROLE.userAdministrator]: [
    'microsoft.directory/users/create',
    'microsoft.directory/users/delete',
    'microsoft.directory/users/basic/update',
  ],
  [ROLE.authenticationAdministrator]: [
    'microsoft.directory/users/authenticationMethods/create',
    'microsoft.directory/users/authenticationMethods/delete',
  ],
  [ROLE.privilegedRoleAdministrator]: ['microsoft.directory/roleAssignments/allProperties/allTasks'],
};

/**
 * Built-in role definitions, their activated directoryRole objects, assignments, PIM eligibilities and role settings.
 */
export function addRoles(store: TenantStore, rng: Random, now: Date, grants: GeneratedRoleGrant[]): void {
  for (const [templateId, displayName] of Object.entries(ROLE_DISPLAY_NAMES)) {
    store.roleDefinitions.push({
      id: templateId,
      templateId,
      displayName,
      description: `Built-in role: ${displayName}.`,
      isBuiltIn: true,
      isEnabled: true,
      allowedResourceActions: ROLE_ACTIONS[templateId] ?? ['microsoft.directory/users/standard/read'],
    });
  }
  const created = isoSeconds(now.getTime() - 200 * 86_400_000);
  for (const g of grants) {
    if (g.eligible) {
      store.roleEligibilities.push({
        id: rng.guid(),
        principalId: g.userId,
        roleDefinitionId: g.roleId,
        directoryScopeId: '/',
        startDateTime: created,
        endDateTime: null,
      });
    } else {
      store.roleAssignments.push({
        id: rng.guid(),
        principalId: g.userId,
        roleDefinitionId: g.roleId,
        directoryScopeId: '/',
        createdDateTime: created,
      });
    }
  }
  // A directoryRole object exists for every role that was ever activated in the tenant (here: all known roles).
  for (const def of store.roleDefinitions) {
    store.directoryRoles.push({
      id: rng.guid(),
      roleTemplateId: def.templateId,
      displayName: def.displayName,
      description: def.description,
    });
  }
  for (const def of store.roleDefinitions) {
    store.rolePolicies.set(def.id, {
      roleDefinitionId: def.id,
      requireJustification: true,
      requireTicket: def.id === ROLE.globalAdministrator,
      maxDuration: def.id === ROLE.userAdministrator ? 'PT4H' : 'PT8H',
      requireMfa: true,
      requireAuthContext: def.id === ROLE.privilegedRoleAdministrator ? 'c1' : null,
      requireApproval: def.id === ROLE.globalAdministrator,
    });
  }
}

const TEAM_NAMES = [
  'Project Phoenix',
  'Sales EMEA',
  'Marketing Hub',
  'Engineering',
  'Support Desk',
  'Finance Close',
  'Legal Review',
  'Operations',
  'HR Connect',
  'Leadership',
];
const GROUP_NAMES = ['Sales', 'All Staff', 'IT Admins', 'Finance', 'Contractors'];

function pickMembers(rng: Random, pool: SeedUser[], count: number): string[] {
  const ids = new Set<string>();
  for (let i = 0; i < count * 3 && ids.size < count; i++) ids.add(rng.pick(pool).id);
  return [...ids];
}

/**
 * Security / Microsoft 365 groups and teams (each team is a Unified group with resourceProvisioningOptions ['Team']).
 */
export function addGroupsAndTeams(store: TenantStore, rng: Random, now: Date): void {
  const users = [...store.liveUsers()];
  const members = users.filter((u) => u.userType === 'Member' && u.accountEnabled);
  const [admin, teamsadmin, , , alice, bob] = FIXED_ACCOUNTS.map((a) => a.id);
  const teamCount = Math.max(10, Math.round(users.length / 6));
  const groupCount = Math.max(GROUP_NAMES.length, Math.round(users.length / 12));
  const created = (days: number) => isoSeconds(now.getTime() - days * 86_400_000);

  for (let i = 0; i < teamCount; i++) {
    const name = i < TEAM_NAMES.length ? TEAM_NAMES[i] : `${rng.pick(TEAM_NAMES)} ${i}`;
    const id = rng.guid();
    const nick = name.replace(/[^A-Za-z0-9]/g, '') + (i < TEAM_NAMES.length ? '' : String(i));
    // The last demo team is ownerless on purpose (archive needs an owner).
    const ownerless = i === TEAM_NAMES.length - 1;
    const ownerIds = ownerless ? [] : i < 3 ? [teamsadmin] : pickMembers(rng, members, rng.int(1, 2));
    const memberIds = new Set([...ownerIds, ...pickMembers(rng, users, rng.int(3, 10))]);
    if (i < 4) {
      memberIds.add(alice);
      memberIds.add(bob);
    }
    const visibility = rng.chance(0.7) ? 'Private' : 'Public';
    store.addGroup({
      id,
      displayName: name,
      description: `${name} team`,
      mailNickname: nick,
      mail: `${nick}@${store.domain}`,
      mailEnabled: true,
      securityEnabled: false,
      groupTypes: ['Unified'],
      visibility,
      resourceProvisioningOptions: ['Team'],
      createdDateTime: created(rng.int(10, 700)),
      memberIds,
      ownerIds: new Set(ownerIds),
    });
    store.addTeam({
      id,
      displayName: name,
      description: `${name} team`,
      isArchived: i === 6,
      visibility: visibility === 'Private' ? 'private' : 'public',
      createdDateTime: created(rng.int(10, 700)),
      internalId: `19:${rng.hex(32)}@thread.tacv2`,
      tenantId: store.id,
      webUrl: `https://teams.microsoft.com/l/team/19%3a${rng.hex(32)}%40thread.tacv2/conversations?groupId=${id}&tenantId=${store.id}`,
    });
  }
  for (let i = 0; i < groupCount; i++) {
    const name = i < GROUP_NAMES.length ? GROUP_NAMES[i] : `${rng.pick(GROUP_NAMES)} ${i}`;
    const nick = name.replace(/[^A-Za-z0-9]/g, '') + (i < GROUP_NAMES.length ? '' : String(i));
    const security = name.startsWith('IT Admins') || name.startsWith('Contractors');
    const memberIds = new Set(pickMembers(rng, users, rng.int(3, 12)));
    if (name === 'Sales') memberIds.add(alice);
    if (name === 'IT Admins') {
      memberIds.add(admin);
      memberIds.add(teamsadmin);
    }
    store.addGroup({
      id: rng.guid(),
      displayName: name,
      description: `${name} group`,
      mailNickname: nick,
      mail: security ? null : `${nick}@${store.domain}`,
      mailEnabled: !security,
      securityEnabled: security,
      groupTypes: security ? [] : ['Unified'],
      visibility: security ? null : 'Private',
      resourceProvisioningOptions: [],
      createdDateTime: created(rng.int(10, 900)),
      memberIds,
      ownerIds: new Set([admin]),
    });
  }
}
