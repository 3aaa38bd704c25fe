// Fault injection for the Graph stand-in: tests make Graph misbehave the ways the real one (and the network in
// front of it) does — throttling storms, 503/504, slow answers, truncated JSON, a gateway's HTML page, and a
// connection that dies before or after the write was applied. Rules are set in code (server options or the
// `faults` object the server returns), never over HTTP: nothing the bot can reach turns them on.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { errorEnvelope, GraphError } from './errors.js';
import type { RequestLogEntry } from './request-log.js';
import type { ServiceResponse } from './service.js';

export type GraphFault =
  /** Graph's error envelope with request-id (429 TooManyRequests, 503 serviceNotAvailable, 504 …), handler not run. */
  | { kind: 'status'; status: 429 | 500 | 502 | 503 | 504; retryAfter?: number | string }
  /**
   * A Graph error of the tenant rather than the service, handler not run: e.g. 403
   * Authentication_RequestFromNonPremiumTenantOrB2CTenant, what Graph answers a tenant without Entra ID P1/P2.
   */
  | { kind: 'error'; status: 400 | 403 | 404; code: string; message: string }
  /** The handler runs (a write is applied) at once; its answer leaves after `ms` (if the client still waits). */
  | { kind: 'delay'; ms: number }
  /** The handler runs; the answer is 200 with a JSON content type and a truncated body. */
  | { kind: 'malformed' }
  /** An HTML 502 page from a gateway in front of Graph (no request-id), handler not run. */
  | { kind: 'html' }
  /** The connection dies before the handler ran: nothing applied. */
  | { kind: 'reset' }
  /** The handler runs — the write IS applied — then the connection dies before any answer byte. */
  | { kind: 'resetAfterApply' };

export type FaultKind = GraphFault['kind'];

export interface FaultRule {
  /** HTTP method(s) to match; any when absent. */
  method?: string | string[];
  /**
   * Path below the version root (`/users/{id}`-like, no query): a RegExp, or a string where `*` is one segment
   * and `**` any number of segments (`/users/*`, `/$batch`, `/**`). Case-insensitive; percent-decoded.
   */
  path: string | RegExp;
  /** Only the Nth matching request (1-based). */
  nth?: number;
  /** Only the first N matching requests. */
  first?: number;
  /** Each matching request with this probability, from the seeded generator (reproducible). */
  probability?: number;
  /** Only within this many milliseconds after the rule was set (a "storm" that ends). */
  durationMs?: number;
  fault: GraphFault;
}

/** Mulberry32: small, seeded, good enough to make "30 % of requests fail" reproducible. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pathMatcher(pattern: string | RegExp): (path: string) => boolean {
  if (pattern instanceof RegExp) return (path) => pattern.test(path);
  const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const source = pattern
    .split('/')
    .slice(1)
    .map((segment) => (segment === '**' ? '(?:/.*)?' : `/${segment.split('*').map(escape).join('[^/]*')}`))
    .join('');
  const regex = new RegExp(`^${source}/?$`, 'i');
  return (path) => regex.test(path);
}

interface CompiledRule {
  rule: FaultRule;
  matches: (path: string) => boolean;
  seen: number;
  since: number;
}

/** The rule list, changeable at runtime from tests; the first rule that fires for a request wins. */
export class GraphFaults {
  private rules: CompiledRule[] = [];
  private random: () => number;

  constructor(
    rules: readonly FaultRule[] = [],
    private readonly seed = 1,
  ) {
    this.random = seededRandom(seed);
    this.set(rules);
  }

  /** Replaces every rule (and restarts counters and the random sequence). */
  set(rules: readonly FaultRule[]): void {
    this.rules = rules.map((rule) => ({ rule, matches: pathMatcher(rule.path), seen: 0, since: Date.now() }));
    this.random = seededRandom(this.seed);
  }

  add(rule: FaultRule): void {
    this.rules.push({ rule, matches: pathMatcher(rule.path), seen: 0, since: Date.now() });
  }

  clear(): void {
    this.set([]);
  }

  /** The fault for this request, if a rule fires. `url` is the raw request target (`/v1.0/users?$top=5`). */
  pick(method: string, url: string): GraphFault | undefined {
    const path = requestPath(url);
    if (path === undefined) return undefined;
    for (const entry of this.rules) {
      const { rule } = entry;
      const methods =
        rule.method === undefined
          ? undefined
          : (Array.isArray(rule.method) ? rule.method : [rule.method]).map((m) => m.toUpperCase());
      if (methods && !methods.includes(method.toUpperCase())) continue;
      if (rule.durationMs !== undefined && Date.now() - entry.since > rule.durationMs) continue;
      if (!entry.matches(path)) continue;
      entry.seen++;
      if (rule.nth !== undefined && entry.seen !== rule.nth) continue;
      if (rule.first !== undefined && entry.seen > rule.first) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      return rule.fault;
    }
    return undefined;
  }
}

/** `/v1.0/users('a%40b')?x` → `/users('a@b')`; undefined for paths outside a version root. */
function requestPath(url: string): string | undefined {
  const pathname = url.split('?')[0];
  const m = /^\/(?:v1\.0|beta)(\/.*)?$/i.exec(pathname);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1] ?? '/');
  } catch {
    return m[1] ?? '/';
  }
}

const STATUS_CODES: Record<number, string> = {
  429: 'TooManyRequests',
  500: 'UnknownError',
  502: 'BadGateway',
  503: 'serviceNotAvailable',
  504: 'GatewayTimeout',
};

const GATEWAY_PAGE =
  '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr><p>gateway</p></body></html>';

export interface FaultTarget {
  req: IncomingMessage;
  res: ServerResponse;
  /** Runs the real handler (logs its own entry); used by faults that apply the request. */
  handle(): Promise<ServiceResponse>;
  send(status: number, headers: Record<string, string>, body: unknown): void;
  log: RequestLogEntry[];
}

/**
 * Answers one request with its fault. Faults that skip the handler log an entry themselves (status 0 for a reset)
 * so tests count every attempt; faults that run it mark the handler's own entry, so "applied" stays countable.
 */
export async function applyFault(fault: GraphFault, target: FaultTarget): Promise<void> {
  const { req, res } = target;
  const logSkipped = (status: number, requestId: string) => {
    target.log.push({
      time: new Date().toISOString(),
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      status,
      requestId,
      appId: null,
      userId: null,
      upn: null,
      viaBatch: false,
      fault: fault.kind,
    });
  };
  const markHandled = (out: ServiceResponse) => {
    const entry = target.log.findLast((e) => e.requestId === out.headers['request-id']);
    if (entry) entry.fault = fault.kind;
  };
  switch (fault.kind) {
    case 'status': {
      const requestId = randomUUID();
      const clientRequestId = (req.headers['client-request-id'] as string | undefined) ?? requestId;
      const code = STATUS_CODES[fault.status] ?? 'UnknownError';
      const inner: Record<string, string> =
        fault.status === 429 ? { code: '429', message: 'Please retry after', status: '429' } : {};
      const message = fault.status === 429 ? 'Please retry again later.' : 'The service is temporarily unavailable.';
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'request-id': requestId,
        'client-request-id': clientRequestId,
      };
      if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
      logSkipped(fault.status, requestId);
      target.send(
        fault.status,
        headers,
        errorEnvelope(new GraphError(fault.status, code, message, {}, inner), requestId, clientRequestId),
      );
      return;
    }
    case 'error': {
      const requestId = randomUUID();
      const clientRequestId = (req.headers['client-request-id'] as string | undefined) ?? requestId;
      logSkipped(fault.status, requestId);
      target.send(
        fault.status,
        { 'Content-Type': 'application/json', 'request-id': requestId, 'client-request-id': clientRequestId },
        errorEnvelope(new GraphError(fault.status, fault.code, fault.message), requestId, clientRequestId),
      );
      return;
    }
    case 'html':
      logSkipped(502, '');
      target.send(502, { 'Content-Type': 'text/html' }, GATEWAY_PAGE);
      return;
    case 'reset':
      logSkipped(0, '');
      req.socket.destroy();
      return;
    case 'resetAfterApply':
      markHandled(await target.handle());
      req.socket.destroy();
      return;
    case 'delay': {
      const out = await target.handle();
      markHandled(out);
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      if (!res.destroyed && !req.socket.destroyed) target.send(out.status, out.headers, out.body);
      return;
    }
    case 'malformed': {
      const out = await target.handle();
      markHandled(out);
      const text = out.body === undefined ? '' : typeof out.body === 'string' ? out.body : JSON.stringify(out.body);
      // Cut mid-document (an unterminated object is never valid JSON), as a proxy that dropped the tail would.
      const truncated = `${text.slice(0, Math.max(0, Math.floor(text.length / 2)))}{"value":[{"id":`;
      target.send(
        200,
        { ...out.headers, 'Content-Type': out.headers['Content-Type'] ?? 'application/json' },
        truncated,
      );
      return;
    }
  }
}
