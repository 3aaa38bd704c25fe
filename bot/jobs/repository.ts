import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../store/schema.js';
import type { JobParams, JobStatus, TargetDefinition } from './model.js';

export type JobRow = Selectable<Database['bulk_jobs']>;
export type ItemRow = Selectable<Database['bulk_job_items']>;

export interface NewJob {
  tenantId: string;
  requester: { aadId: string; upn: string; teamsId: string };
  conversation: unknown;
  verb: string;
  params: JobParams;
  target: TargetDefinition;
  mfa?: unknown;
  undoOf?: string;
}

export interface NewItem {
  userId: string;
  upn: string;
  want?: string;
}

export interface ItemOutcome {
  seq: number;
  before: string | null;
  after: string | null;
  outcome: 'changed' | 'skipped' | 'failed';
  code?: string;
  requestId?: string;
}

export interface JobCounts {
  changed: number;
  skipped: number;
  failed: number;
  remaining: number;
}

/** PostgreSQL returns bigints as strings; rows are normalised to SQLite's numbers. */
function normalise(row: JobRow): JobRow {
  const n = (v: number | null) => (v === null ? null : Number(v));
  return {
    ...row,
    version: Number(row.version),
    total: Number(row.total),
    chunk_count: Number(row.chunk_count),
    needs_approval: Number(row.needs_approval),
    lease_until: n(row.lease_until),
    created_at: Number(row.created_at),
    started_at: n(row.started_at),
    finished_at: n(row.finished_at),
    updated_at: Number(row.updated_at),
  };
}

/** Rows per insert: 9 columns × 60 stays under SQLite's 999 bound parameters. */
const INSERT_ROWS = 60;

/**
 * Jobs, chunks and items in the shared store. Every change instances could race on is one conditional update:
 * a status change names the status it leaves (and bumps `version`), a lease is taken only when free or expired,
 * a chunk commit happens only while this instance still holds the lease.
 */
export class JobRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: () => number = Date.now,
  ) {}

  async create(input: NewJob): Promise<JobRow> {
    const now = this.clock();
    const row: JobRow = {
      id: randomBytes(4).toString('hex').toUpperCase(),
      tenant_id: input.tenantId,
      requester_aad_id: input.requester.aadId,
      requester_upn: input.requester.upn.toLowerCase(),
      requester_teams_id: input.requester.teamsId,
      conversation: JSON.stringify(input.conversation),
      verb: input.verb,
      params: JSON.stringify(input.params),
      target: JSON.stringify(input.target),
      status: 'resolving',
      version: 0,
      total: 0,
      chunk_count: 0,
      preview: null,
      needs_approval: 0,
      approved_by_upn: null,
      mfa: input.mfa ? JSON.stringify(input.mfa) : null,
      undo_of: input.undoOf ?? null,
      progress_message: null,
      lease_owner: null,
      lease_until: null,
      throttle: null,
      detail: null,
      created_at: now,
      started_at: null,
      finished_at: null,
      updated_at: now,
    };
    await this.db.insertInto('bulk_jobs').values(row).execute();
    return row;
  }

  async get(id: string): Promise<JobRow | undefined> {
    const row = await this.db.selectFrom('bulk_jobs').selectAll().where('id', '=', id.toUpperCase()).executeTakeFirst();
    return row ? normalise(row) : undefined;
  }

  async list(tenantId: string, limit = 10): Promise<JobRow[]> {
    const rows = await this.db
      .selectFrom('bulk_jobs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(normalise);
  }

  /** Appends resolved users after `firstSeq` (page by page while resolving: nothing is held in memory). */
  async addItems(jobId: string, firstSeq: number, items: readonly NewItem[], chunkSize: number): Promise<void> {
    const rows = items.map((item, i) => ({
      job_id: jobId,
      seq: firstSeq + i,
      chunk_no: Math.floor((firstSeq + i) / chunkSize),
      user_id: item.userId,
      upn: item.upn,
      want: item.want ?? null,
      before: null,
      after: null,
      outcome: null,
      graph_code: null,
      request_id: null,
    }));
    for (let i = 0; i < rows.length; i += INSERT_ROWS)
      await this.db
        .insertInto('bulk_job_items')
        .values(rows.slice(i, i + INSERT_ROWS))
        .execute();
  }

  /** Resolution finished: chunk rows are created (all pending) and the job shows its preview. */
  async finishResolution(
    jobId: string,
    total: number,
    chunkSize: number,
    preview: unknown,
    needsApproval: boolean,
  ): Promise<boolean> {
    const chunkCount = Math.ceil(total / chunkSize);
    const now = this.clock();
    return this.db.transaction().execute(async (tx) => {
      for (let first = 0; first < chunkCount; first += INSERT_ROWS * 2) {
        const rows = [];
        for (let c = first; c < Math.min(chunkCount, first + INSERT_ROWS * 2); c++)
          rows.push({ job_id: jobId, chunk_no: c, status: 'pending', attempts: 0, request_ids: null, updated_at: now });
        await tx.insertInto('bulk_job_chunks').values(rows).execute();
      }
      const result = await tx
        .updateTable('bulk_jobs')
        .set((eb) => ({
          status: 'preview',
          total,
          chunk_count: chunkCount,
          preview: JSON.stringify(preview),
          needs_approval: needsApproval ? 1 : 0,
          version: eb('version', '+', 1),
          updated_at: now,
        }))
        .where('id', '=', jobId)
        .where('status', '=', 'resolving')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    });
  }

  /** Moves a job from one of `from` to `to` (first writer wins); returns whether this call made the change. */
  async transition(
    id: string,
    from: readonly JobStatus[],
    to: JobStatus,
    extra: Partial<Pick<JobRow, 'detail' | 'approved_by_upn' | 'mfa' | 'started_at' | 'finished_at'>> = {},
  ): Promise<boolean> {
    const now = this.clock();
    const final = to === 'done' || to === 'failed' || to === 'cancelled';
    const result = await this.db
      .updateTable('bulk_jobs')
      .set((eb) => ({
        status: to,
        version: eb('version', '+', 1),
        updated_at: now,
        ...extra,
        ...(final ? { finished_at: now, lease_owner: null, lease_until: null } : {}),
        ...(to === 'paused' ? { lease_owner: null, lease_until: null } : {}),
      }))
      .where('id', '=', id.toUpperCase())
      .where('status', 'in', from as JobStatus[])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** A running job whose lease is free or expired, taken by `owner` for `leaseMs`. */
  async claimRunnable(owner: string, leaseMs: number): Promise<JobRow | undefined> {
    const now = this.clock();
    const candidates = await this.db
      .selectFrom('bulk_jobs')
      .select(['id', 'version'])
      .where('status', '=', 'running')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .orderBy('created_at')
      .limit(5)
      .execute();
    for (const candidate of candidates) {
      const result = await this.db
        .updateTable('bulk_jobs')
        .set({ lease_owner: owner, lease_until: now + leaseMs, started_at: now, updated_at: now })
        .where('id', '=', candidate.id)
        .where('status', '=', 'running')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) return this.get(candidate.id);
    }
    return undefined;
  }

  /** Extends this instance's lease; false when it was lost (another instance took over) or the job left `running`. */
  async renewLease(id: string, owner: string, leaseMs: number, throttle?: unknown): Promise<boolean> {
    const now = this.clock();
    const result = await this.db
      .updateTable('bulk_jobs')
      .set({
        lease_until: now + leaseMs,
        updated_at: now,
        ...(throttle ? { throttle: JSON.stringify(throttle) } : {}),
      })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async releaseLease(id: string, owner: string): Promise<void> {
    await this.db
      .updateTable('bulk_jobs')
      .set({ lease_owner: null, lease_until: null })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .execute();
  }

  async setProgressMessage(id: string, message: unknown): Promise<void> {
    await this.db
      .updateTable('bulk_jobs')
      .set({ progress_message: JSON.stringify(message) })
      .where('id', '=', id)
      .execute();
  }

  /** Chunks without a committed outcome after `after`, in order: where the job (re)starts. */
  async openChunks(jobId: string, after: number, limit: number): Promise<Array<{ chunk_no: number; status: string }>> {
    const rows = await this.db
      .selectFrom('bulk_job_chunks')
      .select(['chunk_no', 'status'])
      .where('job_id', '=', jobId)
      .where('status', '!=', 'done')
      .where('chunk_no', '>', after)
      .orderBy('chunk_no')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ chunk_no: Number(r.chunk_no), status: r.status }));
  }

  async chunkItems(jobId: string, chunkNo: number): Promise<ItemRow[]> {
    return this.db
      .selectFrom('bulk_job_items')
      .selectAll()
      .where('job_id', '=', jobId)
      .where('chunk_no', '=', chunkNo)
      .orderBy('seq')
      .execute();
  }

  /** Items in order, a page at a time (previews, CSV, undo): never the whole set in memory. */
  async itemsPage(jobId: string, afterSeq: number, limit: number): Promise<ItemRow[]> {
    const rows = await this.db
      .selectFrom('bulk_job_items')
      .selectAll()
      .where('job_id', '=', jobId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...r, seq: Number(r.seq), chunk_no: Number(r.chunk_no) }));
  }

  /**
   * The chunk is about to be written: each user's before-state is committed first, so undo and the CSV have it even
   * if the bot stops mid-write, and a resumed chunk knows a write may have been sent (status `writing`).
   */
  async markWriting(
    jobId: string,
    chunkNo: number,
    owner: string,
    befores: Map<number, string | null>,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      if (!(await this.stillOurs(tx, jobId, owner))) return false;
      for (const [seq, before] of befores)
        await tx
          .updateTable('bulk_job_items')
          .set({ before })
          .where('job_id', '=', jobId)
          .where('seq', '=', seq)
          .execute();
      await tx
        .updateTable('bulk_job_chunks')
        .set((eb) => ({ status: 'writing', attempts: eb('attempts', '+', 1), updated_at: this.clock() }))
        .where('job_id', '=', jobId)
        .where('chunk_no', '=', chunkNo)
        .execute();
      return true;
    });
  }

  /** Every user's outcome and the chunk's request-ids, in one transaction, before the next chunk is sent. */
  async commitChunk(
    jobId: string,
    chunkNo: number,
    owner: string,
    outcomes: readonly ItemOutcome[],
    requestIds: readonly string[],
  ): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      if (!(await this.stillOurs(tx, jobId, owner))) return false;
      for (const o of outcomes) {
        await tx
          .updateTable('bulk_job_items')
          .set({
            before: o.before,
            after: o.after,
            outcome: o.outcome,
            graph_code: o.code ?? null,
            request_id: o.requestId ?? null,
          })
          .where('job_id', '=', jobId)
          .where('seq', '=', o.seq)
          .execute();
      }
      await tx
        .updateTable('bulk_job_chunks')
        .set({ status: 'done', request_ids: JSON.stringify(requestIds), updated_at: this.clock() })
        .where('job_id', '=', jobId)
        .where('chunk_no', '=', chunkNo)
        .execute();
      return true;
    });
  }

  async counts(jobId: string): Promise<JobCounts> {
    const rows = await this.db
      .selectFrom('bulk_job_items')
      .select(['outcome', (eb) => eb.fn.countAll<number>().as('n')])
      .where('job_id', '=', jobId)
      .groupBy('outcome')
      .execute();
    const counts: JobCounts = { changed: 0, skipped: 0, failed: 0, remaining: 0 };
    for (const row of rows) {
      const key = (row.outcome ?? 'remaining') as keyof JobCounts;
      counts[key] = (counts[key] ?? 0) + Number(row.n);
    }
    return counts;
  }

  async failures(jobId: string, limit: number): Promise<ItemRow[]> {
    return this.db
      .selectFrom('bulk_job_items')
      .selectAll()
      .where('job_id', '=', jobId)
      .where('outcome', '=', 'failed')
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  async chunkRequestIds(jobId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('bulk_job_chunks')
      .select('request_ids')
      .where('job_id', '=', jobId)
      .orderBy('chunk_no')
      .execute();
    return rows.flatMap((r) => (r.request_ids ? (JSON.parse(r.request_ids) as string[]) : []));
  }

  private async stillOurs(tx: Kysely<Database>, jobId: string, owner: string): Promise<boolean> {
    const row = await tx
      .selectFrom('bulk_jobs')
      .select(['lease_owner', 'status'])
      .where('id', '=', jobId)
      .executeTakeFirst();
    return row?.lease_owner === owner && row.status === 'running';
  }
}
