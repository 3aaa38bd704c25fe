// /users, /users/{id}, PATCH/DELETE, revokeSignInSessions (/me is rewritten to /users/{signed-in id} by the service).
import { registerRoutes } from './registry.js';
import { ok, noContent, type RouteContext } from '../route.js';
import { entityResponse, listCollection } from '../odata/collection.js';
import { userSchema } from '../model/user.js';
import { ROLES, hasPermission } from '../permissions.js';
import { GraphError, badRequest, forbidden } from '../errors.js';
import { option } from '../odata/query.js';
import { ROLE } from '../../seed/index.js';
import { assertCanManageSensitive, bodyObject, resolveUser, userTarget } from './common.js';
import { checkWritableBody, USER_WRITABLE } from '../model/writable.js';
import type { SeedUser } from '../../seed/index.js';

const READ = { delegated: ['User.ReadBasic.All'], application: ['User.ReadBasic.All'] };

/** signInActivity is sign-in log data: Graph also wants AuditLog.Read.All (and, delegated, a reports-reading role). */
function assertSignInActivityAllowed(ctx: RouteContext): void {
  const select = option(ctx.query, '$select') ?? '';
  if (!select.split(',').some((p) => p.trim() === 'signInActivity')) return;
  const granted = ctx.caller.kind === 'delegated' ? ctx.caller.scopes : ctx.caller.appRoles;
  if (!hasPermission(granted, ['AuditLog.Read.All'])) throw forbidden();
  if (
    ctx.caller.kind === 'delegated' &&
    !ctx.caller.wids.includes(ROLE.globalAdministrator) &&
    !ROLES.auditReaders.some((r) => ctx.caller.wids.includes(r))
  )
    throw forbidden();
}

/** SeedUser fields stored as they are; other writable properties live in `user.extra`. */
export const CORE_FIELDS: ReadonlySet<string> = new Set([
  'accountEnabled',
  'displayName',
  'givenName',
  'surname',
  'jobTitle',
  'department',
  'officeLocation',
  'mobilePhone',
  'usageLocation',
  'businessPhones',
  'preferredLanguage',
  'otherMails',
  'passwordPolicies',
  'mail',
  'userType',
]);

function applyPatch(ctx: RouteContext, user: SeedUser, body: Record<string, unknown>) {
  const changes: { displayName: string; oldValue: string | null; newValue: string | null }[] = [];
  checkWritableBody(body, 'microsoft.graph.user', USER_WRITABLE);
  if ('accountEnabled' in body && typeof body.accountEnabled !== 'boolean')
    throw badRequest("Invalid value specified for property 'accountEnabled' of resource 'User'.");
  if ('displayName' in body && (typeof body.displayName !== 'string' || body.displayName.trim() === ''))
    throw badRequest("Invalid value specified for property 'displayName' of resource 'User'.");
  if (typeof body.usageLocation === 'string' && !/^[A-Z]{2}$/.test(body.usageLocation)) {
    throw badRequest("Invalid value specified for property 'usageLocation' of resource 'User'.");
  }
  if (typeof body.userPrincipalName === 'string') {
    const upn = body.userPrincipalName;
    if (!upn.includes('@'))
      throw badRequest("Invalid value specified for property 'userPrincipalName' of resource 'User'.");
    const other = ctx.tenant.userByUpn(upn);
    if (other && other.id !== user.id)
      throw badRequest('Another object with the same value for property userPrincipalName already exists.');
  }
  for (const [key, value] of Object.entries(body)) {
    if (key === 'passwordProfile') {
      const pw = (value as { password?: unknown }).password;
      if (typeof pw === 'string') user.credentials.password = pw;
      changes.push({ displayName: 'PasswordProfile', oldValue: null, newValue: null });
      continue;
    }
    const record = CORE_FIELDS.has(key) ? (user as unknown as Record<string, unknown>) : (user.extra ??= {});
    const old = key === 'userPrincipalName' ? user.userPrincipalName : (record[key] ?? null);
    if (key === 'userPrincipalName') ctx.tenant.renameUser(user, value as string);
    else record[key] = value;
    changes.push({
      displayName: key[0].toUpperCase() + key.slice(1),
      oldValue: JSON.stringify([old]),
      newValue: JSON.stringify([value]),
    });
  }
  return changes;
}

registerRoutes([
  {
    method: 'GET',
    path: '/users',
    permissions: READ,
    countable: true,
    handler: (ctx) => {
      assertSignInActivityAllowed(ctx);
      return listCollection(ctx, {
        schema: userSchema,
        items: ctx.tenant.users,
        where: (u) => !ctx.tenant.deletedUsers.has(u.id),
        contextPath: 'users',
        index: {
          props: ['id', 'userPrincipalName'],
          lookup: (prop, v) => (prop === 'id' ? ctx.tenant.userById(v) : ctx.tenant.userByUpn(v)),
        },
      });
    },
  },
  {
    method: 'GET',
    path: '/users/{id}',
    permissions: READ,
    selfParam: 'id',
    selfPermissions: ['User.Read'],
    handler: (ctx) => {
      assertSignInActivityAllowed(ctx);
      return entityResponse(ctx, userSchema, resolveUser(ctx, ctx.params.id), 'users');
    },
  },
  {
    method: 'PATCH',
    path: '/users/{id}',
    permissions: {
      delegated: ['User.EnableDisableAccount.All', 'User.ReadWrite.All'],
      application: ['User.EnableDisableAccount.All', 'User.ReadWrite.All'],
    },
    roles: ROLES.userEnablers,
    handler: (ctx) => {
      const user = resolveUser(ctx, ctx.params.id);
      const body = bodyObject(ctx);
      // User.EnableDisableAccount.All covers accountEnabled only; everything else needs User.ReadWrite.All.
      const onlyEnable = Object.keys(body).every((k) => k === 'accountEnabled');
      const scopes = ctx.caller.kind === 'delegated' ? ctx.caller.scopes : ctx.caller.appRoles;
      const canWriteAll = ['User.ReadWrite.All', 'Directory.ReadWrite.All'].some((s) => scopes.has(s));
      if (!onlyEnable && !canWriteAll)
        throw new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
      if ('accountEnabled' in body || 'passwordProfile' in body) assertCanManageSensitive(ctx, user);
      const changes = applyPatch(ctx, user, body);
      const activity = onlyEnable ? (body.accountEnabled ? 'Enable account' : 'Disable account') : 'Update user';
      ctx.audit({
        activityDisplayName: activity,
        category: 'UserManagement',
        operationType: 'Update',
        targetResources: [userTarget(user, changes)],
      });
      return noContent();
    },
  },
  {
    method: 'DELETE',
    path: '/users/{id}',
    permissions: { delegated: ['User.ReadWrite.All'], application: ['User.ReadWrite.All'] },
    roles: ROLES.userWriters,
    handler: (ctx) => {
      const user = resolveUser(ctx, ctx.params.id);
      assertCanManageSensitive(ctx, user);
      ctx.tenant.deleteUser(user);
      ctx.audit({
        activityDisplayName: 'Delete user',
        category: 'UserManagement',
        operationType: 'Delete',
        targetResources: [userTarget(user)],
      });
      return noContent();
    },
  },
  {
    method: 'POST',
    path: '/users/{id}/revokeSignInSessions',
    selfParam: 'id',
    selfPermissions: ['User.RevokeSessions.All'],
    permissions: { delegated: ['User.RevokeSessions.All'], application: ['User.RevokeSessions.All'] },
    roles: ROLES.sessionRevokers,
    handler: (ctx) => {
      const user = resolveUser(ctx, ctx.params.id);
      assertCanManageSensitive(ctx, user);
      user.signInSessionsValidFromDateTime = ctx.tenant.nowIso();
      ctx.audit({
        activityDisplayName: 'Invalidate all refresh tokens for user',
        category: 'UserManagement',
        operationType: 'Update',
        targetResources: [userTarget(user)],
      });
      return ok({ '@odata.context': `${ctx.serviceRoot}/$metadata#Edm.Boolean`, value: true });
    },
  },
]);
