import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/log.js';
import type { ConversationAddress, Messenger, PostedMessage, SessionSource } from '../commands/ports.js';
import type { AdminSession } from '../commands/types.js';
import { CodedError } from '../errors.js';
import type { GraphApi } from '../graph/client.js';
import type { Logger } from '../log.js';
import { ChunkWorker, StopRun, classify } from './chunk.js';
import { familyOf } from './families.js';
import type { JobParams } from './model.js';
import { Pace, type PaceSettings } from './pace.js';
import { resultsHash } from './report.js';
import type { JobRepository, JobRow } from './repository.js';
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

/**
 * Runs bulk jobs on every instance: a job is leased by one instance at a time (renewed by a heartbeat; an expired
 * lease is taken over by any instance), and continues from its first chunk without a committed outcome.
 * Chunks go through a p-queue paced to the budget share (pace.ts); each is processed by the ChunkWorker (chunk.ts).
 */
export class JobRunner {
  readonly instanceId: string;
  private timer?: NodeJS.Timeout;
  private running = new Map<string, Promise<void>>();
  private stopped = false;
  private readonly worker: ChunkWorker;

  constructor(private readonly deps: RunnerDeps) {
    this.instanceId = deps.instanceId ?? randomUUID();
    this.worker = new ChunkWorker({ ...deps, instanceId: this.instanceId });
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
              await this.worker.run(job, params, family, session, chunk, pace);
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
