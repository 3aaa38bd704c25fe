import { sql, type Kysely } from 'kysely';
import type { Logger } from '../log.js';
import type { Database } from '../store/schema.js';

export interface WindowHit {
  /** Hits in this window so far, this one included. */
  count: number;
  /** Epoch ms when the window ends (and the count starts again). */
  resetAt: number;
}

/**
 * Fixed-window counters in the shared store: one row per (key, window start), bumped with one atomic upsert
 * (`INSERT … ON CONFLICT DO UPDATE SET count = count + 1 RETURNING count`, SQLite ≥ 3.35 and PostgreSQL), so every
 * instance of a scaled-out bot counts against the same number and exactly one hit is the first over the limit.
 * Rows of past windows are deleted now and then by whichever instance notices, in the background: the hit is
 * already counted, so a failing purge is logged (the next one retries) and never fails it.
 */
export class WindowCounter {
  private nextPurge = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number,
    private readonly log?: Logger,
  ) {}

  async hit(key: string, windowMs: number): Promise<WindowHit> {
    const now = this.now();
    const windowStart = now - (now % windowMs);
    const resetAt = windowStart + windowMs;
    const row = await this.db
      .insertInto('rate_limits')
      .values({ key, window_start: windowStart, count: 1, expires_at: resetAt })
      .onConflict((oc) =>
        oc.columns(['key', 'window_start']).doUpdateSet({ count: sql<number>`rate_limits.count + 1` }),
      )
      .returning('count')
      .executeTakeFirstOrThrow();
    this.purgeNowAndThen(now);
    return { count: Number(row.count), resetAt };
  }

  private purgeNowAndThen(now: number): void {
    if (now < this.nextPurge) return;
    this.nextPurge = now + 60_000;
    this.db
      .deleteFrom('rate_limits')
      .where('expires_at', '<', now)
      .execute()
      .catch((err: unknown) => this.log?.warn({ err: String(err) }, 'could not purge past rate-limit windows'));
  }
}
