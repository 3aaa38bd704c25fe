import type { AuditLog } from '../audit/log.js';
import type { AdminSession } from '../commands/types.js';
import { CodedError, ErrorCode } from '../errors.js';
import type { GraphApi } from '../graph/client.js';
import { GraphOutcomeUnknownError, GraphRequestError } from '../graph/errors.js';
import { signalOf } from './families.js';
import type { Family, JobParams, ReadResult, WorkItem } from './model.js';
import type { Pace } from './pace.js';
import type { ItemOutcome, JobRepository, JobRow } from './repository.js';

/** Stops a job's run: the admin paused or cancelled it, the lease was lost, or the session is gone. */
export class StopRun extends Error {
  constructor(
    readonly reason: 'lease' | 'sign-in' | 'error',
    detail?: string,
  ) {
    super(detail ?? reason);
  }
}

const SIGN_IN_CODES = new Set<string>([ErrorCode.NotSignedIn, ErrorCode.StepUpRequired, ErrorCode.IdentityUnavailable]);

export interface ChunkWorkerDeps {
  repo: JobRepository;
  graphFor: (session: AdminSession) => GraphApi;
  audit?: AuditLog;
  settings: { maxThrottledAttempts: number };
  /** The lease owner: commits happen only while it still holds the job. */
  instanceId: string;
}

/**
 * One chunk of a job: read each user's state ($batch of GETs) → commit the before-states and mark the chunk
 * `writing` → write → commit every outcome and the request-ids in one transaction. A chunk found `writing` after a
 * stop was perhaps sent: families whose state is readable are reconciled by reading (users already in the wanted
 * state are recorded as changed, not written again); sessions (not readable, idempotent) are sent again.
 */
export class ChunkWorker {
  readonly instanceId: string;

  constructor(private readonly deps: ChunkWorkerDeps) {
    this.instanceId = deps.instanceId;
  }

  /** One chunk, read → commit befores → write → commit outcomes. Throws StopRun to stop the whole job. */
  async run(
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
}

function missing(): ReadResult {
  return { ok: false, code: 'MissingResponse' };
}

/** Why a chunk stopped the job: a sign-in problem pauses it with "sign in to continue"; anything else pauses too. */
export function classify(err: unknown): StopRun {
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
