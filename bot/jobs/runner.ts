import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/log.js';
import type { ConversationAddress, Messenger, PostedMessage, SessionSource } from '../commands/ports.js';
import type { AdminSession } from '../commands/types.js';
import { CodedError, ErrorCode } from '../errors.js';
import type { GraphApi } from '../graph/client.js';
import { GraphOutcomeUnknownError, GraphRequestError } from '../graph/errors.js';
import type { Logger } from '../log.js';
import { familyOf, signalOf } from './families.js';
import type { Family, JobParams, ReadResult, WorkItem } from './model.js';
import { Pace, type PaceSettings } from './pace.js';
import { resultsHash } from './report.js';
import type { ItemOutcome, JobRepository, JobRow } from './repository.js';
import { finalOutput, progressOutput } from './views.js';

export interface RunnerSettings extends PaceSettings {
  leaseMs: number;
  /** How often the lease is renewed and pause/cancel noticed. */
  heartbeatMs: number;
  /** Progress card: updated at most this often… */
  progressMinMs: number;
  /** …and at least this often while running. */
  progressMaxMs: number;
  /** Sends of one chunk's throttled users before the chunk's users are recorded as failed. */
  maxThrottledAttempts: number;
}

export const DEFAULT_RUNNER_SETTINGS: RunnerSettings = {
  budgetPer10s: 8000,
  share: 0.5,
  maxConcurrency: 8,
  leaseMs: 60_000,
  heartbeatMs: 2_000,
  progressMinMs: 5_000,
  progressMaxMs: 15_000,
  maxThrottledAttempts: 6,
};

export interface RunnerDeps {
  repo: JobRepository;
  sessions: SessionSource;
  graphFor: (session: AdminSession) => GraphApi;
  messenger?: Messenger;
  audit?: AuditLog;
  log: Logger;
  settings: RunnerSettings;
  instanceId?: string;
}

/** Stops a job's run: the admin paused or cancelled it, the lease was lost, or the session is gone. */
class StopRun extends Error {
  constructor(
    readonly reason: 'lease' | 'sign-in' | 'error',
    detail?: string,
  ) {
    super(detail ?? reason);
  }
}

const SIGN_IN_CODES = new Set<string>([ErrorCode.NotSignedIn, ErrorCode.StepUpRequired, ErrorCode.IdentityUnavailable]);

/**
 * Runs bulk jobs on every instance: a job is leased by one instance at a time (renewed by a heartbeat; an expired
 * lease is taken over by any instance), and continues from its first chunk without a committed outcome.
 *
 * One chunk: read each user's state ($batch of GETs) → commit the before-states and mark the chunk `writing` →
 * write → commit every outcome and the request-ids in one transaction. A chunk found `writing` after a stop was
 * perhaps sent: families whose state is readable are reconciled by reading (users already in the wanted state are
 * recorded as changed, not written again); sessions (not readable, idempotent) are sent again.
 */
export class JobRunner {
  readonly instanceId: string;
  private timer?: NodeJS.Timeout;
  private running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly deps: RunnerDeps) {
    this.instanceId = deps.instanceId ?? randomUUID();
  }

  start(intervalMs = 5_000): void {
    if (this.timer) return;
    this.stopped = false;
    this.timer = setInterval(
      () => void this.tick().catch((err: unknown) => this.warn('job tick failed', err)),
      intervalMs,
    );
    this.timer.unref();
  }

  /** Stops claiming; running jobs stop after their chunk in flight (waited for at most `waitMs`; leases expire). */
  async stop(waitMs = 5_000): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stopped = true;
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
      timer.unref();
    });
    await Promise.race([Promise.allSettled([...this.running.values()]), cap]);
    clearTimeout(timer);
  }

  /** Claims one runnable job (if any) and runs it in the background; returns its id. */
  async tick(): Promise<string | undefined> {
    if (this.stopped) return undefined;
    const job = await this.deps.repo.claimRunnable(this.instanceId, this.deps.settings.leaseMs);
    if (!job) return undefined;
    const run = this.run(job)
      .catch((err: unknown) => this.warn('job run failed', err, job.id))
      .finally(() => this.running.delete(job.id));
    this.running.set(job.id, run);
    return job.id;
  }

  /** Resolves when this instance's run of `jobId` (if any) has ended. */
  async settled(jobId: string): Promise<void> {
    await this.running.get(jobId);
  }

  private async run(job: JobRow): Promise<void> {
    const { repo, settings } = this.deps;
    const params = JSON.parse(job.params) as JobParams;
    const family = familyOf(params);
    const session = await this.deps.sessions(job.requester_aad_id, job.tenant_id).catch(() => undefined);
    if (!session) {
      await repo.transition(job.id, ['running'], 'paused', { detail: 'sign-in' });
      await this.showProgress(job.id, true);
      return;
    }
    const pace = new Pace(settings, family.requestsPerUser * 20);
    const progress = { lastAt: 0, startedAt: Date.now(), doneAtStart: -1, lastDone: -1 };
    let stop: StopRun | undefined;
    const heartbeat = setInterval(() => {
      void (async () => {
        const throttle = pace.state();
        if (!(await repo.renewLease(job.id, this.instanceId, settings.leaseMs, throttle)))
          stop ??= new StopRun('lease');
        await this.progressTick(job.id, progress, pace);
      })().catch((err: unknown) => this.warn('job heartbeat failed', err, job.id));
    }, settings.heartbeatMs);
    heartbeat.unref();
    try {
      await this.progressTick(job.id, progress, pace, true);
      let after = -1;
      for (;;) {
        const chunks = await repo.openChunks(job.id, after, 100);
        if (chunks.length === 0 || stop || this.stopped) break;
        for (const chunk of chunks) {
          if (stop || this.stopped) break;
          after = chunk.chunk_no;
          await pace.queue.onSizeLessThan(pace.queue.concurrency);
          void pace.queue
            .add(async () => {
              if (stop || this.stopped) return;
              await pace.ready();
              await this.chunk(job, params, family, session, chunk, pace);
              pace.chunkSucceeded();
            })
            .catch((err: unknown) => {
              stop ??= err instanceof StopRun ? err : classify(err);
            });
        }
      }
      await pace.queue.onIdle();
    } finally {
      clearInterval(heartbeat);
      pace.stop();
    }
    await this.finish(job.id, stop);
  }

  /** Decides the job's state once this instance stops running it, and shows it. */
  private async finish(jobId: string, stop: StopRun | undefined): Promise<void> {
    const { repo } = this.deps;
    if (stop?.reason === 'lease' || this.stopped) {
      // Paused or cancelled by an admin (their command already moved the status), another instance took over, or
      // this instance is shutting down: the lease is released so another instance can continue.
      await repo.releaseLease(jobId, this.instanceId);
      const job = await repo.get(jobId);
      if (job?.status === 'cancelled') await this.announceFinal(job);
      else if (job?.status === 'paused') await this.showProgress(jobId, true);
      return;
    }
    if (stop) {
      await repo.transition(jobId, ['running'], 'paused', {
        detail: stop.reason === 'sign-in' ? 'sign-in' : stop.message,
      });
      await this.showProgress(jobId, true);
      return;
    }
    if ((await repo.openChunks(jobId, -1, 1)).length > 0) {
      await repo.releaseLease(jobId, this.instanceId);
      return;
    }
    if (await repo.transition(jobId, ['running'], 'done')) {
      const job = await repo.get(jobId);
      if (job) await this.announceFinal(job);
    }
  }

  /** One chunk, read → commit befores → write → commit outcomes. Throws StopRun to stop the whole job. */
  private async chunk(
    job: JobRow,
    params: JobParams,
    family: Family,
    session: AdminSession,
    chunk: { chunk_no: number; status: string },
    pace: Pace,
  ): Promise<void> {
    const { repo } = this.deps;
    const rows = await repo.chunkItems(job.id, chunk.chunk_no);
    const items: WorkItem[] = rows.map((r) => ({
      seq: Number(r.seq),
      userId: r.user_id,
      upn: r.upn,
      desired: r.want ?? params.desired ?? '',
    }));
    const recorded = new Map(rows.map((r) => [Number(r.seq), r.before]));
    const graph = this.deps.graphFor(session);
    graph.observe((answer) =>
      pace.signal(
        signalOf(answer.status, (name) => {
          if (name === 'retry-after') return answer.retryAfterSeconds?.toString();
          return answer.limitPercentage?.toString();
        }),
      ),
    );
    const resumed = chunk.status === 'writing';
    const outcomes: ItemOutcome[] = [];
    let toWrite: WorkItem[] = items;
    if (family.readable) {
      const current = await this.readAll(graph, family, params, items, pace);
      toWrite = [];
      for (const item of items) {
        const read = current.get(item.userId)!;
        if (!read.ok) {
          outcomes.push({
            seq: item.seq,
            before: null,
            after: null,
            outcome: 'failed',
            code: read.code,
            requestId: read.requestId,
          });
          continue;
        }
        const before = resumed ? (recorded.get(item.seq) ?? read.state) : read.state;
        if (family.satisfied(read.state, item.desired)) {
          // Resumed: the write sent before the stop did apply → changed (from the recorded before), not sent again.
          const changed = resumed && !family.satisfied(before, item.desired);
          outcomes.push({ seq: item.seq, before, after: read.state, outcome: changed ? 'changed' : 'skipped' });
        } else {
          recorded.set(item.seq, before);
          toWrite.push(item);
        }
      }
    }
    if (toWrite.length > 0 && !resumed) {
      const befores = new Map(toWrite.map((i) => [i.seq, family.readable ? (recorded.get(i.seq) ?? null) : null]));
      if (!(await repo.markWriting(job.id, chunk.chunk_no, this.instanceId, befores))) throw new StopRun('lease');
    }
    outcomes.push(...(await this.writeAll(graph, family, params, toWrite, recorded, pace)));
    if (!(await repo.commitChunk(job.id, chunk.chunk_no, this.instanceId, outcomes, graph.requestIds)))
      throw new StopRun('lease');
    await this.deps.audit?.append({
      actorAadId: job.requester_aad_id,
      actorUpn: job.requester_upn,
      action: 'bulk.chunk',
      command: job.verb,
      args: { jobId: job.id, chunk: chunk.chunk_no, users: items.length },
      graphRequestIds: [...graph.requestIds],
      outcome: summarise(outcomes),
    });
  }

  private async readAll(
    graph: GraphApi,
    family: Family,
    params: JobParams,
    items: WorkItem[],
    pace: Pace,
  ): Promise<Map<string, ReadResult>> {
    const result = new Map<string, ReadResult>();
    let pending = items;
    for (let attempt = 1; pending.length > 0; attempt++) {
      let read: Map<string, ReadResult>;
      try {
        read = await family.read(graph, params, pending, pace.signal);
      } catch (err) {
        if (!this.throttledAgain(err, attempt)) throw err;
        await pace.ready();
        continue;
      }
      const throttled = pending.filter((i) => {
        const r = read.get(i.userId);
        return r && !r.ok && (r.code === 'TooManyRequests' || r.code === 'HTTP429');
      });
      for (const i of pending) if (!throttled.includes(i)) result.set(i.userId, read.get(i.userId) ?? missing());
      if (throttled.length === 0 || attempt >= this.deps.settings.maxThrottledAttempts) {
        for (const i of throttled) result.set(i.userId, read.get(i.userId)!);
        break;
      }
      pending = throttled;
      await pace.ready();
    }
    return result;
  }

  private async writeAll(
    graph: GraphApi,
    family: Family,
    params: JobParams,
    items: WorkItem[],
    befores: Map<number, string | null>,
    pace: Pace,
  ): Promise<ItemOutcome[]> {
    const outcomes: ItemOutcome[] = [];
    let pending = items;
    for (let attempt = 1; pending.length > 0; attempt++) {
      let written;
      try {
        written = await family.write(graph, params, pending, pace.signal);
      } catch (err) {
        // A whole request throttled past the client's own retries: nothing was applied, send it again after the wait.
        if (this.throttledAgain(err, attempt)) {
          await pace.ready();
          continue;
        }
        if (!(err instanceof GraphOutcomeUnknownError)) throw err;
        // The write may or may not have applied: read to know (readable families), else report it unknown.
        return [...outcomes, ...(await this.reconcileUnknown(graph, family, params, pending, befores, err, pace))];
      }
      const throttled: WorkItem[] = [];
      for (const item of pending) {
        const r = written.get(item.userId);
        const before = befores.get(item.seq) ?? null;
        if (r?.ok)
          outcomes.push({ seq: item.seq, before, after: item.desired, outcome: 'changed', requestId: r.requestId });
        else if (r?.throttled && attempt < this.deps.settings.maxThrottledAttempts) throttled.push(item);
        else
          outcomes.push({
            seq: item.seq,
            before,
            after: before,
            outcome: 'failed',
            code: r?.code ?? 'MissingResponse',
            requestId: r?.requestId,
          });
      }
      pending = throttled;
      if (pending.length) await pace.ready();
    }
    return outcomes;
  }

  private async reconcileUnknown(
    graph: GraphApi,
    family: Family,
    params: JobParams,
    items: WorkItem[],
    befores: Map<number, string | null>,
    err: GraphOutcomeUnknownError,
    pace: Pace,
  ): Promise<ItemOutcome[]> {
    const current = family.readable ? await this.readAll(graph, family, params, items, pace) : new Map();
    return items.map((item) => {
      const before = befores.get(item.seq) ?? null;
      const read = current.get(item.userId);
      if (read?.ok && family.satisfied(read.state, item.desired))
        return { seq: item.seq, before, after: read.state, outcome: 'changed' as const, requestId: err.requestId };
      return {
        seq: item.seq,
        before,
        after: read?.ok ? read.state : null,
        outcome: 'failed' as const,
        code: err.graphCode,
        requestId: err.requestId,
      };
    });
  }

  private throttledAgain(err: unknown, attempt: number): boolean {
    return err instanceof GraphRequestError && err.status === 429 && attempt < this.deps.settings.maxThrottledAttempts;
  }

  /** Updates the progress card at most every progressMinMs, at least every progressMaxMs (or now when `force`). */
  private async progressTick(
    jobId: string,
    progress: { lastAt: number; startedAt: number; doneAtStart: number; lastDone: number },
    pace: Pace,
    force = false,
  ): Promise<void> {
    const now = Date.now();
    const since = now - progress.lastAt;
    if (!force && since < this.deps.settings.progressMinMs) return;
    const job = await this.deps.repo.get(jobId);
    if (!job || job.status !== 'running') return;
    const counts = await this.deps.repo.counts(jobId);
    const done = counts.changed + counts.skipped + counts.failed;
    if (progress.doneAtStart < 0) progress.doneAtStart = done;
    const moved = done !== progress.lastDone;
    // The next heartbeat could come too late for the "at least every progressMaxMs" promise: update on this one.
    const { progressMaxMs, heartbeatMs } = this.deps.settings;
    if (!force && !moved && since + heartbeatMs < progressMaxMs) return;
    progress.lastAt = now;
    progress.lastDone = done;
    const elapsed = Math.max(1, (now - progress.startedAt) / 1000);
    const state = pace.state();
    const throttle = state.waitingUntil
      ? `throttled: waiting ${Math.ceil((state.waitingUntil - now) / 1000)} s (Retry-After)`
      : `${state.concurrency} chunk(s) in flight${state.throttleEvents ? `, ${state.throttleEvents} 429 so far` : ''}${state.limitPercentage ? `, Graph at ${Math.round(state.limitPercentage)} % of its limit` : ''}`;
    await this.post(
      job,
      progressOutput(job, { counts, ratePerSecond: (done - progress.doneAtStart) / elapsed, throttle }),
    );
  }

  private async showProgress(jobId: string, force: boolean): Promise<void> {
    const job = await this.deps.repo.get(jobId);
    if (!job || !force) return;
    const counts = await this.deps.repo.counts(jobId);
    await this.post(job, progressOutput(job, { counts, ratePerSecond: 0, throttle: 'not sending' }));
  }

  /** The final card (in place of the progress card) and the job's audit record. */
  private async announceFinal(job: JobRow): Promise<void> {
    const { repo } = this.deps;
    const counts = await repo.counts(job.id);
    await this.deps.audit?.append({
      actorAadId: job.requester_aad_id,
      actorUpn: job.requester_upn,
      conversationId: (JSON.parse(job.conversation) as ConversationAddress).conversationId,
      action: 'bulk.job',
      command: job.verb,
      args: {
        jobId: job.id,
        target: JSON.parse(job.target) as unknown,
        params: JSON.parse(job.params) as unknown,
        counts,
        resultsSha256: await resultsHash(repo, job.id),
        approvedBy: job.approved_by_upn,
        undoOf: job.undo_of,
      },
      tier: job.needs_approval ? 'dangerous' : 'write',
      mfa: job.mfa ? (JSON.parse(job.mfa) as { amr: string[]; acrs: string[] }) : undefined,
      outcome: job.status,
    });
    await this.post(job, finalOutput(job, counts, await repo.failures(job.id, 5)));
  }

  /** Posts the job's card once, then updates that message in place. */
  private async post(job: JobRow, output: Parameters<Messenger['post']>[1]): Promise<void> {
    const messenger = this.deps.messenger;
    if (!messenger) return;
    try {
      if (job.progress_message) {
        await messenger.update(JSON.parse(job.progress_message) as PostedMessage, output);
        return;
      }
      const posted = await messenger.post(JSON.parse(job.conversation) as ConversationAddress, output);
      await this.deps.repo.setProgressMessage(job.id, posted);
    } catch (err) {
      this.warn('job card not posted', err, job.id);
    }
  }

  private warn(message: string, err: unknown, jobId?: string): void {
    this.deps.log.warn({ jobId, err: err instanceof CodedError ? err.code : String(err) }, message);
  }
}

function missing(): ReadResult {
  return { ok: false, code: 'MissingResponse' };
}

/** Why a chunk stopped the job: a sign-in problem pauses it with "sign in to continue"; anything else pauses too. */
function classify(err: unknown): StopRun {
  if (err instanceof GraphRequestError && err.status === 401) return new StopRun('sign-in');
  if (err instanceof CodedError && SIGN_IN_CODES.has(err.code)) return new StopRun('sign-in');
  if (err instanceof CodedError) return new StopRun('error', `Stopped: ${err.message.slice(0, 200)}`);
  // msal's refresh failures (InteractionRequiredAuthError, …) surface before anything is sent: sign in again.
  if (err instanceof Error && /AuthError$/.test(err.name)) return new StopRun('sign-in');
  return new StopRun('error', 'Stopped by an unexpected error; nothing more was sent. Resume to continue.');
}

function summarise(outcomes: readonly ItemOutcome[]): string {
  const count = (o: ItemOutcome['outcome']) => outcomes.filter((x) => x.outcome === o).length;
  return `changed ${count('changed')}, skipped ${count('skipped')}, failed ${count('failed')}`;
}
