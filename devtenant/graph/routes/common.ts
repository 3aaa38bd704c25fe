// Helpers shared by route files: resolving keys, validating bodies, audit targets.
import type { SeedGroup, SeedUser } from '../../seed/index.js';
import { ROLE } from '../../seed/index.js';
import { GraphError, badRequest, forbidden, invalidGuid, isGuid, notFound } from '../errors.js';
import type { RouteContext } from '../route.js';
import type { AuditTarget } from '../../seed/types.js';

/** `/users/{id | userPrincipalName}` → the user, or 404 Request_ResourceNotFound. */
export function resolveUser(ctx: RouteContext, key: string): SeedUser {
  const user = ctx.tenant.userByKey(key);
  if (!user) throw notFound(key);
  return user;
}

/** Keys that must be object ids: 400 for a malformed GUID, 404 for an unknown one. */
export function requireGuid(value: string): string {
  if (!isGuid(value)) throw invalidGuid(value);
  return value.toLowerCase();
}

export function resolveGroup(ctx: RouteContext, key: string): SeedGroup {
  const group = ctx.tenant.groupById(requireGuid(key));
  if (!group) throw notFound(key);
  return group;
}

/** The JSON body as an object, or 400 when it is missing or not an object. */
export function bodyObject(ctx: RouteContext): Record<string, unknown> {
  const b = ctx.body;
  if (b === undefined || b === null || typeof b !== 'object' || Array.isArray(b)) {
    throw new GraphError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  }
  return b as Record<string, unknown>;
}

/** Rejects properties the type does not define, as Graph's OData reader does. */
export function rejectUnknownProperties(
  body: Record<string, unknown>,
  allowed: readonly string[],
  typeName: string,
): void {
  for (const key of Object.keys(body)) {
    if (key.startsWith('@odata.') || key.includes('@odata.bind')) continue;
    if (!allowed.includes(key)) {
      throw new GraphError(
        400,
        'BadRequest',
        `The property '${key}' does not exist on type '${typeName}'. Make sure to only use property names that ` +
          `are defined by the type or mark the type as open type.`,
      );
    }
  }
}

export function expectType(value: unknown, type: 'string' | 'boolean' | 'number', name: string): void {
  if (typeof value !== type) throw badRequest(`Invalid value specified for property '${name}' of resource 'User'.`);
}

export const userTarget = (u: SeedUser, modified: AuditTarget['modifiedProperties'] = []): AuditTarget => ({
  id: u.id,
  displayName: u.displayName,
  type: 'User',
  userPrincipalName: u.userPrincipalName,
  modifiedProperties: modified,
});

const PRIVILEGED_MANAGERS: readonly string[] = [ROLE.globalAdministrator, ROLE.privilegedAuthenticationAdministrator];

/**
 * Entra: only Global / Privileged Authentication Administrators may change sensitive attributes (enable/disable,
 * delete, credentials) of users who hold an admin role.
 */
export function assertCanManageSensitive(ctx: RouteContext, target: SeedUser): void {
  if (ctx.caller.kind !== 'delegated' || ctx.caller.userId === target.id) return;
  if (ctx.caller.wids.some((w) => PRIVILEGED_MANAGERS.includes(w))) return;
  if (ctx.tenant.activeRoleTemplateIds(target.id).length > 0) throw forbidden();
}
