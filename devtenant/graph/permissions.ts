// Permission checks as Graph does them: the token must carry a granting scope/app role (or a higher one that implies
// it), and a delegated caller must also hold a directory role that allows the operation.
import type { Caller, RouteDefinition } from './route.js';
import { forbidden } from './errors.js';
import { ROLE } from '../seed/index.js';

/** permission → the higher permissions that also grant it (one level; closed transitively below). */
const IMPLIED_BY: Record<string, string[]> = {
  'User.ReadBasic.All': ['User.Read.All'],
  'User.Read.All': ['User.ReadWrite.All', 'Directory.Read.All'],
  'User.ReadWrite.All': ['Directory.ReadWrite.All'],
  'Directory.Read.All': ['Directory.ReadWrite.All'],
  'User.EnableDisableAccount.All': ['User.ReadWrite.All'],
  'User.RevokeSessions.All': ['User.ReadWrite.All'],
  'Group.Read.All': ['Group.ReadWrite.All', 'Directory.Read.All'],
  'Group.ReadWrite.All': ['Directory.ReadWrite.All'],
  'GroupMember.Read.All': ['Group.Read.All', 'GroupMember.ReadWrite.All'],
  'GroupMember.ReadWrite.All': ['Group.ReadWrite.All'],
  'LicenseAssignment.Read.All': ['LicenseAssignment.ReadWrite.All', 'Directory.Read.All', 'Organization.Read.All'],
  'LicenseAssignment.ReadWrite.All': ['Directory.ReadWrite.All'],
  'Organization.Read.All': ['Organization.ReadWrite.All', 'Directory.Read.All'],
  'RoleManagement.Read.Directory': ['RoleManagement.ReadWrite.Directory', 'Directory.Read.All'],
  'RoleManagement.ReadWrite.Directory': [],
  'RoleEligibilitySchedule.Read.Directory': [
    'RoleEligibilitySchedule.ReadWrite.Directory',
    'RoleManagement.Read.Directory',
  ],
  'RoleAssignmentSchedule.Read.Directory': [
    'RoleAssignmentSchedule.ReadWrite.Directory',
    'RoleManagement.Read.Directory',
  ],
  'RoleAssignmentSchedule.ReadWrite.Directory': ['RoleManagement.ReadWrite.Directory'],
  'RoleEligibilitySchedule.ReadWrite.Directory': ['RoleManagement.ReadWrite.Directory'],
  'UserAuthenticationMethod.Read.All': ['UserAuthenticationMethod.ReadWrite.All'],
  'UserAuthenticationMethod.Read': ['UserAuthenticationMethod.ReadWrite', 'UserAuthenticationMethod.Read.All'],
  'UserAuthMethod-Phone.ReadWrite.All': ['UserAuthenticationMethod.ReadWrite.All'],
  'UserAuthMethod-TAP.ReadWrite.All': ['UserAuthenticationMethod.ReadWrite.All'],
  'Team.ReadBasic.All': ['TeamSettings.Read.All', 'Group.Read.All'],
  'TeamSettings.Read.All': ['TeamSettings.ReadWrite.All'],
  'TeamMember.Read.All': ['TeamMember.ReadWriteNonOwnerRole.All'],
  'TeamMember.ReadWriteNonOwnerRole.All': ['TeamMember.ReadWrite.All'],
  'TeamsTelephoneNumber.Read.All': ['TeamsTelephoneNumber.ReadWrite.All'],
  'TeamsUserConfiguration.Read.All': [],
  'AuthenticationContext.Read.All': [
    'AuthenticationContext.ReadWrite.All',
    'Policy.Read.ConditionalAccess',
    'Policy.Read.All',
  ],
  'Policy.Read.All': ['Policy.ReadWrite.ConditionalAccess'],
  'AuditLog.Read.All': [],
  'ServiceHealth.Read.All': [],
};

const closure = new Map<string, Set<string>>();
/** All permissions that grant `permission`, including itself. */
export function grantingPermissions(permission: string): Set<string> {
  let set = closure.get(permission);
  if (set) return set;
  set = new Set([permission]);
  const queue = [permission];
  while (queue.length)
    for (const higher of IMPLIED_BY[queue.shift()!] ?? [])
      if (!set.has(higher)) {
        set.add(higher);
        queue.push(higher);
      }
  closure.set(permission, set);
  return set;
}

export function hasPermission(granted: ReadonlySet<string>, required: readonly string[]): boolean {
  for (const need of required) for (const p of grantingPermissions(need)) if (granted.has(p)) return true;
  return false;
}

/** Throws 403 Authorization_RequestDenied unless the token's permissions and (delegated) roles allow the route. */
export function authorize(def: RouteDefinition, caller: Caller, isSelf: boolean): void {
  if (caller.kind === 'application') {
    if (!hasPermission(caller.appRoles, def.permissions.application)) throw forbidden();
    if (def.permissions.allOf?.some((p) => !hasPermission(caller.appRoles, [p]))) throw forbidden();
    return;
  }
  const selfScoped = isSelf && def.selfPermissions !== undefined && hasPermission(caller.scopes, def.selfPermissions);
  if (!selfScoped && !hasPermission(caller.scopes, def.permissions.delegated)) throw forbidden();
  if (def.permissions.allOf?.some((p) => !hasPermission(caller.scopes, [p]))) throw forbidden();
  if (!def.roles || isSelf) return;
  if (caller.wids.includes(ROLE.globalAdministrator)) return;
  if (!def.roles.some((r) => caller.wids.includes(r))) throw forbidden();
}

/** Role sets used by route declarations (Global Administrator is always implied). */
export const ROLES = {
  directoryReaders: [
    ROLE.globalReader,
    ROLE.userAdministrator,
    ROLE.helpdeskAdministrator,
    ROLE.authenticationAdministrator,
    ROLE.privilegedAuthenticationAdministrator,
    ROLE.privilegedRoleAdministrator,
    ROLE.teamsAdministrator,
    ROLE.securityReader,
    ROLE.securityAdministrator,
    ROLE.reportsReader,
    ROLE.licenseAdministrator,
    ROLE.groupsAdministrator,
    ROLE.teamsCommunicationsAdministrator,
  ],
  reportReaders: [
    ROLE.globalReader,
    ROLE.reportsReader,
    ROLE.securityReader,
    ROLE.securityAdministrator,
    ROLE.authenticationAdministrator,
    ROLE.privilegedAuthenticationAdministrator,
    ROLE.userAdministrator,
    ROLE.helpdeskAdministrator,
    ROLE.teamsAdministrator,
  ],
  userWriters: [ROLE.userAdministrator, ROLE.privilegedAuthenticationAdministrator],
  userEnablers: [ROLE.userAdministrator, ROLE.helpdeskAdministrator, ROLE.privilegedAuthenticationAdministrator],
  sessionRevokers: [
    ROLE.userAdministrator,
    ROLE.helpdeskAdministrator,
    ROLE.authenticationAdministrator,
    ROLE.privilegedAuthenticationAdministrator,
  ],
  authMethodReaders: [
    ROLE.authenticationAdministrator,
    ROLE.privilegedAuthenticationAdministrator,
    ROLE.globalReader,
    ROLE.securityReader,
  ],
  authMethodWriters: [ROLE.authenticationAdministrator, ROLE.privilegedAuthenticationAdministrator],
  licenseWriters: [ROLE.userAdministrator, ROLE.licenseAdministrator],
  groupWriters: [ROLE.userAdministrator, ROLE.groupsAdministrator],
  roleReaders: [
    ROLE.globalReader,
    ROLE.privilegedRoleAdministrator,
    ROLE.securityReader,
    ROLE.securityAdministrator,
    ROLE.userAdministrator,
    ROLE.teamsAdministrator,
    ROLE.helpdeskAdministrator,
    ROLE.authenticationAdministrator,
    ROLE.reportsReader,
  ],
  roleWriters: [ROLE.privilegedRoleAdministrator],
  auditReaders: [
    ROLE.globalReader,
    ROLE.reportsReader,
    ROLE.securityReader,
    ROLE.securityAdministrator,
    ROLE.userAdministrator,
    ROLE.teamsAdministrator,
    ROLE.helpdeskAdministrator,
    ROLE.authenticationAdministrator,
  ],
  teamsReaders: [ROLE.teamsAdministrator, ROLE.teamsCommunicationsAdministrator, ROLE.globalReader],
  teamsWriters: [ROLE.teamsAdministrator],
  teamsVoiceWriters: [ROLE.teamsAdministrator, ROLE.teamsCommunicationsAdministrator],
  healthReaders: [
    ROLE.globalReader,
    ROLE.teamsAdministrator,
    ROLE.teamsCommunicationsAdministrator,
    ROLE.userAdministrator,
    ROLE.helpdeskAdministrator,
    ROLE.securityReader,
    ROLE.reportsReader,
    ROLE.exchangeAdministrator,
  ],
  caReaders: [ROLE.globalReader, ROLE.securityReader, ROLE.securityAdministrator, ROLE.privilegedRoleAdministrator],
} as const satisfies Record<string, readonly string[]>;
