// Per-app token bucket (Graph throttles per app + tenant, and writes sooner than reads).
import { GraphError } from './errors.js';

export interface ThrottleOptions {
  /** Bucket size (requests). */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
  /** Tokens a write costs (reads cost 1). Default 2. */
  writeCost?: number;
}

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
    throw new GraphError(
      429,
      'TooManyRequests',
      'Please retry again later.',
      { 'Retry-After': String(retryAfter) },
      { code: '429', message: 'Please retry after', status: '429' },
    );
  }
}
