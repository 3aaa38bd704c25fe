// /users/{id}/authentication/…: list methods, per-type list/get/delete, Temporary Access Pass, resetPassword,
// and beta per-user MFA requirements.
import { randomBytes } from 'node:crypto';
import { registerRoutes } from './registry.js';
import { accepted, created, noContent, ok, type RouteContext, type RouteDefinition } from '../route.js';
import { listCollection } from '../odata/collection.js';
import { P, type EntitySchema } from '../odata/schema.js';
import { ROLES } from '../permissions.js';
import { GraphError, badRequest } from '../errors.js';
import { assertCanManageSensitive, bodyObject, rejectUnknownProperties, resolveUser, userTarget } from './common.js';
import { isoSeconds, type AuthMethod, type AuthMethodKind, type SeedUser } from '../../seed/index.js';

export const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';
const ODATA_TYPE: Record<AuthMethodKind, string> = {
  password: 'passwordAuthenticationMethod',
  phone: 'phoneAuthenticationMethod',
  microsoftAuthenticator: 'microsoftAuthenticatorAuthenticationMethod',
  softwareOath: 'softwareOathAuthenticationMethod',
  fido2: 'fido2AuthenticationMethod',
  temporaryAccessPass: 'temporaryAccessPassAuthenticationMethod',
  email: 'emailAuthenticationMethod',
};
/** Per-type navigation segment → kind. */
const SEGMENTS: Record<string, AuthMethodKind> = {
  passwordMethods: 'password',
  phoneMethods: 'phone',
  microsoftAuthenticatorMethods: 'microsoftAuthenticator',
  softwareOathMethods: 'softwareOath',
  fido2Methods: 'fido2',
  temporaryAccessPassMethods: 'temporaryAccessPass',
  emailMethods: 'email',
};
/** Props never serialised (the TAP secret is returned once, on creation). */
const HIDDEN = new Set(['secret']);

export function methodJson(m: AuthMethod): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.type': `#microsoft.graph.${ODATA_TYPE[m.kind]}`, id: m.id };
  for (const [k, v] of Object.entries(m.props)) if (!HIDDEN.has(k)) out[k] = v;
  if (m.kind !== 'phone' && m.kind !== 'email' && m.kind !== 'softwareOath') out.createdDateTime = m.createdDateTime;
  if (m.kind === 'temporaryAccessPass') {
    const start = Date.parse(String(m.props.startDateTime));
    const end = start + Number(m.props.lifetimeInMinutes) * 60_000;
    out.isUsable = Date.now() >= start && Date.now() < end;
    out.methodUsabilityReason = out.isUsable ? 'EnabledByPolicy' : Date.now() < start ? 'NotYetValid' : 'Expired';
  }
  return out;
}

const methodSchema: EntitySchema<AuthMethod> = {
  typeName: 'microsoft.graph.authenticationMethod',
  resourceName: 'AuthenticationMethod',
  directory: false,
  properties: { id: P.str(), createdDateTime: P.date() },
  toJson: (m) => methodJson(m),
};
const readPerms = {
  delegated: ['UserAuthenticationMethod.Read.All'],
  application: ['UserAuthenticationMethod.Read.All'],
};
const writePerms = {
  delegated: ['UserAuthenticationMethod.ReadWrite.All'],
  application: ['UserAuthenticationMethod.ReadWrite.All'],
};
const methodNotFound = (id: string) =>
  new GraphError(404, 'NotFound', `Authentication method '${id}' was not found for the user.`);

function isMfaMethod(m: AuthMethod) {
  return m.kind !== 'password' && m.kind !== 'email' && m.kind !== 'temporaryAccessPass';
}

function deleteMethod(ctx: RouteContext, kind: AuthMethodKind): ReturnType<RouteDefinition['handler']> {
  const user = resolveUser(ctx, ctx.params.id);
  assertCanManageSensitive(ctx, user);
  const method = user.authMethods.find((m) => m.id === ctx.params.methodId.toLowerCase() && m.kind === kind);
  if (!method) throw methodNotFound(ctx.params.methodId);
  if (kind === 'password') throw badRequest('The password method cannot be deleted.', 'BadRequest');
  const otherMfa = user.authMethods.filter((m) => m.id !== method.id && isMfaMethod(m));
  if (user.defaultMfaMethodId === method.id && otherMfa.length > 0) {
    throw new GraphError(
      400,
      'BadRequest',
      "The user's default authentication method cannot be deleted while other methods are registered. Delete the " +
        'other methods or change the default first.',
    );
  }
  ctx.tenant.removeAuthMethod(user, method.id);
  ctx.audit({
    activityDisplayName: 'Admin deleted security info',
    category: 'UserManagement',
    operationType: 'Delete',
    loggedByService: 'Authentication Methods',
    resultReason: `Admin deleted ${ODATA_TYPE[kind]} for user`,
    targetResources: [userTarget(user)],
  });
  return noContent();
}

function createTap(ctx: RouteContext, user: SeedUser) {
  const body = bodyObject(ctx);
  rejectUnknownProperties(
    body,
    ['lifetimeInMinutes', 'isUsableOnce', 'startDateTime'],
    'microsoft.graph.temporaryAccessPassAuthenticationMethod',
  );
  const lifetime = body.lifetimeInMinutes ?? 60;
  if (typeof lifetime !== 'number' || !Number.isInteger(lifetime) || lifetime < 10 || lifetime > 43200) {
    throw new GraphError(400, 'BadRequest', 'The lifetimeInMinutes value must be between 10 and 43200 minutes.');
  }
  if (body.isUsableOnce !== undefined && typeof body.isUsableOnce !== 'boolean')
    throw new GraphError(400, 'BadRequest', 'isUsableOnce must be a boolean.');
  if (user.authMethods.some((m) => m.kind === 'temporaryAccessPass')) {
    throw new GraphError(
      400,
      'BadRequest',
      'The user already has a Temporary Access Pass. Delete it before creating a new one.',
    );
  }
  const start =
    typeof body.startDateTime === 'string' && !Number.isNaN(Date.parse(body.startDateTime))
      ? isoSeconds(Date.parse(body.startDateTime))
      : ctx.tenant.nowIso();
  const secret = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x');
  const method: AuthMethod = {
    id: ctx.tenant.newId(),
    kind: 'temporaryAccessPass',
    createdDateTime: ctx.tenant.nowIso(),
    props: { startDateTime: start, lifetimeInMinutes: lifetime, isUsableOnce: body.isUsableOnce ?? false, secret },
  };
  user.authMethods.push(method);
  ctx.audit({
    activityDisplayName: 'Admin registered temporary access pass method for user',
    category: 'UserManagement',
    operationType: 'Add',
    loggedByService: 'Authentication Methods',
    targetResources: [userTarget(user)],
  });
  return created({
    '@odata.context': `${ctx.serviceRoot}/$metadata#users('${user.id}')/authentication/temporaryAccessPassMethods/$entity`,
    ...methodJson(method),
    temporaryAccessPass: secret,
  });
}

const perType: RouteDefinition[] = Object.entries(SEGMENTS).flatMap(([segment, kind]): RouteDefinition[] => [
  {
    method: 'GET',
    path: `/users/{id}/authentication/${segment}`,
    permissions: readPerms,
    roles: ROLES.authMethodReaders,
    selfParam: 'id',
    selfPermissions: ['UserAuthenticationMethod.Read'],
    handler: (ctx) => {
      const user = resolveUser(ctx, ctx.params.id);
      return listCollection(ctx, {
        schema: methodSchema,
        items: user.authMethods.filter((m) => m.kind === kind),
        page: null,
        contextPath: `users('${user.id}')/authentication/${segment}`,
        disallow: ['filter', 'search', 'orderby', 'count', 'top'],
      });
    },
  },
  {
    method: 'GET',
    path: `/users/{id}/authentication/${segment}/{methodId}`,
    permissions: readPerms,
    roles: ROLES.authMethodReaders,
    selfParam: 'id',
    selfPermissions: ['UserAuthenticationMethod.Read'],
    handler: (ctx) => {
      const user = resolveUser(ctx, ctx.params.id);
      const m = user.authMethods.find((x) => x.id === ctx.params.methodId.toLowerCase() && x.kind === kind);
      if (!m) throw methodNotFound(ctx.params.methodId);
      return ok({
        '@odata.context': `${ctx.serviceRoot}/$metadata#users('${user.id}')/authentication/${segment}/$entity`,
        ...methodJson(m),
      });
    },
  },
  ...(kind === 'password'
    ? []
    : [
        {
          method: 'DELETE' as const,
          path: `/users/{id}/authentication/${segment}/{methodId}`,
          roles: ROLES.authMethodWriters,
          permissions:
            kind === 'phone'
              ? {
                  delegated: ['UserAuthMethod-Phone.ReadWrite.All'],
                  application: ['UserAuthMethod-Phone.ReadWrite.All'],
                }
              : kind === 'temporaryAccessPass'
                ? { delegated: ['UserAuthMethod-TAP.ReadWrite.All'], application: ['UserAuthMethod-TAP.ReadWrite.All'] }
                : writePerms,
          handler: (ctx: RouteContext) => deleteMethod(ctx, kind),
        },
      ]),
]);

registerRoutes([
  {
    method: 'GET',
    path: '/users/{id}/authentication/methods',
    permissions: readPerms,
    roles: ROLES.authMethodReaders,
    selfParam: 'id',
    selfPermissions: ['UserAuthenticationMethod.Read'],
    handler: (ctx) => {
      const user = resolveUser(ctx, ctx.params.id);
      return listCollection(ctx, {
        schema: methodSchema,
        items: user.authMethods,
        page: null,
        contextPath: `users('${user.id}')/authentication/methods`,
        disallow: ['filter', 'search', 'orderby', 'count', 'top'],
      });
    },
  },
  ...perType,
  {
    method: 'POST',
    path: '/users/{id}/authentication/temporaryAccessPassMethods',
    roles: ROLES.authMethodWriters,
    permissions: { delegated: ['UserAuthMethod-TAP.ReadWrite.All'], application: ['UserAuthMethod-TAP.ReadWrite.All'] },
    handler: (ctx) => {
      const user = resolveUser(ctx, ctx.params.id);
      assertCanManageSensitive(ctx, user);
      return createTap(ctx, user);
    },
  },
  {
    method: 'POST',
    path: '/users/{id}/authentication/methods/{methodId}/resetPassword',
    permissions: writePerms,
    roles: [...ROLES.authMethodWriters, ...ROLES.userEnablers],
    handler: (ctx) => {
      const user = resolveUser(ctx, ctx.params.id);
      assertCanManageSensitive(ctx, user);
      if (ctx.params.methodId.toLowerCase() !== PASSWORD_METHOD_ID) throw methodNotFound(ctx.params.methodId);
      const body = ctx.body === undefined ? {} : bodyObject(ctx);
      rejectUnknownProperties(body, ['newPassword'], 'microsoft.graph.authenticationMethod');
      if (body.newPassword !== undefined && (typeof body.newPassword !== 'string' || body.newPassword.length < 8)) {
        throw new GraphError(
          400,
          'BadRequest',
          'The password does not comply with the password complexity requirements.',
        );
      }
      const generated = body.newPassword === undefined ? `Tmp-${randomBytes(6).toString('hex')}!` : null;
      user.credentials.password = (body.newPassword as string | undefined) ?? generated!;
      const opId = ctx.tenant.newId();
      ctx.tenant.asyncOperations.set(opId, {
        id: opId,
        kind: 'passwordReset',
        status: 'succeeded',
        createdDateTime: ctx.tenant.nowIso(),
        lastActionDateTime: ctx.tenant.nowIso(),
        targetResourceId: user.id,
        targetResourceLocation: null,
        attemptsCount: 1,
        error: null,
        details: {},
      });
      ctx.audit({
        activityDisplayName: 'Reset user password',
        category: 'UserManagement',
        operationType: 'Update',
        targetResources: [userTarget(user)],
      });
      return accepted(`${ctx.serviceRoot}/users/${user.id}/authentication/operations/${opId}`, {
        '@odata.context': `${ctx.serviceRoot}/$metadata#microsoft.graph.passwordResetResponse`,
        newPassword: generated,
      });
    },
  },
  {
    method: 'GET',
    path: '/users/{id}/authentication/operations/{opId}',
    permissions: readPerms,
    roles: [...ROLES.authMethodWriters, ...ROLES.userEnablers],
    handler: (ctx) => {
      const user = resolveUser(ctx, ctx.params.id);
      const op = ctx.tenant.asyncOperations.get(ctx.params.opId);
      if (!op || op.targetResourceId !== user.id)
        throw new GraphError(404, 'NotFound', `Operation '${ctx.params.opId}' was not found.`);
      return ok({
        '@odata.context': `${ctx.serviceRoot}/$metadata#users('${user.id}')/authentication/operations/$entity`,
        id: op.id,
        createdDateTime: op.createdDateTime,
        lastActionDateTime: op.lastActionDateTime,
        status: op.status,
        resourceLocation: null,
        statusDetail: null,
      });
    },
  },
  {
    method: 'GET',
    path: '/users/{id}/authentication/requirements',
    versions: ['beta'],
    permissions: readPerms,
    roles: ROLES.authMethodReaders,
    handler: (ctx) => {
      const user = resolveUser(ctx, ctx.params.id);
      return ok({
        '@odata.context': `${ctx.serviceRoot}/$metadata#users('${user.id}')/authentication/requirements`,
        perUserMfaState: user.perUserMfaState ?? 'disabled',
      });
    },
  },
  {
    method: 'PATCH',
    path: '/users/{id}/authentication/requirements',
    versions: ['beta'],
    permissions: {
      delegated: ['Policy.ReadWrite.AuthenticationMethod'],
      application: ['Policy.ReadWrite.AuthenticationMethod'],
    },
    roles: ROLES.authMethodWriters,
    handler: (ctx) => {
      const user = resolveUser(ctx, ctx.params.id);
      const body = bodyObject(ctx);
      rejectUnknownProperties(body, ['perUserMfaState'], 'microsoft.graph.strongAuthenticationRequirements');
      if (!['disabled', 'enabled', 'enforced'].includes(String(body.perUserMfaState))) {
        throw new GraphError(
          400,
          'BadRequest',
          "Invalid value for 'perUserMfaState'. Expected one of: disabled, enabled, enforced.",
        );
      }
      user.perUserMfaState = body.perUserMfaState as SeedUser['perUserMfaState'];
      ctx.audit({
        activityDisplayName: 'Update per-user multifactor authentication state',
        category: 'UserManagement',
        operationType: 'Update',
        targetResources: [
          userTarget(user, [
            {
              displayName: 'StrongAuthenticationRequirement',
              oldValue: null,
              newValue: JSON.stringify(body.perUserMfaState),
            },
          ]),
        ],
      });
      return noContent();
    },
  },
]);
