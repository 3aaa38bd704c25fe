/**
 * When a Graph request may be sent again, and after how long. Pure decisions (no I/O), so the rules can be read in
 * one place and tested without a network.
 *
 * The rule for writes (POST/PATCH/PUT/DELETE that change the tenant) is the one that matters: a write is repeated
 * ONLY after a 429. Microsoft's throttling guidance says a throttled request *fails* ("Microsoft Graph returns HTTP
 * status code 429 … and the requests fail", learn.microsoft.com/graph/throttling): Graph refused it before doing
 * the work, so sending it again after Retry-After cannot apply it twice. Nothing else carries that promise:
 *  - 503/504 and the gateway's 502: the error reference (learn.microsoft.com/graph/errors) says one "may repeat
 *    the request after a delay", but Graph is a gateway in front of many workloads and does not say the workload
 *    did not act on it — a 504 in particular means the upstream was still working when the gateway gave up;
 *  - a timeout or a connection reset: the request may have been applied with the answer lost on the way back;
 *  - a 2xx whose body cannot be read: Graph did apply it.
 * Such a write is never retried; the admin is told the outcome is unknown and which command shows the truth.
 * Reads (GET, and a `$batch` made only of GETs) change nothing, so they are retried on all transient failures.
 */

export type RequestKind = 'read' | 'write';

export interface RetrySettings {
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** Longest Retry-After honoured for one wait; a longer one is reported to the admin instead of holding the turn. */
  maxRetryAfterSeconds: number;
  /**
   * Time one command may spend on Graph, retries and their waits included, counted from its first request. Teams
   * expects the answer to a message within ~15 s; the rest is for the bot and the reply.
   */
  budgetMs: number;
  /** Per-attempt timeouts: a read is cheap to repeat; a write gets longer, since a timed-out write is not repeated. */
  readTimeoutMs: number;
  writeTimeoutMs: number;
  /** First backoff step when Graph gives no Retry-After (doubles per attempt, with jitter). */
  backoffBaseMs: number;
}

export const DEFAULT_RETRY_SETTINGS: RetrySettings = {
  maxAttempts: 4,
  maxRetryAfterSeconds: 5,
  budgetMs: 12_000,
  readTimeoutMs: 8_000,
  writeTimeoutMs: 10_000,
  backoffBaseMs: 500,
};

/** No attempt gets less than this, even late in the budget (a shorter timeout would only fail). */
export const MIN_ATTEMPT_MS = 1_000;
const MAX_BACKOFF_MS = 4_000;
/** Retry-After is a minimum; a little jitter keeps many turns throttled together from returning in lockstep. */
const RETRY_AFTER_JITTER_MS = 250;

/** What one attempt came to. */
export type AttemptOutcome =
  | { kind: 'response'; status: number; retryAfterSeconds?: number; unreadable: boolean }
  | { kind: 'timeout' }
  | { kind: 'connection' };

export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; because: 'done' | 'not-retryable' | 'attempts' | 'retry-after-too-long' | 'budget' };

const READ_RETRY_STATUSES = new Set([429, 502, 503, 504]);

/** GET and HEAD are reads; so is a `$batch` whose every step is a GET. Everything else may change the tenant. */
export function requestKind(method: string, path: string, body?: unknown): RequestKind {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD') return 'read';
  if (m === 'POST' && /^\/?\$batch(\?|$)/.test(path)) {
    const steps = (body as { requests?: Array<{ method?: string }> } | undefined)?.requests;
    if (Array.isArray(steps) && steps.length > 0 && steps.every((s) => String(s.method).toUpperCase() === 'GET'))
      return 'read';
  }
  return 'write';
}

/** Would sending it again be safe and useful? (See the header comment for why writes only on 429.) */
export function isRetryable(kind: RequestKind, outcome: AttemptOutcome): boolean {
  if (outcome.kind !== 'response') return kind === 'read';
  if (outcome.status === 429) return true;
  if (kind === 'write') return false;
  return READ_RETRY_STATUSES.has(outcome.status) || (outcome.status < 300 && outcome.unreadable);
}

/** Retry-After in seconds from `120` / `2.128` / an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - now) / 1000)) : undefined;
}

/**
 * Decides after attempt number `attempt` (1-based) whether to send again and after how long. `elapsedMs` is the
 * time the command has spent on Graph so far; `random` in [0, 1) makes the jitter testable.
 */
export function decideRetry(
  kind: RequestKind,
  outcome: AttemptOutcome,
  attempt: number,
  elapsedMs: number,
  settings: RetrySettings,
  random: () => number = Math.random,
): RetryDecision {
  if (outcome.kind === 'response' && outcome.status < 300 && !outcome.unreadable)
    return { retry: false, because: 'done' };
  if (!isRetryable(kind, outcome)) return { retry: false, because: 'not-retryable' };
  if (attempt >= settings.maxAttempts) return { retry: false, because: 'attempts' };
  const retryAfter = outcome.kind === 'response' ? outcome.retryAfterSeconds : undefined;
  let delayMs: number;
  if (retryAfter !== undefined) {
    if (retryAfter > settings.maxRetryAfterSeconds) return { retry: false, because: 'retry-after-too-long' };
    delayMs = retryAfter * 1000 + Math.floor(random() * RETRY_AFTER_JITTER_MS);
  } else {
    // Exponential backoff with jitter in the upper half: 0.25–0.5 s, 0.5–1 s, 1–2 s … capped at 4 s.
    const step = Math.min(MAX_BACKOFF_MS, settings.backoffBaseMs * 2 ** (attempt - 1));
    delayMs = Math.floor(step / 2 + random() * (step / 2));
  }
  if (elapsedMs + delayMs + MIN_ATTEMPT_MS > settings.budgetMs) return { retry: false, because: 'budget' };
  return { retry: true, delayMs };
}
