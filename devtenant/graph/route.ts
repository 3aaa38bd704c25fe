// The route-definition type every route file uses (see devtenant/graph/README.md).
import type { TenantStore, AuditInput } from '../seed/index.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export type GraphVersion = 'v1.0' | 'beta';

/** Who is calling, from the validated access token. */
export interface Caller {
  kind: 'delegated' | 'application';
  appId: string;
  tenantId: string;
  /** Signed-in user's object id (`oid`) for delegated tokens. */
  userId: string | null;
  upn: string | null;
  /** Delegated scopes (`scp`). */
  scopes: ReadonlySet<string>;
  /** Application permissions (`roles`). */
  appRoles: ReadonlySet<string>;
  /** Directory role template ids in force for the user (`wids`). */
  wids: readonly string[];
  /** Authentication context class references satisfied (`acrs`). */
  acrs: readonly string[];
  /** Authentication methods (`amr`), e.g. ['pwd','mfa']. */
  amr: readonly string[];
  /** Client capabilities (`xms_cc`), e.g. ['cp1']. */
  clientCapabilities: readonly string[];
  /** Token issue time (seconds since epoch), for CAE-style revocation checks. */
  issuedAt: number;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  method: HttpMethod;
  version: GraphVersion;
  /** Path template params, decoded (e.g. { id: 'alice@contoso.onmicrosoft.com' }). */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Lower-cased request headers. */
  headers: Record<string, string | undefined>;
  /** Parsed JSON body (undefined when none). */
  body: unknown;
  caller: Caller;
  tenant: TenantStore;
  requestId: string;
  /** Absolute service root of this server for the version, e.g. http://127.0.0.1:4000/v1.0 */
  serviceRoot: string;
  /** Absolute request URL (used for @odata.nextLink). */
  requestUrl: URL;
  /** True when the request was `…/$count` on a countable collection route. */
  countSegment: boolean;
  /** Appends a directoryAudit with initiatedBy filled from the caller. */
  audit(entry: Omit<AuditInput, 'initiatedBy'>): void;
}

export interface PermissionSpec {
  /** Delegated scopes, any one suffices (higher scopes that imply them are accepted automatically). */
  delegated: readonly string[];
  /** Application permissions, any one suffices; [] = not supported with app-only tokens. */
  application: readonly string[];
  /**
   * Further permissions that are all required as well (e.g. directoryAudits: AuditLog.Read.All and Directory.Read.All).
   */
  allOf?: readonly string[];
}

export interface RouteDefinition {
  method: HttpMethod;
  /**
   * Path template below the version, e.g. '/users/{id}/licenseDetails' or
   * "/directoryRoles(roleTemplateId='{roleTemplateId}')".
   */
  path: string;
  /** Defaults to both. */
  versions?: readonly GraphVersion[];
  permissions: PermissionSpec;
  /**
   * Directory roles (template ids) of which the signed-in user must hold one for delegated calls, as Entra does.
   * Global Administrator is always allowed. Undefined = default user permissions (any signed-in member).
   */
  roles?: readonly string[];
  /** Name of a path param naming a user: when it resolves to the signed-in user, `roles` is not required. */
  selfParam?: string;
  /** Delegated scopes that also suffice when `selfParam` is the signed-in user (e.g. User.Read for /me). */
  selfPermissions?: readonly string[];
  /** GET collection routes that also answer `…/$count` (ConsistencyLevel rules apply). */
  countable?: boolean;
  handler(ctx: RouteContext): RouteResult | Promise<RouteResult>;
}

export const ok = (body: unknown, headers?: Record<string, string>): RouteResult => ({ status: 200, body, headers });
export const created = (body: unknown, headers?: Record<string, string>): RouteResult => ({
  status: 201,
  body,
  headers,
});
export const noContent = (): RouteResult => ({ status: 204 });
export const accepted = (location: string, body?: unknown): RouteResult => ({
  status: 202,
  body,
  headers: { Location: location },
});
