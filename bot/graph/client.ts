import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  ResponseType,
  TelemetryHandler,
  type FetchOptions,
  type GraphRequest,
} from '@microsoft/microsoft-graph-client';
import type { Logger } from '../log.js';
import type { TrustAnchors } from '../net/trust.js';
import { AttemptMiddleware, AttemptTracker } from './attempt.js';
import {
  ClaimsChallengeError,
  GraphMalformedResponseError,
  GraphOutcomeUnknownError,
  GraphRequestError,
  GraphUnavailableError,
  claimsFromChallenge,
  type AttemptSummary,
} from './errors.js';
import {
  DEFAULT_RETRY_SETTINGS,
  MIN_ATTEMPT_MS,
  decideRetry,
  parseRetryAfter,
  requestKind,
  type AttemptOutcome,
  type RequestKind,
  type RetrySettings,
} from './retry-policy.js';

export interface GraphClientOptions {
  /** `https://graph.microsoft.com` in production; the devtenant's Graph root locally. */
  baseUrl: string;
  /** A delegated (or app) access token for Graph; called per request, so the identity module can refresh. */
  accessToken(): Promise<string>;
  log?: Logger;
  /** Longest Retry-After we honour for one retry; longer waits are reported to the admin instead. */
  maxRetryAfterSeconds?: number;
  /** Retries after the first attempt (so attempts = maxRetries + 1). */
  maxRetries?: number;
  /** Timeouts and the per-command time budget (see retry-policy.ts); defaults fit a Teams message turn. */
  retry?: Partial<RetrySettings>;
  /** Extra trust (the devtenant CA locally); absent in production, where system roots apply. */
  trust?: TrustAnchors;
  /**
   * Awaited before any answer (body or error) is handed to the caller; its rejection is thrown instead. A read whose
   * admin-role re-check runs alongside its first request passes the verdict here, so a refused admin sees nothing.
   */
  admitted?: () => Promise<void>;
}

export interface GraphResponse<T> {
  status: number;
  body: T;
  requestId?: string;
  headers: Headers;
}

/** Throttling signals of one answer (see `GraphApi.observe`). */
export interface ThrottleObservation {
  status: number;
  retryAfterSeconds?: number;
  /** x-ms-throttle-limit-percentage as sent (Graph sends it from 0.8 of the limit on). */
  limitPercentage?: number;
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

/** What one attempt produced: an answer (read in full, so a body cut short counts as a failure) or none. */
interface AttemptResult {
  outcome: AttemptOutcome;
  timeoutMs: number;
  response?: Response;
  parsed?: unknown;
  requestId?: string;
}
/** Graph accepts at most 20 requests in one `$batch`. */
export const MAX_BATCH_STEPS = 20;

/**
 * One admin's (or the app's) Graph access for one command, on `@microsoft/microsoft-graph-client` and its
 * middleware chain (auth → redirect → telemetry → attempt → fetch). Retries are ours (retry-policy.ts), not the
 * library's: reads are retried on 429/502/503/504, timeouts, broken connections and unreadable bodies; writes only
 * on 429, the one answer that guarantees Graph did nothing. Every attempt has a timeout and the whole command a
 * time budget, so a throttled or hanging Graph never holds a Teams turn past its limit. Every request-id is kept
 * for the audit record.
 */
export class GraphApi {
  readonly client: Client;
  readonly requestIds: string[] = [];
  private readonly root: string;
  private readonly settings: RetrySettings;
  /** When this command's first Graph request started: the budget runs from here. */
  private startedAt?: number;
  private readonly observers: Array<(answer: ThrottleObservation) => void> = [];

  constructor(private readonly options: GraphClientOptions) {
    const base = options.baseUrl.replace(/\/+$/, '');
    this.root = `${base}/v1.0`;
    this.settings = {
      ...DEFAULT_RETRY_SETTINGS,
      ...(options.maxRetryAfterSeconds !== undefined ? { maxRetryAfterSeconds: options.maxRetryAfterSeconds } : {}),
      ...(options.maxRetries !== undefined ? { maxAttempts: options.maxRetries + 1 } : {}),
      ...options.retry,
    };
    const auth = new AuthenticationHandler({ getAccessToken: () => options.accessToken() });
    const redirect = new RedirectHandler();
    const telemetry = new TelemetryHandler();
    const attempt = new AttemptMiddleware();
    auth.setNext(redirect);
    redirect.setNext(telemetry);
    telemetry.setNext(attempt);
    attempt.setNext(new HTTPMessageHandler());
    this.client = Client.initWithMiddleware({
      middleware: auth,
      baseUrl: `${base}/`,
      defaultVersion: 'v1.0',
      // The auth handler only attaches tokens to https Graph hosts it knows; the configured host is one.
      customHosts: new Set([new URL(base).hostname]),
      fetchOptions: options.trust?.dispatcher ? ({ dispatcher: options.trust.dispatcher } as FetchOptions) : undefined,
    });
  }

  /**
   * Sees every answer's throttling signals — 429 with Retry-After (also the ones retried here) and
   * x-ms-throttle-limit-percentage — so long work (bulk jobs) can pace itself.
   */
  observe(listener: (answer: ThrottleObservation) => void): void {
    this.observers.push(listener);
  }

  async get<T>(path: string, headers?: Record<string, string>, version?: GraphVersion): Promise<GraphResponse<T>> {
    return this.send<T>('GET', path, undefined, headers, version);
  }

  async post<T>(
    path: string,
    body: unknown,
    headers?: Record<string, string>,
    version?: GraphVersion,
  ): Promise<GraphResponse<T>> {
    return this.send<T>('POST', path, body, headers, version);
  }

  async patch<T>(
    path: string,
    body: unknown,
    headers?: Record<string, string>,
    version?: GraphVersion,
  ): Promise<GraphResponse<T>> {
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
    if (steps.length > MAX_BATCH_STEPS)
      throw new Error(`A Graph $batch holds at most ${MAX_BATCH_STEPS} requests, got ${steps.length}`);
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

  private async send<T>(
    method: Method,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    version: GraphVersion = 'v1.0',
  ): Promise<GraphResponse<T>> {
    const admitted = this.options.admitted;
    if (!admitted) return this.exchange<T>(method, path, body, headers, version);
    if (requestKind(method, path, body) === 'write') {
      // Nothing is changed on the strength of a check that has not answered yet.
      await admitted();
      return this.exchange<T>(method, path, body, headers, version);
    }
    // A read is sent at once; the answer (or the error, which may name what exists) waits for the admission.
    const outcome = await this.exchange<T>(method, path, body, headers, version).then(
      (response) => ({ response }),
      (error: unknown) => ({ error }),
    );
    await admitted();
    if ('error' in outcome) throw outcome.error;
    return outcome.response;
  }

  private async exchange<T>(
    method: Method,
    path: string,
    body: unknown,
    headers: Record<string, string>,
    version: GraphVersion,
  ): Promise<GraphResponse<T>> {
    const kind = requestKind(method, path, body);
    this.startedAt ??= Date.now();
    let waitedMs = 0;
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt(method, path, body, headers, version, kind);
      const decision = decideRetry(kind, result.outcome, attempt, Date.now() - this.startedAt, this.settings);
      if (decision.retry) {
        this.options.log?.debug(
          {
            method,
            kind,
            attempt,
            outcome: describeOutcome(result.outcome),
            requestId: result.requestId,
            delayMs: decision.delayMs,
          },
          'graph request retried',
        );
        await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
        waitedMs += decision.delayMs;
        continue;
      }
      const gaveUp = decision.because === 'done' || decision.because === 'not-retryable' ? undefined : decision.because;
      return this.finish<T>(method, kind, result, { attempts: attempt, waitedMs, gaveUp });
    }
  }

  /** One attempt, body read in full within the attempt's timeout (which never outlasts the command's budget). */
  private async attempt(
    method: Method,
    path: string,
    body: unknown,
    headers: Record<string, string>,
    version: GraphVersion,
    kind: RequestKind,
  ): Promise<AttemptResult> {
    const limit = kind === 'write' ? this.settings.writeTimeoutMs : this.settings.readTimeoutMs;
    const remaining = this.settings.budgetMs - (Date.now() - (this.startedAt ?? Date.now()));
    const timeoutMs = Math.max(MIN_ATTEMPT_MS, Math.min(limit, remaining));
    const tracker = new AttemptTracker(AbortSignal.timeout(timeoutMs), timeoutMs);
    const request = this.client
      .api(path)
      .version(version)
      .headers(headers)
      .responseType(ResponseType.RAW)
      .middlewareOptions([tracker]);
    let requestId: string | undefined;
    try {
      const response = await dispatch(request, method, body);
      requestId = response.headers.get('request-id') ?? undefined;
      if (requestId) this.requestIds.push(requestId);
      const text = await response.text();
      const parsed = text ? safeJson(text) : undefined;
      const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
      if (this.observers.length) {
        const percentage = Number(response.headers.get('x-ms-throttle-limit-percentage') ?? Number.NaN);
        const answer = {
          status: response.status,
          retryAfterSeconds,
          limitPercentage: Number.isFinite(percentage) ? percentage : undefined,
        };
        for (const observer of this.observers) observer(answer);
      }
      return {
        outcome: { kind: 'response', status: response.status, retryAfterSeconds, unreadable: parsed === MALFORMED },
        timeoutMs,
        response,
        parsed,
        requestId,
      };
    } catch (err) {
      // Failed before reaching the network (e.g. token acquisition): not a Graph fault, nothing to retry here.
      if (!tracker.sent) throw err;
      return { outcome: { kind: tracker.signal.aborted ? 'timeout' : 'connection' }, timeoutMs, requestId };
    }
  }

  /** The final attempt → the caller's response, or the coded error that says what happened and what is known. */
  private finish<T>(method: Method, kind: RequestKind, result: AttemptResult, tried: AttemptSummary): GraphResponse<T> {
    const { outcome, response, parsed, requestId } = result;
    if (outcome.kind !== 'response' || !response) {
      const timedOut = outcome.kind === 'timeout';
      const what = timedOut
        ? `Graph did not answer within ${seconds(result.timeoutMs)} s.`
        : 'The connection to Graph broke before its answer arrived.';
      this.options.log?.warn(
        { method, kind, outcome: outcome.kind, attempts: tried.attempts },
        'graph request got no answer',
      );
      if (kind === 'write')
        throw new GraphOutcomeUnknownError(
          timedOut ? 'Timeout' : 'ConnectionLost',
          requestId,
          `${what} The change may or may not have been applied.`,
        );
      throw new GraphUnavailableError(timedOut ? 'Timeout' : 'ConnectionLost', what, tried);
    }
    if (outcome.status < 300 && !outcome.unreadable)
      return { status: outcome.status, body: parsed as T, requestId, headers: response.headers };
    const claims = outcome.status === 401 ? claimsFromChallenge(response.headers.get('www-authenticate')) : undefined;
    if (claims) throw new ClaimsChallengeError(claims, requestId);
    this.options.log?.debug(
      { status: outcome.status, requestId, method, attempts: tried.attempts, unreadable: outcome.unreadable },
      'graph request failed',
    );
    if (outcome.unreadable) {
      const contentType = response.headers.get('content-type') ?? '';
      if (kind === 'read') throw new GraphMalformedResponseError(outcome.status, contentType, requestId, tried);
      throw new GraphOutcomeUnknownError(
        'GraphMalformedResponse',
        requestId,
        outcome.status < 300
          ? `Graph answered ${outcome.status}, so the change was most likely applied, but its answer could not be read.`
          : `Something in front of Graph answered ${outcome.status} with a page that is not Graph's (${contentType || 'no content type'}). ` +
              `The change may or may not have been applied.`,
        outcome.status,
      );
    }
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    const code = error?.code ?? `HTTP${outcome.status}`;
    const message = error?.message ?? response.statusText;
    if (kind === 'write' && outcome.status >= 500) {
      throw new GraphOutcomeUnknownError(
        code,
        requestId,
        `Graph answered ${outcome.status} (${code}: ${message}), which does not promise the change was not made: ` +
          `it may or may not have been applied.`,
        outcome.status,
      );
    }
    throw new GraphRequestError(outcome.status, code, message, requestId, outcome.retryAfterSeconds, tried);
  }
}

async function dispatch(request: GraphRequest, method: Method, body: unknown): Promise<Response> {
  switch (method) {
    case 'GET':
      return (await request.get()) as Response;
    case 'POST':
      return (await request.post(body ?? {})) as Response;
    case 'PATCH':
      return (await request.patch(body ?? {})) as Response;
    case 'PUT':
      return (await request.put(body ?? {})) as Response;
    case 'DELETE':
      return (await request.delete()) as Response;
  }
}

/** 1500 → "1.5", 8000 → "8". */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1);
}

function describeOutcome(outcome: AttemptOutcome): string {
  return outcome.kind === 'response' ? `${outcome.status}${outcome.unreadable ? ' unreadable' : ''}` : outcome.kind;
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
