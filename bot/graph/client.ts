import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  ResponseType,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type FetchOptions,
} from '@microsoft/microsoft-graph-client';
import type { Logger } from '../log.js';
import type { TrustAnchors } from '../net/trust.js';
import { ClaimsChallengeError, GraphRequestError, claimsFromChallenge } from './errors.js';

export interface GraphClientOptions {
  /** `https://graph.microsoft.com` in production; the devtenant's Graph root locally. */
  baseUrl: string;
  /** A delegated (or app) access token for Graph; called per request, so the identity module can refresh. */
  accessToken(): Promise<string>;
  log?: Logger;
  /** Longest Retry-After we honour for one retry; longer waits are reported to the admin instead. */
  maxRetryAfterSeconds?: number;
  maxRetries?: number;
  /** Extra trust (the devtenant CA locally); absent in production, where system roots apply. */
  trust?: TrustAnchors;
}

export interface GraphResponse<T> {
  status: number;
  body: T;
  requestId?: string;
  headers: Headers;
}

export interface BatchStep {
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  /** Relative to the version root, e.g. `/users/{id}?$select=id`. */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

export interface BatchStepResult {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
/** Beta only where Graph has no v1.0 equivalent (PIM approval steps, per-user MFA state). */
export type GraphVersion = 'v1.0' | 'beta';
const IDEMPOTENT = new Set(['GET', 'HEAD']);
/** Graph accepts at most 20 requests in one `$batch`. */
export const MAX_BATCH_STEPS = 20;

/**
 * One admin's (or the app's) Graph access, on `@microsoft/microsoft-graph-client` and its middleware chain
 * (auth → retry → redirect → telemetry → fetch). Retries honour Retry-After but only where a repeat cannot
 * double a write: reads on 429/503/504, writes on 429 only (Graph did not process a throttled request). Every
 * request-id is kept for the audit record.
 */
export class GraphApi {
  readonly client: Client;
  readonly requestIds: string[] = [];
  private readonly root: string;

  constructor(private readonly options: GraphClientOptions) {
    const base = options.baseUrl.replace(/\/+$/, '');
    this.root = `${base}/v1.0`;
    const maxWait = options.maxRetryAfterSeconds ?? 5;
    const retryOptions = new RetryHandlerOptions(1, options.maxRetries ?? 3, (_delay, _attempt, request, fetchOptions, response) => {
      const method = (typeof request === 'string' ? fetchOptions?.method : (request as Request).method)?.toUpperCase() ?? 'GET';
      const safe = IDEMPOTENT.has(method) || response.status === 429;
      // The handler passes its base delay here, not Graph's Retry-After: read the header, so a long wait is
      // reported to the admin instead of holding the turn (Teams gives a message ~15 s, an invoke ~5 s).
      const retryAfter = Number(response.headers.get('retry-after') ?? 0);
      return safe && (!Number.isFinite(retryAfter) || retryAfter <= maxWait);
    });
    const auth = new AuthenticationHandler({ getAccessToken: () => options.accessToken() });
    const retry = new RetryHandler(retryOptions);
    const redirect = new RedirectHandler();
    const telemetry = new TelemetryHandler();
    auth.setNext(retry);
    retry.setNext(redirect);
    redirect.setNext(telemetry);
    telemetry.setNext(new HTTPMessageHandler());
    this.client = Client.initWithMiddleware({
      middleware: auth,
      baseUrl: `${base}/`,
      defaultVersion: 'v1.0',
      // The auth handler only attaches tokens to https Graph hosts it knows; the configured host is one.
      customHosts: new Set([new URL(base).hostname]),
      fetchOptions: options.trust?.dispatcher ? ({ dispatcher: options.trust.dispatcher } as FetchOptions) : undefined,
    });
  }

  async get<T>(path: string, headers?: Record<string, string>, version?: GraphVersion): Promise<GraphResponse<T>> {
    return this.send<T>('GET', path, undefined, headers, version);
  }

  async post<T>(path: string, body: unknown, headers?: Record<string, string>, version?: GraphVersion): Promise<GraphResponse<T>> {
    return this.send<T>('POST', path, body, headers, version);
  }

  async patch<T>(path: string, body: unknown, headers?: Record<string, string>, version?: GraphVersion): Promise<GraphResponse<T>> {
    return this.send<T>('PATCH', path, body, headers, version);
  }

  async delete(path: string, headers?: Record<string, string>): Promise<GraphResponse<undefined>> {
    return this.send<undefined>('DELETE', path, undefined, headers);
  }

  /**
   * Sends up to 20 requests in one round trip. Steps may answer out of order and fail individually (424 when a
   * `dependsOn` step failed); results come back keyed by id for the caller to check one by one.
   */
  async batch(steps: BatchStep[]): Promise<Map<string, BatchStepResult>> {
    if (steps.length === 0) return new Map();
    if (steps.length > MAX_BATCH_STEPS) throw new Error(`A Graph $batch holds at most ${MAX_BATCH_STEPS} requests, got ${steps.length}`);
    const requests = steps.map((s) => ({
      ...s,
      headers: s.body !== undefined ? { 'Content-Type': 'application/json', ...s.headers } : s.headers,
    }));
    const response = await this.post<{ responses: BatchStepResult[] }>('/$batch', { requests });
    const results = new Map<string, BatchStepResult>();
    for (const result of response.body.responses ?? []) {
      results.set(String(result.id), result);
      const requestId = result.headers?.['request-id'];
      if (requestId) this.requestIds.push(requestId);
    }
    return results;
  }

  /**
   * Turns an absolute `@odata.nextLink` into a path the client accepts. The client only recognises absolute
   * https URLs; stripping our own root works for graph.microsoft.com and for a stand-in alike.
   */
  relativeLink(nextLink: string): string {
    if (nextLink.startsWith(this.root)) return nextLink.slice(this.root.length);
    const url = new URL(nextLink);
    if (url.origin !== new URL(this.root).origin) throw new Error('Refusing to follow a nextLink to another host');
    return url.pathname.replace(/^\/(v1\.0|beta)/, '') + url.search;
  }

  private async send<T>(method: Method, path: string, body?: unknown, headers: Record<string, string> = {}, version: GraphVersion = 'v1.0'): Promise<GraphResponse<T>> {
    const request = this.client.api(path).version(version).headers(headers).responseType(ResponseType.RAW);
    let response: Response;
    switch (method) {
      case 'GET':
        response = (await request.get()) as Response;
        break;
      case 'POST':
        response = (await request.post(body ?? {})) as Response;
        break;
      case 'PATCH':
        response = (await request.patch(body ?? {})) as Response;
        break;
      case 'PUT':
        response = (await request.put(body ?? {})) as Response;
        break;
      case 'DELETE':
        response = (await request.delete()) as Response;
        break;
    }
    const requestId = response.headers.get('request-id') ?? undefined;
    if (requestId) this.requestIds.push(requestId);
    const text = await response.text();
    const parsed = text ? safeJson(text) : undefined;
    if (response.ok && parsed !== MALFORMED) return { status: response.status, body: parsed as T, requestId, headers: response.headers };
    const claims = response.status === 401 ? claimsFromChallenge(response.headers.get('www-authenticate')) : undefined;
    if (claims) throw new ClaimsChallengeError(claims, requestId);
    const error =
      parsed === MALFORMED
        ? { code: 'MalformedResponse', message: 'Graph answered with a body that is not JSON.' }
        : (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    const retryAfter = Number(response.headers.get('retry-after'));
    this.options.log?.debug({ status: response.status, graphCode: error?.code, requestId, method }, 'graph request failed');
    throw new GraphRequestError(
      response.status,
      error?.code ?? `HTTP${response.status}`,
      error?.message ?? response.statusText,
      requestId,
      Number.isFinite(retryAfter) && response.headers.has('retry-after') ? retryAfter : undefined,
    );
  }
}

const MALFORMED = Symbol('malformed');

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return MALFORMED;
  }
}

export function createGraphClient(options: GraphClientOptions): GraphApi {
  return new GraphApi(options);
}
