import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/log.js';
import type { Logger } from '../log.js';
import type { Database } from '../store/schema.js';
import { RateLimiter } from './rate-limiter.js';
import type { RateLimitSettings } from './settings.js';
import { WindowCounter } from './window-counter.js';

export { RateLimiter, type LimitVerdict, type LimitScope } from './rate-limiter.js';
export { rateLimitSettings, rateLimitSettingsShape, type RateLimitSettings } from './settings.js';
export { clientIp } from './client-ip.js';

/** One limiter per instance over the shared store; `now` is injectable for tests of window resets. */
export function createRateLimiter(
  settings: RateLimitSettings,
  db: Kysely<Database>,
  deps: { audit?: AuditLog; log: Logger; now?: () => number },
): RateLimiter {
  const now = deps.now ?? Date.now;
  return new RateLimiter(settings, new WindowCounter(db, now, deps.log), { audit: deps.audit, log: deps.log, now });
}
