// Entra-style scope strings: `<resource>/<permission>` (e.g. https://graph.microsoft.com/User.Read,
// api://botid-<appId>/access_as_user). A bare permission means Microsoft Graph, as in Entra.

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const OIDC_SCOPES: ReadonlySet<string> = new Set(['openid', 'profile', 'offline_access', 'email']);

export interface ParsedScopes {
  oidc: string[];
  /** The single resource the non-OIDC scopes address (Entra refuses mixing resources in one request). */
  resource?: string;
  /** Full scope strings for that resource, e.g. https://graph.microsoft.com/User.Read */
  resourceScopes: string[];
  /** Permission names without the resource prefix, as they appear in `scp` / `roles`. */
  permissions: string[];
}

export function qualifyScope(scope: string): string {
  if (OIDC_SCOPES.has(scope) || scope.includes('/')) return scope;
  return `${GRAPH_RESOURCE}/${scope}`;
}

export function splitScope(scope: string): { resource: string; permission: string } {
  const qualified = qualifyScope(scope);
  const cut = qualified.lastIndexOf('/');
  return { resource: qualified.slice(0, cut), permission: qualified.slice(cut + 1) };
}

export function parseScopes(scope: string | undefined): ParsedScopes {
  const parsed: ParsedScopes = { oidc: [], resourceScopes: [], permissions: [] };
  for (const raw of new Set((scope ?? '').split(' ').filter(Boolean))) {
    if (OIDC_SCOPES.has(raw)) {
      parsed.oidc.push(raw);
      continue;
    }
    const { resource, permission } = splitScope(raw);
    if (parsed.resource !== undefined && parsed.resource !== resource) continue; // first resource wins
    parsed.resource = resource;
    parsed.resourceScopes.push(`${resource}/${permission}`);
    parsed.permissions.push(permission);
  }
  return parsed;
}

/** Rewrites bare Graph permissions to their qualified form so every later step sees one spelling. */
export function normalizeScopeParam(scope: string): string {
  return scope.split(' ').filter(Boolean).map(qualifyScope).join(' ');
}

/**
 * Delegated Graph permissions admin-consented for the bot in the stand-in: what a delegated
 * `https://graph.microsoft.com/.default` request expands to (Entra expands `.default` to the consented set).
 */
export const CONSENTED_DELEGATED_GRAPH_PERMISSIONS: readonly string[] = [
  'User.Read',
  'User.Read.All',
  'User.ReadWrite.All',
  'User.EnableDisableAccount.All',
  'User.RevokeSessions.All',
  'Directory.Read.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
  'GroupMember.ReadWrite.All',
  'AuditLog.Read.All',
  'RoleManagement.Read.Directory',
  'RoleAssignmentSchedule.ReadWrite.Directory',
  'RoleEligibilitySchedule.Read.Directory',
  'UserAuthenticationMethod.ReadWrite.All',
  'LicenseAssignment.ReadWrite.All',
  'Team.ReadBasic.All',
  'TeamSettings.ReadWrite.All',
  'TeamMember.ReadWrite.All',
  'Channel.Delete.All',
  'ChannelSettings.ReadWrite.All',
  'ChannelMember.ReadWrite.All',
  'TeamsPolicyUserAssign.ReadWrite.All',
  'TeamsTelephoneNumber.ReadWrite.All',
  'TeamsUserConfiguration.Read.All',
  'ServiceHealth.Read.All',
  'Policy.Read.ConditionalAccess',
  'AuthenticationContext.Read.All',
];

/** `scp` permissions for a delegated request: `.default` expands to the consented set. */
export function delegatedPermissions(resource: string, permissions: string[]): string[] {
  if (!permissions.includes('.default')) return permissions;
  return resource === GRAPH_RESOURCE ? [...CONSENTED_DELEGATED_GRAPH_PERMISSIONS] : ['access_as_user'];
}
