// /reports/authenticationMethods/userRegistrationDetails (only $filter, $orderby and paging are supported).
import { registerRoutes } from './registry.js';
import { entityResponse, listCollection } from '../odata/collection.js';
import { parseFilter, type FilterNode } from '../odata/filter-parser.js';
import { option } from '../odata/query.js';
import { P, type EntitySchema } from '../odata/schema.js';
import { ROLES } from '../permissions.js';
import { notFound } from '../errors.js';
import type { SeedUser, TenantStore } from '../../seed/index.js';

interface RegistrationDetails {
  id: string;
  userPrincipalName: string;
  userDisplayName: string;
  userType: 'member' | 'guest';
  isAdmin: boolean;
  isSsprRegistered: boolean;
  isSsprEnabled: boolean;
  isSsprCapable: boolean;
  isMfaRegistered: boolean;
  isMfaCapable: boolean;
  isPasswordlessCapable: boolean;
  methodsRegistered: string[];
  isSystemPreferredAuthenticationMethodEnabled: boolean;
  systemPreferredAuthenticationMethods: string[];
  userPreferredMethodForSecondaryAuthentication: string;
  lastUpdatedDateTime: string;
}

const METHOD_NAMES: Record<string, string[]> = {
  microsoftAuthenticator: ['microsoftAuthenticatorPush', 'softwareOneTimePasscode'],
  phone: ['mobilePhone'],
  fido2: ['fido2'],
  softwareOath: ['softwareOneTimePasscode'],
  email: ['email'],
  temporaryAccessPass: ['temporaryAccessPass'],
};
const PREFERRED: Record<string, string> = {
  microsoftAuthenticator: 'push',
  phone: 'sms',
  fido2: 'fido2',
  softwareOath: 'oath',
};

const bool = P.bool(['eq']);
const schema: EntitySchema<RegistrationDetails> = {
  typeName: 'microsoft.graph.userRegistrationDetails',
  resourceName: 'UserRegistrationDetails',
  directory: false,
  properties: {
    id: P.str(['eq', 'in']),
    userPrincipalName: P.str(['eq', 'startswith', 'in'], true),
    userDisplayName: P.str(['eq', 'startswith'], true),
    userType: P.enumeration(['eq']),
    isAdmin: bool,
    isSsprRegistered: bool,
    isSsprEnabled: bool,
    isSsprCapable: bool,
    isMfaRegistered: bool,
    isMfaCapable: bool,
    isPasswordlessCapable: bool,
    methodsRegistered: P.strings(['any'], ['eq']),
    isSystemPreferredAuthenticationMethodEnabled: bool,
    systemPreferredAuthenticationMethods: P.strings(['any'], ['eq']),
    userPreferredMethodForSecondaryAuthentication: P.enumeration(['eq']),
    lastUpdatedDateTime: P.date(['ge', 'le'], true),
  },
  toJson: (d) => ({ ...d }),
};

/** Principals holding any directory role now (built once per request: 50k users × assignments would be too slow). */
function adminIds(tenant: TenantStore): Set<string> {
  const ids = new Set(tenant.roleAssignments.map((a) => a.principalId));
  for (const a of tenant.activeActivations()) ids.add(a.principalId);
  return ids;
}

function details(tenant: TenantStore, u: SeedUser, admins: Set<string>): RegistrationDetails {
  const methods = [...new Set(u.authMethods.flatMap((m) => METHOD_NAMES[m.kind] ?? []))];
  const mfa = tenant.isMfaRegistered(u);
  const def = u.authMethods.find((m) => m.id === u.defaultMfaMethodId);
  const preferred = def ? (PREFERRED[def.kind] ?? 'none') : 'none';
  return {
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    userDisplayName: u.displayName,
    userType: u.userType === 'Guest' ? 'guest' : 'member',
    isAdmin: admins.has(u.id),
    isSsprRegistered: mfa,
    isSsprEnabled: u.userType === 'Member',
    isSsprCapable: mfa && u.userType === 'Member',
    isMfaRegistered: mfa,
    isMfaCapable: mfa && u.accountEnabled,
    isPasswordlessCapable: u.authMethods.some((m) => m.kind === 'fido2' || m.kind === 'microsoftAuthenticator'),
    methodsRegistered: methods,
    isSystemPreferredAuthenticationMethodEnabled: true,
    systemPreferredAuthenticationMethods: preferred === 'none' ? [] : [preferred],
    userPreferredMethodForSecondaryAuthentication: preferred,
    lastUpdatedDateTime:
      u.authMethods
        .map((m) => m.createdDateTime)
        .sort()
        .at(-1) ?? u.createdDateTime,
  };
}

const perms = { delegated: ['AuditLog.Read.All'], application: ['AuditLog.Read.All'] };

/** True when the filter requires `isAdmin eq true` (alone or as a term of a top-level `and`). */
function pinsAdmins(node: FilterNode): boolean {
  if (node.k === 'and') return pinsAdmins(node.l) || pinsAdmins(node.r);
  return (
    node.k === 'cmp' &&
    node.op === 'eq' &&
    node.l.k === 'path' &&
    node.l.segs.length === 1 &&
    node.l.segs[0] === 'isAdmin' &&
    node.r.k === 'lit' &&
    node.r.v === true
  );
}

/**
 * The users whose details the request can match, in listing order. With `isAdmin eq true` pinned (the posture
 * query of the bot) only the few role holders are candidates, so the report is not built for all 50,000 users per
 * request; otherwise every live user. A filter that does not parse is left for listCollection to refuse.
 */
function* candidates(tenant: TenantStore, filterRaw: string | null, admins: Set<string>): Iterable<SeedUser> {
  let adminsOnly = false;
  try {
    adminsOnly = filterRaw !== null && filterRaw.trim() !== '' && pinsAdmins(parseFilter(filterRaw));
  } catch {
    /* listCollection answers the syntax error */
  }
  for (const u of tenant.liveUsers()) if (!adminsOnly || admins.has(u.id)) yield u;
}

registerRoutes([
  {
    method: 'GET',
    path: '/reports/authenticationMethods/userRegistrationDetails',
    permissions: perms,
    roles: ROLES.reportReaders,
    handler: (ctx) => {
      const admins = adminIds(ctx.tenant);
      return listCollection(ctx, {
        schema,
        contextPath: 'reports/authenticationMethods/userRegistrationDetails',
        disallow: ['select', 'search', 'count', 'expand'],
        items: function* () {
          for (const u of candidates(ctx.tenant, option(ctx.query, '$filter'), admins))
            yield details(ctx.tenant, u, admins);
        },
        page: { default: 100, max: 999 },
      });
    },
  },
  {
    method: 'GET',
    path: '/reports/authenticationMethods/userRegistrationDetails/{id}',
    permissions: perms,
    roles: ROLES.reportReaders,
    handler: (ctx) => {
      const user = ctx.tenant.userById(ctx.params.id);
      if (!user) throw notFound(ctx.params.id);
      return entityResponse(
        ctx,
        schema,
        details(ctx.tenant, user, adminIds(ctx.tenant)),
        'reports/authenticationMethods/userRegistrationDetails',
      );
    },
  },
]);
