// Network + service latency of graph.microsoft.com, added to every answer of the stand-in (each $batch and each
// request inside it, which run concurrently as on Graph). Off unless configured: unit tests stay fast and exact.
// Either a fixed delay or a log-normal distribution given by its median and 99th percentile, which is how Graph's
// latency is usually reported (long right tail).

export type LatencyOptions = { fixedMs: number } | { p50Ms: number; p99Ms: number; seed?: number };

/** z of the 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;

/** `100` → fixed 100 ms; `60,400` or `p50=60,p99=400` → log-normal; `0` or `off` → none. */
export function parseLatency(text: string): LatencyOptions | null {
  const t = text.trim().toLowerCase();
  if (t === '0' || t === 'off' || t === 'none') return null;
  const fixed = /^(\d+(?:\.\d+)?)$/.exec(t);
  if (fixed) return { fixedMs: Number(fixed[1]) };
  const pair = /^(?:p50=)?(\d+(?:\.\d+)?),(?:p99=)?(\d+(?:\.\d+)?)$/.exec(t.replace(/\s+/g, ''));
  if (pair && Number(pair[2]) >= Number(pair[1]) && Number(pair[1]) > 0)
    return { p50Ms: Number(pair[1]), p99Ms: Number(pair[2]) };
  throw new Error(`latency must be "<ms>", "<p50>,<p99>" (p99 ≥ p50 > 0) or "off", not "${text}"`);
}

export class LatencyModel {
  private state: number;
  constructor(private readonly options: LatencyOptions) {
    this.state = ('seed' in options ? (options.seed ?? 1) : 1) >>> 0 || 1;
  }

  /** Milliseconds for one answer; log-normal samples are capped at 10 × p99 so a test never waits unboundedly. */
  sample(): number {
    if ('fixedMs' in this.options) return this.options.fixedMs;
    const { p50Ms, p99Ms } = this.options;
    const sigma = Math.log(p99Ms / p50Ms) / Z99;
    return Math.min(10 * p99Ms, p50Ms * Math.exp(sigma * this.normal()));
  }

  /** Box–Muller over a seeded xorshift32: the same seed gives the same delays. */
  private normal(): number {
    const u1 = Math.max(this.uniform(), Number.EPSILON);
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private uniform(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
