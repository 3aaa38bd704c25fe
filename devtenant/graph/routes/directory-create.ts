// POST /users and POST /groups (learn.microsoft.com/graph/api/user-post-users, group-post-groups): required
// properties, the documented writable set (the same CSDL type checks as PATCH), Graph's error texts, 201 with the
// default projection, an audit entry, and a change GET /users/delta reports.
import { registerRoutes } from './registry.js';
import { created, type RouteContext } from '../route.js';
import { entityResponse } from '../odata/collection.js';
import { userSchema } from '../model/user.js';
import { groupSchema } from '../model/group.js';
import { checkWritableBody, GROUP_WRITABLE, USER_WRITABLE } from '../model/writable.js';
import { ROLES } from '../permissions.js';
import { GraphError, badRequest, isGuid, notFound } from '../errors.js';
import { bodyObject, userTarget } from './common.js';
import type { SeedGroup, SeedUser } from '../../seed/index.js';
import { CORE_FIELDS } from './users.js';

const required = (name: string) =>
  new GraphError(400, 'Request_BadRequest', `Property ${name} value is required but is empty or missing.`);
const invalid = (name: string, resource: string) =>
  badRequest(`Invalid value specified for property '${name}' of resource '${resource}'.`);
/** Graph: ASCII without ` @ () \ [] " ; : . <> , SPACE`, at most 64 characters. */
const MAIL_NICKNAME = /^[\x21-\x7e]{1,64}$/;
const NICKNAME_FORBIDDEN = /[@()\\[\]";:.<>, ]/;

/** Fields SeedUser keeps itself (the PATCH route's, plus the UPN set at creation); the rest goes to `extra`. */
const USER_FIELDS: ReadonlySet<string> = new Set([...CORE_FIELDS, 'userPrincipalName']);

function createUser(ctx: RouteContext) {
  const body = bodyObject(ctx);
  checkWritableBody(body, 'microsoft.graph.user', USER_WRITABLE);
  for (const name of ['accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName', 'passwordProfile'])
    if (body[name] === undefined || body[name] === null || body[name] === '') throw required(name);
  const password = (body.passwordProfile as { password?: unknown }).password;
  if (typeof password !== 'string' || password === '') throw required('passwordProfile.password');
  if (typeof body.accountEnabled !== 'boolean') throw invalid('accountEnabled', 'User');
  const nick = String(body.mailNickname);
  if (!MAIL_NICKNAME.test(nick) || NICKNAME_FORBIDDEN.test(nick)) throw invalid('mailNickname', 'User');
  const upn = String(body.userPrincipalName);
  const [local, domain] = upn.split('@');
  if (!local || !domain || upn.split('@').length !== 2) throw invalid('userPrincipalName', 'User');
  if (domain.toLowerCase() !== ctx.tenant.domain.toLowerCase())
    throw badRequest(
      'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain ' +
        'names in your organization.',
    );
  if (ctx.tenant.userByUpn(upn))
    throw badRequest('Another object with the same value for property userPrincipalName already exists.');
  if (typeof body.usageLocation === 'string' && !/^[A-Z]{2}$/.test(body.usageLocation))
    throw invalid('usageLocation', 'User');
  const now = ctx.tenant.nowIso();
  const user: SeedUser = {
    id: ctx.tenant.newId(),
    userPrincipalName: upn,
    displayName: String(body.displayName),
    givenName: null,
    surname: null,
    mail: null,
    otherMails: [],
    accountEnabled: body.accountEnabled,
    userType: 'Member',
    usageLocation: null,
    jobTitle: null,
    department: null,
    officeLocation: null,
    mobilePhone: null,
    businessPhones: [],
    preferredLanguage: null,
    createdDateTime: now,
    onPremisesSyncEnabled: null,
    assignedLicenses: [],
    signInActivity: {
      lastSignInDateTime: null,
      lastSignInRequestId: null,
      lastNonInteractiveSignInDateTime: null,
      lastNonInteractiveSignInRequestId: null,
      lastSuccessfulSignInDateTime: null,
      lastSuccessfulSignInRequestId: null,
    },
    signInSessionsValidFromDateTime: now,
    passwordPolicies: null,
    authMethods: [{ id: '28c10230-6103-485e-b985-444c60001490', kind: 'password', createdDateTime: now, props: {} }],
    defaultMfaMethodId: null,
    teams: { isEnterpriseVoiceEnabled: false, featureTypes: [], accountType: 'ineligibleUser' },
    credentials: { password },
    extra: {},
  };
  const record = user as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(body)) {
    if (key === 'passwordProfile' || key.startsWith('@odata.')) continue;
    if (USER_FIELDS.has(key)) record[key] = value;
    else user.extra![key] = value;
  }
  ctx.tenant.addUser(user);
  ctx.tenant.touchUser(user.id);
  ctx.audit({
    activityDisplayName: 'Add user',
    category: 'UserManagement',
    operationType: 'Add',
    targetResources: [userTarget(user)],
  });
  const res = entityResponse(ctx, userSchema, user, 'users');
  return created(res.body, { Location: `${ctx.serviceRoot}/users/${user.id}` });
}

/** `https://graph.microsoft.com/v1.0/users/{id}` or `…/directoryObjects/{id}` → the user. */
function boundUsers(ctx: RouteContext, value: unknown, prop: string): SeedUser[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw badRequest(`Invalid value for '${prop}'.`, 'BadRequest');
  return value.map((ref) => {
    const m = typeof ref === 'string' ? /\/(?:directoryObjects|users)(?:\/|\(')([^/'()?]+)'?\)?\/?$/i.exec(ref) : null;
    const id = m ? decodeURIComponent(m[1]!) : '';
    if (!isGuid(id)) throw badRequest(`Invalid object identifier '${String(ref)}'.`);
    const user = ctx.tenant.userById(id);
    if (!user) throw notFound(id);
    return user;
  });
}

function createGroup(ctx: RouteContext) {
  const body = bodyObject(ctx);
  checkWritableBody(body, 'microsoft.graph.group', GROUP_WRITABLE);
  for (const name of ['displayName', 'mailEnabled', 'mailNickname', 'securityEnabled'])
    if (body[name] === undefined || body[name] === null || body[name] === '') throw required(name);
  const nick = String(body.mailNickname);
  if (!MAIL_NICKNAME.test(nick) || NICKNAME_FORBIDDEN.test(nick)) throw invalid('mailNickname', 'Group');
  const groupTypes = (body.groupTypes as string[] | undefined) ?? [];
  const unified = groupTypes.includes('Unified');
  if (unified && ctx.tenant.groups.some((g) => g.mailNickname.toLowerCase() === nick.toLowerCase()))
    throw badRequest('Another object with the same value for property mailNickname already exists.');
  const owners = boundUsers(ctx, body['owners@odata.bind'], 'owners@odata.bind');
  const members = boundUsers(ctx, body['members@odata.bind'], 'members@odata.bind');
  if (owners.length + members.length > 20)
    throw badRequest('The maximum number of owners and members that can be added in one request is 20.');
  const group: SeedGroup = {
    id: ctx.tenant.newId(),
    displayName: String(body.displayName),
    description: typeof body.description === 'string' ? body.description : null,
    mailNickname: nick,
    mail: body.mailEnabled === true || unified ? `${nick}@${ctx.tenant.domain}` : null,
    mailEnabled: body.mailEnabled === true,
    securityEnabled: body.securityEnabled === true,
    groupTypes,
    visibility: (body.visibility as SeedGroup['visibility']) ?? (unified ? 'Public' : null),
    resourceProvisioningOptions: [],
    createdDateTime: ctx.tenant.nowIso(),
    memberIds: new Set(members.map((u) => u.id)),
    ownerIds: new Set(owners.map((u) => u.id)),
    extra: {},
  };
  for (const [key, value] of Object.entries(body))
    if (!key.includes('@odata.') && !(key in group)) group.extra![key] = value;
  // Graph adds a delegated creator as owner when none is given (Microsoft 365 groups).
  if (unified && group.ownerIds.size === 0 && ctx.caller.kind === 'delegated' && ctx.caller.userId)
    group.ownerIds.add(ctx.caller.userId);
  ctx.tenant.addGroup(group);
  ctx.audit({
    activityDisplayName: 'Add group',
    category: 'GroupManagement',
    operationType: 'Add',
    targetResources: [
      { id: group.id, displayName: group.displayName, type: 'Group', userPrincipalName: null, modifiedProperties: [] },
    ],
  });
  const res = entityResponse(ctx, groupSchema, group, 'groups');
  return created(res.body, { Location: `${ctx.serviceRoot}/groups/${group.id}` });
}

registerRoutes([
  {
    method: 'POST',
    path: '/users',
    permissions: { delegated: ['User.ReadWrite.All'], application: ['User.ReadWrite.All'] },
    roles: ROLES.userWriters,
    handler: createUser,
  },
  {
    method: 'POST',
    path: '/groups',
    permissions: { delegated: ['Group.ReadWrite.All'], application: ['Group.ReadWrite.All'] },
    roles: ROLES.groupWriters,
    handler: createGroup,
  },
]);
