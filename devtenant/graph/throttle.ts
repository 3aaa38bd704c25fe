// Graph throttling. Two models:
// - `ThrottleOptions`: one token bucket per app, for tests that want a 429 after N requests;
// - `'documented'` / `DocumentedThrottleOptions`: the limits Microsoft publishes ("Microsoft Graph service-specific
//   throttling limits", learn.microsoft.com/graph/throttling-limits), per app per tenant, each a token bucket whose
//   size is the quota and which refills at quota / window. See throttle-limits.ts for the table and its assumptions.
import { GraphError } from './errors.js';
import { limitsFor, requestCost, type LimitName, type LimitSpec, type ThrottledRequest } from './throttle-limits.js';

export interface ThrottleOptions {
  /** Bucket size (requests). */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
  /** Tokens a write costs (reads cost 1). Default 2. */
  writeCost?: number;
}

export interface DocumentedThrottleOptions {
  mode: 'documented';
  /** Replace individual limits (e.g. a smaller quota to provoke 429 in a test). */
  limits?: Partial<Record<LimitName, LimitSpec>>;
  /** Clock in ms (tests advance a fake one instead of waiting out Retry-After). */
  now?: () => number;
}

export type GraphThrottleSetting = ThrottleOptions | DocumentedThrottleOptions | 'documented';

const tooMany = (retryAfter: number, extra: Record<string, string> = {}) =>
  new GraphError(
    429,
    'TooManyRequests',
    'Please retry again later.',
    { 'Retry-After': String(retryAfter), ...extra },
    { code: '429', message: 'Please retry after', status: '429' },
  );

/** Per-app token bucket (the simple model tests use). */
export class Throttle {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly options: ThrottleOptions,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  /** Takes tokens for one request or throws Graph's 429 with Retry-After (whole seconds). */
  take(appId: string, isWrite: boolean): void {
    const cost = isWrite ? (this.options.writeCost ?? 2) : 1;
    const now = this.clock();
    const bucket = this.buckets.get(appId) ?? { tokens: this.options.capacity, at: now };
    bucket.tokens = Math.min(
      this.options.capacity,
      bucket.tokens + ((now - bucket.at) / 1000) * this.options.refillPerSecond,
    );
    bucket.at = now;
    this.buckets.set(appId, bucket);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return;
    }
    const retryAfter = Math.max(1, Math.ceil((cost - bucket.tokens) / this.options.refillPerSecond));
    throw tooMany(retryAfter);
  }
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Microsoft's published limits; charge() throws 429 or returns the headers a successful answer carries. */
export class DocumentedThrottle {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  constructor(
    private readonly tenantUserCount: () => number,
    private readonly options: DocumentedThrottleOptions = { mode: 'documented' },
  ) {
    this.now = options.now ?? (() => Date.now());
  }

  charge(req: ThrottledRequest): Record<string, string> {
    const limits = limitsFor(req, this.tenantUserCount(), this.options.limits ?? {});
    if (limits.length === 0) return {};
    const cost = requestCost(req);
    const now = this.now();
    const state = limits.map((l) => {
      const key = `${l.scope === 'tenant' ? '*' : req.appId}|${l.name}`;
      const bucket = this.refill(key, l.spec, now);
      return { limit: l, bucket, need: l.unit === 'ru' ? cost.resourceUnits : l.unit === 'write' ? cost.writes : 1 };
    });
    // Only requests over a limit are refused, and a refused request uses nothing up.
    const short = state.filter((s) => s.need > 0 && s.bucket.tokens < s.need);
    if (short.length > 0) {
      const rate = (s: (typeof state)[number]) => s.limit.spec.quota / s.limit.spec.windowSeconds;
      const retryAfter = Math.max(...short.map((s) => Math.ceil((s.need - s.bucket.tokens) / rate(s))), 1);
      const first = short[0]!;
      const extra: Record<string, string> = first.limit.identity
        ? {
            'x-ms-throttle-scope': `${first.limit.scope === 'tenant' ? 'Tenant' : 'Tenant_Application'}/${first.limit.unit === 'write' ? 'Write' : 'ReadWrite'}/${req.appId}/${req.tenantId}`,
            'x-ms-throttle-information':
              first.limit.unit === 'write' ? 'WriteLimitExceeded' : 'ResourceUnitLimitExceeded',
          }
        : {};
      throw tooMany(retryAfter, extra);
    }
    let used = 0;
    for (const s of state) {
      s.bucket.tokens -= s.need;
      used = Math.max(used, 1 - s.bucket.tokens / s.limit.spec.quota);
    }
    if (!state.some((s) => s.limit.identity)) return {};
    const headers: Record<string, string> = { 'x-ms-resource-unit': String(cost.resourceUnits) };
    // "Returned only when the application consumed more than 0.8 of its limit."
    if (used > 0.8) headers['x-ms-throttle-limit-percentage'] = used.toFixed(2);
    return headers;
  }

  private refill(key: string, spec: LimitSpec, now: number): Bucket {
    const bucket = this.buckets.get(key) ?? { tokens: spec.quota, at: now };
    bucket.tokens = Math.min(
      spec.quota,
      bucket.tokens + ((now - bucket.at) / 1000) * (spec.quota / spec.windowSeconds),
    );
    bucket.at = now;
    this.buckets.set(key, bucket);
    return bucket;
  }
}
