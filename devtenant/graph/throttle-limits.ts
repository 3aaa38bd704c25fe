// The throttling limits Microsoft publishes for the services this stand-in serves (learn.microsoft.com/graph/
// throttling-limits), per app per tenant unless noted, and the identity service's request costs. Where Microsoft
// publishes no limit the stand-in assumes a conservative one; each assumption is listed in CONFORMANCE.md.

export interface LimitSpec {
  quota: number;
  windowSeconds: number;
}

export type LimitName =
  | 'identityResourceUnits'
  | 'identityWrites'
  | 'identityTenantWrites'
  | 'identityReports'
  | 'conditionalAccess'
  | 'serviceCommunicationsMinute'
  | 'serviceCommunicationsHour'
  | 'teamsGet'
  | 'teamsMembersGet'
  | 'teamsWrite'
  | 'teamsDelete'
  | 'teamsAdministration';

export interface ThrottledRequest {
  method: string;
  /** The matched route template, e.g. '/users/{id}/memberOf'. */
  path: string;
  query: URLSearchParams;
  appId: string;
  tenantId: string;
}

export interface ApplicableLimit {
  name: LimitName;
  spec: LimitSpec;
  /** `tenant`: shared by every app of the tenant. */
  scope: 'app' | 'tenant';
  /** What one request uses: its resource units, its write cost, or one request. */
  unit: 'ru' | 'write' | 'request';
  /** Identity and access service: x-ms-resource-unit / x-ms-throttle-* headers. */
  identity: boolean;
}

/** Identity and access, application+tenant pair: S (< 50 users) 3,500, M (50–500) 5,000, L (> 500) 8,000 per 10 s. */
export function identityResourceUnitQuota(userCount: number): number {
  return userCount < 50 ? 3_500 : userCount <= 500 ? 5_000 : 8_000;
}

const FIXED: Record<Exclude<LimitName, 'identityResourceUnits'>, LimitSpec> = {
  // Identity and access: write quota per application+tenant pair, and per tenant (all apps).
  identityWrites: { quota: 3_000, windowSeconds: 150 },
  identityTenantWrites: { quota: 18_000, windowSeconds: 300 },
  // Identity and access reports (directoryAudit, signIn, authentication method registration reports).
  identityReports: { quota: 5, windowSeconds: 10 },
  // Identity protection and conditional access: 1 request per second per tenant for all apps.
  conditionalAccess: { quota: 1, windowSeconds: 1 },
  // Service Communications (/admin/serviceAnnouncement): 240 per 60 s and 800 per hour.
  serviceCommunicationsMinute: { quota: 240, windowSeconds: 60 },
  serviceCommunicationsHour: { quota: 800, windowSeconds: 3_600 },
  // Microsoft Teams (requests per second per app per tenant).
  teamsGet: { quota: 30, windowSeconds: 1 },
  teamsMembersGet: { quota: 60, windowSeconds: 1 },
  teamsWrite: { quota: 30, windowSeconds: 1 },
  teamsDelete: { quota: 15, windowSeconds: 1 },
  // Assumption: Teams administration (policies, user configurations, telephone numbers) has no published limit; the
  // stand-in uses Teams' "Other API calls for Microsoft Teams" (30 rps).
  teamsAdministration: { quota: 30, windowSeconds: 1 },
};

export function limitsFor(
  req: ThrottledRequest,
  userCount: number,
  overrides: Partial<Record<LimitName, LimitSpec>>,
): ApplicableLimit[] {
  const path = req.path.toLowerCase();
  const method = req.method.toUpperCase();
  const spec = (name: LimitName): LimitSpec =>
    overrides[name] ??
    (name === 'identityResourceUnits'
      ? { quota: identityResourceUnitQuota(userCount), windowSeconds: 10 }
      : FIXED[name]);
  const one = (name: LimitName, scope: 'app' | 'tenant' = 'app'): ApplicableLimit => ({
    name,
    spec: spec(name),
    scope,
    unit: 'request',
    identity: false,
  });
  if (path.startsWith('/auditlogs/') || path.startsWith('/reports/')) return [one('identityReports')];
  if (path.startsWith('/identity/conditionalaccess')) return [one('conditionalAccess', 'tenant')];
  if (path.startsWith('/admin/serviceannouncement'))
    return [one('serviceCommunicationsMinute'), one('serviceCommunicationsHour')];
  if (path.startsWith('/admin/teams') || path.includes('teamsadministration')) return [one('teamsAdministration')];
  if (path.startsWith('/teams')) {
    if (method === 'GET') return [one(path === '/teams/{id}/members' ? 'teamsMembersGet' : 'teamsGet')];
    return [one(method === 'DELETE' ? 'teamsDelete' : 'teamsWrite')];
  }
  return [
    { name: 'identityResourceUnits', spec: spec('identityResourceUnits'), scope: 'app', unit: 'ru', identity: true },
    { name: 'identityWrites', spec: spec('identityWrites'), scope: 'app', unit: 'write', identity: true },
    {
      name: 'identityTenantWrites',
      spec: spec('identityTenantWrites'),
      scope: 'tenant',
      unit: 'write',
      identity: true,
    },
  ];
}

/** Base resource-unit costs of GET paths that differ from 1 (a `me/` cost applies to `users/{id}/` too). */
const BASE_GET_COST: Record<string, number> = {
  '/users': 2,
  '/groups/{id}/members': 3,
  '/groups/{id}/transitivemembers': 5,
  '/subscribedskus': 3,
  '/users/{id}/licensedetails': 2,
  '/users/{id}/memberof': 2,
  '/users/{id}/transitivememberof': 2,
  '/users/{id}/ownedobjects': 2,
};

/**
 * Identity and access request cost: base cost, $select −1, $expand +1, $top below 20 −1, never below 1; writes
 * (POST, PATCH, PUT, DELETE) also cost 1 against the write quota.
 */
export function requestCost(req: ThrottledRequest): { resourceUnits: number; writes: number } {
  const method = req.method.toUpperCase();
  let ru = method === 'GET' ? (BASE_GET_COST[req.path.toLowerCase()] ?? 1) : 1;
  const has = (name: string) => [...req.query.keys()].some((k) => k.toLowerCase() === name);
  const value = (name: string) => [...req.query].find(([k]) => k.toLowerCase() === name)?.[1];
  if (has('$select')) ru -= 1;
  if (has('$expand')) ru += 1;
  const top = Number(value('$top'));
  if (has('$top') && Number.isFinite(top) && top < 20) ru -= 1;
  return { resourceUnits: Math.max(1, ru), writes: method === 'GET' ? 0 : 1 };
}
