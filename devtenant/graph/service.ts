// One Graph request → one response, shared by the HTTP server and $batch. Order of checks follows Graph:
// version → token (401) → throttle (429) → route (400 segment / 405) → query options → permission + role (403)
// → authentication context (401 claims challenge to CP1 clients, else 403) → body (400) → handler.
import { randomUUID } from 'node:crypto';
import type { TenantStore } from '../seed/index.js';
import { GraphError, errorEnvelope, invalidJson } from './errors.js';
import { authenticate, WWW_AUTHENTICATE_BASE, type TrustOptions } from './auth.js';
import { authorize } from './permissions.js';
import { matchRoute, splitPath, type CompiledRoute } from './router.js';
import { checkQueryOptions } from './odata/query.js';
import { DocumentedThrottle, Throttle, type GraphThrottleSetting } from './throttle.js';
import { metadataDocument } from './metadata.js';
import { LatencyModel, sleep, type LatencyOptions } from './latency.js';
import type { RequestLogEntry } from './request-log.js';
import type { Caller, GraphVersion, HttpMethod, RouteContext, RouteResult } from './route.js';

export interface AuthContextRule {
  method: HttpMethod;
  /** A registered path template, e.g. '/users/{id}' */
  path: string;
  /** Authentication context class reference the token's `acrs` must contain, e.g. 'c1'. */
  acrs: string;
}

export interface GraphServiceOptions {
  tenant: TenantStore;
  trust: TrustOptions;
  /** Off when absent or false. */
  throttle?: GraphThrottleSetting | false;
  authContextRules?: readonly AuthContextRule[];
  /** Added to every answer (each $batch and each request inside it); none when absent. */
  latency?: LatencyOptions | null;
}

export interface ServiceRequest {
  method: string;
  /** Path + query below the server root, e.g. /v1.0/users?$top=5 */
  url: string;
  headers: Record<string, string | undefined>;
  rawBody?: string;
  /** Already-parsed body ($batch items carry JSON). */
  jsonBody?: unknown;
  viaBatch?: boolean;
}
export interface ServiceResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Oldest entries are dropped beyond this, so a long-running demo does not grow without bound. */
const MAX_LOG_ENTRIES = 100_000;
const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);
export const JSON_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export class GraphService {
  readonly requestLog: RequestLogEntry[] = [];
  private readonly throttle: Throttle | null;
  private readonly documentedThrottle: DocumentedThrottle | null;
  private readonly latency: LatencyModel | null;
  /** Set by the HTTP server once it listens. */
  baseUrl = 'http://127.0.0.1';
  batchHandler: ((req: ServiceRequest, version: GraphVersion, caller: Caller) => Promise<ServiceResponse>) | null =
    null;

  constructor(
    private readonly options: GraphServiceOptions,
    private readonly routes: readonly CompiledRoute[],
  ) {
    const t = options.throttle;
    const documented = t === 'documented' ? { mode: 'documented' as const } : t && 'mode' in t ? t : null;
    this.throttle = t && t !== 'documented' && !('mode' in t) ? new Throttle(t) : null;
    this.documentedThrottle = documented
      ? new DocumentedThrottle(() => this.tenant.users.length - this.tenant.deletedUsers.size, documented)
      : null;
    this.latency = options.latency ? new LatencyModel(options.latency) : null;
  }

  get tenant(): TenantStore {
    return this.options.tenant;
  }

  async handle(req: ServiceRequest): Promise<ServiceResponse> {
    const requestId = randomUUID();
    const clientRequestId = req.headers['client-request-id'] ?? requestId;
    let caller: Caller | null = null;
    let res: ServiceResponse;
    try {
      const r = await this.run(req, requestId, (c) => {
        caller = c;
      });
      res = { status: r.status, headers: { ...(r.headers ?? {}) }, body: r.body };
    } catch (err) {
      const e =
        err instanceof GraphError ? err : new GraphError(500, 'UnknownError', 'An internal server error occurred.');
      res = {
        status: e.status,
        headers: { ...e.headers },
        body: errorEnvelope(e, requestId, clientRequestId, this.tenant.now()),
      };
    }
    res.headers['request-id'] = requestId;
    res.headers['client-request-id'] = clientRequestId;
    if (res.body !== undefined && typeof res.body !== 'string') res.headers['Content-Type'] ??= JSON_CONTENT_TYPE;
    if (this.latency) await sleep(this.latency.sample());
    const c = caller as Caller | null;
    this.requestLog.push({
      time: new Date().toISOString(),
      method: req.method,
      url: req.url,
      status: res.status,
      requestId,
      appId: c?.appId ?? null,
      userId: c?.userId ?? null,
      upn: c?.upn ?? null,
      viaBatch: req.viaBatch ?? false,
    });
    if (this.requestLog.length > MAX_LOG_ENTRIES) this.requestLog.splice(0, this.requestLog.length - MAX_LOG_ENTRIES);
    return res;
  }

  private async run(req: ServiceRequest, requestId: string, setCaller: (c: Caller) => void) {
    const url = new URL(req.url, this.baseUrl);
    const vm = /^\/(v1\.0|beta)(\/.*)?$/i.exec(url.pathname);
    if (!vm) throw new GraphError(400, 'BadRequest', `Invalid version: ${url.pathname.split('/')[1] ?? ''}`);
    const version = vm[1].toLowerCase() as GraphVersion;
    const method = req.method.toUpperCase();
    if (!METHODS.has(method))
      throw new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request uri.');
    // The metadata document needs no token on Graph either.
    if (method === 'GET' && version === 'v1.0' && /^\/\$metadata\/?$/i.test(vm[2] ?? '')) return metadataDocument();
    const caller = await authenticate(req.headers.authorization, this.options.trust, this.tenant.id);
    setCaller(caller);
    this.checkRevocation(caller);
    let segments = splitPath(vm[2] ?? '');
    if (segments.length === 1 && segments[0] === '$batch' && method === 'POST' && !req.viaBatch && this.batchHandler) {
      return this.batchHandler(req, version, caller);
    }
    const isWriteGuess = method !== 'GET';
    this.throttle?.take(caller.appId, isWriteGuess);
    if (segments[0]?.toLowerCase() === 'me') {
      if (caller.kind !== 'delegated' || !caller.userId) {
        throw new GraphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
      }
      segments = ['users', caller.userId, ...segments.slice(1)];
    }
    if (segments.length === 0 && method === 'GET') return this.serviceDocument(version);
    const match = matchRoute(this.routes, method as HttpMethod, version, segments);
    const def = match.route.def;
    checkQueryOptions(url.searchParams);
    // x-ms-throttle-priority is accepted and changes no limit, as Graph documents ("does not change the limits").
    const throttleHeaders =
      this.documentedThrottle?.charge({
        method,
        path: def.path,
        query: url.searchParams,
        appId: caller.appId,
        tenantId: this.tenant.id,
      }) ?? {};
    const selfKey = def.selfParam ? match.params[def.selfParam] : undefined;
    const isSelf =
      caller.kind === 'delegated' &&
      selfKey !== undefined &&
      (selfKey.toLowerCase() === caller.userId?.toLowerCase() || selfKey.toLowerCase() === caller.upn?.toLowerCase());
    authorize(def, caller, isSelf);
    this.checkAuthContext(method as HttpMethod, def.path, caller);
    let body: unknown = req.jsonBody;
    if (
      body === undefined &&
      req.rawBody !== undefined &&
      req.rawBody.trim() !== '' &&
      method !== 'GET' &&
      method !== 'DELETE'
    ) {
      try {
        body = JSON.parse(req.rawBody);
      } catch {
        throw invalidJson();
      }
    }
    const ctx: RouteContext = {
      method: method as HttpMethod,
      version,
      params: match.params,
      query: url.searchParams,
      headers: req.headers,
      body,
      caller,
      tenant: this.tenant,
      requestId,
      serviceRoot: `${this.baseUrl}/${version}`,
      requestUrl: url,
      countSegment: match.countSegment,
      audit: (entry) => {
        this.tenant.appendAudit({ ...entry, initiatedBy: this.initiatedBy(caller) });
      },
    };
    // Every write below /users/{id} is a change GET /users/delta reports (resolved first: a rename or delete
    // makes the key unresolvable afterwards).
    const changedUser =
      method !== 'GET' && /^\/users\/\{id\}/i.test(def.path) ? this.tenant.userByKey(match.params.id ?? '') : undefined;
    const result = await def.handler(ctx);
    if (changedUser && result.status < 300) this.tenant.touchUser(changedUser.id);
    return Object.keys(throttleHeaders).length
      ? { ...result, headers: { ...throttleHeaders, ...result.headers } }
      : result;
  }

  /**
   * Continuous access evaluation: a CP1 client whose token predates revokeSignInSessions (or whose user was disabled or
   * deleted) gets a claims challenge; tokens of other clients stay valid until they expire, as on Graph.
   */
  private checkRevocation(caller: Caller): void {
    if (caller.kind !== 'delegated' || !caller.userId || !caller.clientCapabilities.includes('cp1')) return;
    const user = this.tenant.userById(caller.userId);
    const validFrom = user ? Date.parse(user.signInSessionsValidFromDateTime) / 1000 : Number.POSITIVE_INFINITY;
    if (user?.accountEnabled && caller.issuedAt >= validFrom) return;
    const nbf = Number.isFinite(validFrom) ? Math.floor(validFrom) : Math.floor(this.tenant.now().getTime() / 1000);
    const claims = Buffer.from(
      JSON.stringify({ access_token: { nbf: { essential: true, value: String(nbf) } } }),
    ).toString('base64');
    throw new GraphError(
      401,
      'InvalidAuthenticationToken',
      'Continuous access evaluation resulted in challenge with result: InteractionRequired and code: ' +
        'TokenIssuedBeforeRevocationTimestamp',
      {
        'WWW-Authenticate':
          `${WWW_AUTHENTICATE_BASE}, error="insufficient_claims", claims="${claims}", ` +
          `error_description="Continuous access evaluation resulted in challenge with result: InteractionRequired ` +
          `and code: TokenIssuedBeforeRevocationTimestamp"`,
      },
    );
  }

  /** GET /v1.0: the OData service document (top-level entity sets and singletons this stand-in serves). */
  private serviceDocument(version: GraphVersion): RouteResult {
    const names = new Set<string>();
    for (const r of this.routes) {
      const first = r.segments[0];
      if (r.versions.includes(version) && first?.kind === 'literal' && r.def.method === 'GET')
        names.add(r.def.path.split('/')[1].split('(')[0]);
    }
    names.add('me');
    const singletons = new Set(['me', 'admin', 'roleManagement', 'reports', 'identity', 'auditLogs']);
    const value = [...names]
      .sort()
      .map((name) => ({ name, kind: singletons.has(name) ? 'Singleton' : 'EntitySet', url: name }));
    return { status: 200, body: { '@odata.context': `${this.baseUrl}/${version}/$metadata`, value } };
  }

  private checkAuthContext(method: HttpMethod, path: string, caller: Caller): void {
    const rule = this.options.authContextRules?.find(
      (r) => r.method === method && r.path.toLowerCase() === path.toLowerCase(),
    );
    if (!rule || caller.acrs.includes(rule.acrs)) return;
    if (caller.clientCapabilities.includes('cp1')) {
      const claims = Buffer.from(
        JSON.stringify({ access_token: { acrs: { essential: true, value: rule.acrs } } }),
      ).toString('base64');
      throw new GraphError(
        401,
        'InvalidAuthenticationToken',
        `The request requires authentication context '${rule.acrs}'.`,
        {
          'WWW-Authenticate': `${WWW_AUTHENTICATE_BASE}, error="insufficient_claims", claims="${claims}"`,
        },
      );
    }
    throw new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }

  private initiatedBy(caller: Caller) {
    if (caller.kind === 'delegated' && caller.userId) {
      const u = this.tenant.userById(caller.userId);
      return {
        user: {
          id: caller.userId,
          displayName: u?.displayName ?? null,
          userPrincipalName: u?.userPrincipalName ?? caller.upn ?? '',
          ipAddress: '127.0.0.1',
        },
        app: null,
      };
    }
    const app = this.tenant.applications.find((a) => a.appId === caller.appId);
    return {
      user: null,
      app: {
        appId: caller.appId,
        displayName: app?.displayName ?? null,
        servicePrincipalId: null,
        servicePrincipalName: app?.displayName ?? null,
      },
    };
  }
}
