import PQueue from 'p-queue';
import type { ThrottleSignal } from './model.js';

export interface PaceSettings {
  /** The documented Graph budget this job is measured against, in requests per 10 s (per app and tenant). */
  budgetPer10s: number;
  /** Share of that budget a job may use (the rest is left to interactive commands and other apps). */
  share: number;
  /** Chunks in flight at most. */
  maxConcurrency: number;
}

export interface PaceState {
  concurrency: number;
  /** Graph said 429 and the job waits until this instant (epoch ms); 0 when not waiting. */
  waitingUntil: number;
  throttleEvents: number;
  /** The last x-ms-throttle-limit-percentage Graph sent (0–100), if any. */
  limitPercentage?: number;
}

/** Slow down from this x-ms-throttle-limit-percentage on (Graph starts sending it at 80 %). */
const SLOW_DOWN_AT = 90;
/** Successful chunks before one more is allowed in flight (additive increase). */
const GROW_AFTER = 5;
const DEFAULT_RETRY_AFTER_S = 2;

/**
 * The pace of one job: a p-queue whose interval cap keeps the job under its share of the budget, and whose
 * concurrency adapts — halved and paused for Retry-After on a 429, one less when Graph reports it is near its limit,
 * one more after a run of clean chunks.
 */
export class Pace {
  readonly queue: PQueue;
  private waitingUntil = 0;
  private throttleEvents = 0;
  private limitPercentage?: number;
  private clean = 0;
  private resumeTimer?: NodeJS.Timeout;
  /** Chunks per second the budget share allows. */
  readonly chunksPerSecond: number;

  constructor(
    private readonly settings: PaceSettings,
    requestsPerChunk: number,
  ) {
    this.chunksPerSecond = ((settings.budgetPer10s / 10) * settings.share) / Math.max(1, requestsPerChunk);
    // Under one chunk a second: one chunk per (1 / rate) s; otherwise that many chunks per second.
    const interval = this.chunksPerSecond >= 1 ? 1000 : Math.ceil(1000 / this.chunksPerSecond);
    const intervalCap = Math.max(1, Math.floor(this.chunksPerSecond));
    this.queue = new PQueue({ concurrency: Math.min(2, settings.maxConcurrency), interval, intervalCap });
  }

  /** Fed every Graph answer of the job (batch steps one by one). */
  readonly signal = (s: ThrottleSignal): void => {
    if (s.limitPercentage !== undefined) this.limitPercentage = s.limitPercentage;
    if (s.throttled) {
      this.throttleEvents++;
      this.clean = 0;
      this.queue.concurrency = Math.max(1, Math.floor(this.queue.concurrency / 2));
      const waitMs = (s.throttled.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_S) * 1000;
      this.holdFor(waitMs);
      return;
    }
    if (s.limitPercentage !== undefined && s.limitPercentage >= SLOW_DOWN_AT) {
      this.clean = 0;
      this.queue.concurrency = Math.max(1, this.queue.concurrency - 1);
    }
  };

  /** A chunk finished without being throttled. */
  chunkSucceeded(): void {
    if (++this.clean < GROW_AFTER || (this.limitPercentage ?? 0) >= SLOW_DOWN_AT) return;
    this.clean = 0;
    this.queue.concurrency = Math.min(this.settings.maxConcurrency, this.queue.concurrency + 1);
  }

  /** Resolves when the job may send again (after the Retry-After of the last 429). */
  async ready(): Promise<void> {
    const wait = this.waitingUntil - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  state(): PaceState {
    return {
      concurrency: this.queue.concurrency,
      waitingUntil: this.waitingUntil > Date.now() ? this.waitingUntil : 0,
      throttleEvents: this.throttleEvents,
      limitPercentage: this.limitPercentage,
    };
  }

  stop(): void {
    clearTimeout(this.resumeTimer);
    this.queue.clear();
  }

  private holdFor(waitMs: number): void {
    const until = Date.now() + waitMs;
    if (until <= this.waitingUntil) return;
    this.waitingUntil = until;
    this.queue.pause();
    clearTimeout(this.resumeTimer);
    this.resumeTimer = setTimeout(() => this.queue.start(), waitMs);
    this.resumeTimer.unref();
  }
}
