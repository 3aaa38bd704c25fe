import type { GraphApi } from '../graph/client.js';

/** A bulk job's life: resolving → preview → (awaiting-approval →) running ⇄ paused → done | failed | cancelled. */
export type JobStatus =
  'resolving' | 'preview' | 'awaiting-approval' | 'running' | 'paused' | 'cancelled' | 'done' | 'failed';

export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['cancelled', 'done', 'failed'];

export type {
  BulkTarget as TargetDefinition,
  BulkFamily as FamilyName,
  BulkParams as JobParams,
} from '../commands/ports-jobs.js';
import type { BulkFamily as FamilyName, BulkParams as JobParams } from '../commands/ports-jobs.js';

/** One user of a job as a family sees it: the state it should reach. */
export interface WorkItem {
  seq: number;
  userId: string;
  upn: string;
  desired: string;
}

/** A user's state as read, or why it could not be read. */
export type ReadResult = { ok: true; state: string } | { ok: false; code: string; requestId?: string };

/** How one write for one user ended; `throttled` users are sent again after the wait. */
export type WriteResult =
  | { ok: true; requestId?: string }
  | { ok: false; code: string; requestId?: string; throttled?: { retryAfterSeconds?: number } };

/** What the pacing learned from one Graph answer (Retry-After, x-ms-throttle-limit-percentage). */
export interface ThrottleSignal {
  throttled?: { retryAfterSeconds?: number };
  /** 0–100: how close to the limit Graph says this app is (Graph sends it from 80 %). */
  limitPercentage?: number;
}

/**
 * One Graph surface's state model. `read` returns each user's current state (the before-state of the CSV and of
 * undo); `write` moves users to `desired`. `idempotent`: a write that was in flight when the bot stopped may be sent
 * again as recorded; otherwise the chunk is reconciled by reading first and only users not yet in `desired` are sent.
 */
export interface Family {
  readonly name: FamilyName;
  readonly idempotent: boolean;
  /** False when the state cannot be read (sessions): every user is written, before is not known. */
  readonly readable: boolean;
  read(
    graph: GraphApi,
    params: JobParams,
    users: readonly WorkItem[],
    signal: (s: ThrottleSignal) => void,
  ): Promise<Map<string, ReadResult>>;
  write(
    graph: GraphApi,
    params: JobParams,
    users: readonly WorkItem[],
    signal: (s: ThrottleSignal) => void,
  ): Promise<Map<string, WriteResult>>;
  /** True when `state` already is `desired` (the user is skipped). */
  satisfied(state: string, desired: string): boolean;
  /** The state an undo must restore, or undefined when the change cannot be undone (sessions). */
  undoable(before: string | null): boolean;
  /** Graph requests per user (reads and writes, $batch steps counted one by one) for the estimate. */
  readonly requestsPerUser: number;
  /** Human text of a state for cards and the CSV. */
  describe(state: string | null, params: JobParams): string;
}

/** Users per chunk: the $batch limit for reads and per-user writes; the assumed largest policy-assign collection. */
export const CHUNK_SIZE = 20;
