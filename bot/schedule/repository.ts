import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { NewSchedule } from '../commands/ports.js';
import type { Database } from '../store/schema.js';

export type ScheduleRow = Selectable<Database['schedules']>;

/** Numbers come back as strings from PostgreSQL bigints; rows are normalised to SQLite's shape. */
function normalise(row: ScheduleRow): ScheduleRow {
  const n = (v: number | null) => (v === null ? null : Number(v));
  return {
    ...row,
    created_at: Number(row.created_at),
    next_run_at: Number(row.next_run_at),
    lease_until: n(row.lease_until),
    last_run_at: n(row.last_run_at),
    run_count: Number(row.run_count),
  };
}

/**
 * Schedules in the shared store. Every state change that instances could race on is one conditional update:
 * claiming a tick (`next_run_at` still the value read), finishing a run (still our lease), reaping an abandoned
 * run (still the same lease), removing (row still there).
 */
export class ScheduleRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(input: NewSchedule, now: number): Promise<ScheduleRow> {
    const id = randomBytes(4).toString('hex').toUpperCase();
    const row: ScheduleRow = {
      id,
      tenant_id: input.tenantId,
      conversation_id: input.conversationId,
      conversation_ref: JSON.stringify(input.address),
      command_name: input.commandName,
      command_text: input.commandText,
      cron: input.cron,
      time_zone: input.timeZone,
      description: input.description,
      created_by_aad_id: input.createdByAadId,
      created_by_upn: input.createdByUpn,
      created_at: now,
      next_run_at: input.nextRunAt,
      lease_owner: null,
      lease_until: null,
      last_run_at: null,
      last_outcome: null,
      last_detail: null,
      run_count: 0,
    };
    await this.db.insertInto('schedules').values(row).execute();
    return row;
  }

  async get(id: string): Promise<ScheduleRow | undefined> {
    const row = await this.db.selectFrom('schedules').selectAll().where('id', '=', id.toUpperCase()).executeTakeFirst();
    return row ? normalise(row) : undefined;
  }

  async inConversation(conversationId: string): Promise<ScheduleRow[]> {
    const rows = await this.db
      .selectFrom('schedules')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at')
      .execute();
    return rows.map(normalise);
  }

  async countInConversation(conversationId: string): Promise<number> {
    const row = await this.db
      .selectFrom('schedules')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async remove(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('schedules').where('id', '=', id.toUpperCase()).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  /** Schedules whose next run is due, oldest first (bounded: the next tick takes the rest). */
  async due(now: number, limit: number): Promise<ScheduleRow[]> {
    const rows = await this.db
      .selectFrom('schedules')
      .selectAll()
      .where('next_run_at', '<=', now)
      .orderBy('next_run_at')
      .limit(limit)
      .execute();
    return rows.map(normalise);
  }

  /**
   * Claims the tick `seenNextRunAt` of a schedule: moves `next_run_at` to the next run after now and takes the
   * lease, only if nobody moved it since we read it. Of any number of instances, exactly one wins a tick.
   */
  async claim(
    id: string,
    seenNextRunAt: number,
    next: number,
    owner: string,
    now: number,
    leaseMs: number,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('schedules')
      .set({
        next_run_at: next,
        lease_owner: owner,
        lease_until: now + leaseMs,
        last_run_at: now,
        last_outcome: 'running',
        last_detail: null,
      })
      .where('id', '=', id)
      .where('next_run_at', '=', seenNextRunAt)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Records a run's outcome, if the lease is still ours (a reaper may have declared it abandoned). */
  async finish(
    id: string,
    owner: string,
    claimedAt: number,
    outcome: 'succeeded' | 'failed',
    detail: string,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('schedules')
      .set((eb) => ({
        last_outcome: outcome,
        last_detail: detail.slice(0, 500),
        lease_owner: null,
        lease_until: null,
        run_count: eb('run_count', '+', 1),
      }))
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('last_run_at', '=', claimedAt)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Runs whose lease ran out while still `running` (the instance stopped mid-run): recorded as failed, once —
   * never run again for that tick (at-most-once per tick: a half-posted report is better reported than doubled).
   */
  async reapAbandoned(now: number): Promise<ScheduleRow[]> {
    const stale = await this.db
      .selectFrom('schedules')
      .selectAll()
      .where('last_outcome', '=', 'running')
      .where('lease_until', '<', now)
      .execute();
    const reaped: ScheduleRow[] = [];
    for (const row of stale.map(normalise)) {
      const result = await this.db
        .updateTable('schedules')
        .set({
          last_outcome: 'failed',
          last_detail: 'The instance running this report stopped before it finished; the run was not repeated.',
          lease_owner: null,
          lease_until: null,
        })
        .where('id', '=', row.id)
        .where('last_outcome', '=', 'running')
        .where('lease_owner', '=', row.lease_owner ?? '')
        .where('lease_until', '=', row.lease_until ?? 0)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) reaped.push(row);
    }
    return reaped;
  }
}
