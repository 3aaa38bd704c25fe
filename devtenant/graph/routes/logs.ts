// auditLogs/directoryAudits, auditLogs/signIns, identity/conditionalAccess/authenticationContextClassReferences.
import { registerRoutes } from './registry.js';
import { entityResponse, listCollection } from '../odata/collection.js';
import { DATE_RANGE, P, STRING_EQ, type EntitySchema } from '../odata/schema.js';
import { ROLES } from '../permissions.js';
import { notFound } from '../errors.js';
import type { AuthContextClassReference, DirectoryAudit, SignIn } from '../../seed/index.js';

const EQ = ['eq'] as const;
const EQ_START = ['eq', 'startswith'] as const;

const auditSchema: EntitySchema<DirectoryAudit> = {
  typeName: 'microsoft.graph.directoryAudit',
  resourceName: 'DirectoryAudit',
  directory: false,
  properties: {
    id: P.str(STRING_EQ),
    category: P.str(EQ),
    correlationId: P.str(EQ),
    result: P.enumeration(EQ),
    resultReason: P.str(),
    activityDisplayName: P.str(EQ_START),
    activityDateTime: P.date(DATE_RANGE, true),
    loggedByService: P.str(EQ),
    operationType: P.str(EQ),
    initiatedBy: P.complex({
      user: P.complex({
        id: P.str(EQ),
        displayName: P.str(EQ_START),
        userPrincipalName: P.str(EQ_START),
        ipAddress: P.str(EQ),
      }),
      app: P.complex({
        appId: P.str(EQ),
        displayName: P.str(EQ_START),
        servicePrincipalId: P.str(EQ),
        servicePrincipalName: P.str(EQ),
      }),
    }),
    targetResources: P.complexes(
      {
        id: P.str(EQ),
        displayName: P.str(EQ_START),
        type: P.str(EQ),
        userPrincipalName: P.str(EQ_START),
        modifiedProperties: P.complexes(),
      },
      ['any'],
    ),
    additionalDetails: P.complexes(),
  },
  toJson: (a) => ({
    id: a.id,
    category: a.category,
    correlationId: a.correlationId,
    result: a.result,
    resultReason: a.resultReason,
    activityDisplayName: a.activityDisplayName,
    activityDateTime: a.activityDateTime,
    loggedByService: a.loggedByService,
    operationType: a.operationType,
    initiatedBy: a.initiatedBy,
    targetResources: a.targetResources,
    additionalDetails: a.additionalDetails,
  }),
};

const signInSchema: EntitySchema<SignIn> = {
  typeName: 'microsoft.graph.signIn',
  resourceName: 'SignIn',
  directory: false,
  properties: {
    id: P.str(STRING_EQ),
    createdDateTime: P.date(DATE_RANGE, true),
    userDisplayName: P.str(EQ_START),
    userPrincipalName: P.str(EQ_START),
    userId: P.str(EQ),
    appId: P.str(EQ),
    appDisplayName: P.str(EQ_START),
    ipAddress: P.str(EQ_START),
    clientAppUsed: P.str(EQ),
    correlationId: P.str(EQ),
    conditionalAccessStatus: P.enumeration(EQ),
    isInteractive: P.bool(EQ),
    resourceDisplayName: P.str(EQ),
    resourceId: P.str(EQ),
    status: P.complex({ errorCode: P.int(['eq', 'ne']), failureReason: P.str(), additionalDetails: P.str() }),
    location: P.complex({ city: P.str(EQ_START), state: P.str(EQ_START), countryOrRegion: P.str(EQ_START) }),
    riskDetail: P.str(EQ),
    riskLevelAggregated: P.str(EQ),
    riskLevelDuringSignIn: P.str(EQ),
    riskState: P.str(EQ),
    riskEventTypes_v2: P.strings(),
    deviceDetail: P.complex(),
    appliedConditionalAccessPolicies: P.complexes(),
  },
  // v1.0 has no authenticationRequirement (beta only): MFA shows in status.additionalDetails, as Entra writes it.
  toJson: ({ authenticationRequirement, ...s }) => ({
    ...s,
    status: {
      ...s.status,
      additionalDetails:
        s.status.additionalDetails ??
        (authenticationRequirement === 'multiFactorAuthentication'
          ? 'MFA requirement satisfied by claim in the token'
          : null),
    },
    riskDetail: 'none',
    riskLevelAggregated: 'none',
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    deviceDetail: {
      deviceId: '',
      displayName: '',
      operatingSystem: 'Windows10',
      browser: 'Edge 120.0.0',
      isCompliant: false,
      isManaged: false,
      trustType: '',
    },
    appliedConditionalAccessPolicies: [],
  }),
};

const contextSchema: EntitySchema<AuthContextClassReference> = {
  typeName: 'microsoft.graph.authenticationContextClassReference',
  resourceName: 'AuthenticationContextClassReference',
  directory: false,
  properties: { id: P.str(EQ), displayName: P.str(EQ), description: P.str(), isAvailable: P.bool(EQ) },
  toJson: (c) => ({ ...c }),
};

const auditPerms = {
  delegated: ['AuditLog.Read.All'],
  application: ['AuditLog.Read.All'],
  allOf: ['Directory.Read.All'],
};
const signInPerms = { delegated: ['AuditLog.Read.All'], application: ['AuditLog.Read.All'] };
const contextPerms = { delegated: ['AuthenticationContext.Read.All'], application: ['AuthenticationContext.Read.All'] };
const findBy = <T extends { id: string }>(items: readonly T[], id: string) => {
  const x = items.find((i) => i.id === id);
  if (!x) throw notFound(id);
  return x;
};

registerRoutes([
  {
    method: 'GET',
    path: '/auditLogs/directoryAudits',
    permissions: auditPerms,
    roles: ROLES.auditReaders,
    handler: (ctx) =>
      listCollection(ctx, {
        schema: auditSchema,
        items: ctx.tenant.directoryAudits,
        reverse: true,
        contextPath: 'auditLogs/directoryAudits',
        page: { default: 100, max: 999 },
        disallow: ['search', 'select', 'expand'],
      }),
  },
  {
    method: 'GET',
    path: '/auditLogs/directoryAudits/{id}',
    permissions: auditPerms,
    roles: ROLES.auditReaders,
    handler: (ctx) =>
      entityResponse(ctx, auditSchema, findBy(ctx.tenant.directoryAudits, ctx.params.id), 'auditLogs/directoryAudits'),
  },
  {
    method: 'GET',
    path: '/auditLogs/signIns',
    permissions: signInPerms,
    roles: ROLES.auditReaders,
    handler: (ctx) =>
      listCollection(ctx, {
        schema: signInSchema,
        items: ctx.tenant.signIns,
        reverse: true,
        contextPath: 'auditLogs/signIns',
        page: { default: 100, max: 1000 },
        disallow: ['search', 'expand'],
      }),
  },
  {
    method: 'GET',
    path: '/auditLogs/signIns/{id}',
    permissions: signInPerms,
    roles: ROLES.auditReaders,
    handler: (ctx) => entityResponse(ctx, signInSchema, findBy(ctx.tenant.signIns, ctx.params.id), 'auditLogs/signIns'),
  },
  {
    method: 'GET',
    path: '/identity/conditionalAccess/authenticationContextClassReferences',
    permissions: contextPerms,
    roles: ROLES.caReaders,
    handler: (ctx) =>
      listCollection(ctx, {
        schema: contextSchema,
        items: ctx.tenant.authenticationContexts,
        page: null,
        contextPath: 'identity/conditionalAccess/authenticationContextClassReferences',
      }),
  },
  {
    method: 'GET',
    path: '/identity/conditionalAccess/authenticationContextClassReferences/{id}',
    permissions: contextPerms,
    roles: ROLES.caReaders,
    handler: (ctx) =>
      entityResponse(
        ctx,
        contextSchema,
        findBy(ctx.tenant.authenticationContexts, ctx.params.id),
        'identity/conditionalAccess/authenticationContextClassReferences',
      ),
  },
]);
