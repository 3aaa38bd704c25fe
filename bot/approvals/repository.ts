import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../store/schema.js';

export type ApprovalRow = Selectable<Database['approvals']>;

/**
 * The two-person-rule state machine:
 *
 *   pending ──approve──▶ approved ──claim──▶ executing ──▶ succeeded | failed
 *      │                                          └──(crash, found later)──▶ unknown   (never re-run)
 *      ├──reject──▶ rejected      ├──cancel (requester)──▶ cancelled      └──time──▶ expired
 *
 * Every transition is ONE conditional UPDATE (expected status, version and expiry in the WHERE clause) that
 * also bumps the version: of concurrent clicks, on any number of instances, exactly one changes the row.
 */
export type ApprovalStatus =
  'pending' | 'approved' | 'executing' | 'succeeded' | 'failed' | 'unknown' | 'rejected' | 'cancelled' | 'expired';

export const FINAL_STATUSES: ApprovalStatus[] = ['succeeded', 'failed', 'unknown', 'rejected', 'cancelled', 'expired'];

export interface NewApproval {
  requesterAadId: string;
  requesterUpn: string;
  requesterTeamsId: string;
  tenantId: string;
  commandName: string;
  commandText: string;
  args: unknown;
  resolvedTarget: string;
  justification: string;
  ticket?: string;
  conversationRef: unknown;
  viewerIds: string[];
  ttlMs: number;
}

/** Short, unambiguous ids an admin can type (`approval AB12CD34`). */
function approvalId(): string {
  return randomBytes(5).toString('hex').toUpperCase();
}

export class ApprovalRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(input: NewApproval): Promise<ApprovalRow> {
    const now = Date.now();
    const row = {
      id: approvalId(),
      version: 1,
      status: 'pending',
      requester_aad_id: input.requesterAadId,
      requester_upn: input.requesterUpn,
      requester_teams_id: input.requesterTeamsId,
      tenant_id: input.tenantId,
      command_name: input.commandName,
      command_text: input.commandText,
      args: JSON.stringify(input.args ?? {}),
      resolved_target: input.resolvedTarget,
      justification: input.justification,
      ticket: input.ticket ?? null,
      conversation_ref: JSON.stringify(input.conversationRef),
      viewer_ids: JSON.stringify(input.viewerIds.slice(0, 60)),
      activity_id: null,
      decided_by_aad_id: null,
      decided_by_upn: null,
      decision_note: null,
      outcome: null,
      graph_request_ids: null,
      created_at: now,
      expires_at: now + input.ttlMs,
      updated_at: now,
    };
    await this.db.insertInto('approvals').values(row).execute();
    return row;
  }

  async get(id: string): Promise<ApprovalRow | undefined> {
    return this.db.selectFrom('approvals').selectAll().where('id', '=', id.toUpperCase()).executeTakeFirst();
  }

  async setActivity(id: string, activityId: string): Promise<void> {
    await this.db.updateTable('approvals').set({ activity_id: activityId }).where('id', '=', id).execute();
  }

  /** pending → approved | rejected, by someone else than the requester, before expiry. First decision wins. */
  async decide(
    id: string,
    decision: 'approved' | 'rejected',
    by: { aadId: string; upn: string },
    note?: string,
  ): Promise<boolean> {
    const now = Date.now();
    const result = await this.db
      .updateTable('approvals')
      .set((eb) => ({
        status: decision,
        version: eb('version', '+', 1),
        decided_by_aad_id: by.aadId,
        decided_by_upn: by.upn,
        decision_note: note ?? null,
        updated_at: now,
      }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('expires_at', '>', now)
      .where('requester_aad_id', '!=', by.aadId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** pending → cancelled, by the requester only. */
  async cancel(id: string, requesterAadId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('approvals')
      .set((eb) => ({ status: 'cancelled', version: eb('version', '+', 1), updated_at: Date.now() }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('requester_aad_id', '=', requesterAadId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** approved → executing: the one step that decides who runs the command. Returns false to everyone else. */
  async claimExecution(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('approvals')
      .set((eb) => ({ status: 'executing', version: eb('version', '+', 1), updated_at: Date.now() }))
      .where('id', '=', id)
      .where('status', '=', 'approved')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async finish(id: string, status: 'succeeded' | 'failed', outcome: string, graphRequestIds: string[]): Promise<void> {
    await this.db
      .updateTable('approvals')
      .set((eb) => ({
        status,
        outcome,
        graph_request_ids: JSON.stringify(graphRequestIds),
        version: eb('version', '+', 1),
        updated_at: Date.now(),
      }))
      .where('id', '=', id)
      .where('status', '=', 'executing')
      .execute();
  }

  /** Pending requests past their expiry become `expired`; returns them so their cards can be updated. */
  async expireDue(now = Date.now()): Promise<ApprovalRow[]> {
    const due = await this.db
      .selectFrom('approvals')
      .selectAll()
      .where('status', '=', 'pending')
      .where('expires_at', '<=', now)
      .execute();
    const expired: ApprovalRow[] = [];
    for (const row of due) {
      const result = await this.db
        .updateTable('approvals')
        .set((eb) => ({ status: 'expired', version: eb('version', '+', 1), updated_at: now }))
        .where('id', '=', row.id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) expired.push({ ...row, status: 'expired' });
    }
    return expired;
  }

  /**
   * Executions that were claimed but never finished (the process died mid-run) become `unknown`: the Graph
   * operation may or may not have happened, so it is never re-run blindly; an admin must verify.
   */
  async markAbandoned(olderThanMs: number, now = Date.now()): Promise<ApprovalRow[]> {
    const stale = await this.db
      .selectFrom('approvals')
      .selectAll()
      .where('status', '=', 'executing')
      .where('updated_at', '<=', now - olderThanMs)
      .execute();
    for (const row of stale) {
      await this.db
        .updateTable('approvals')
        .set((eb) => ({
          status: 'unknown',
          outcome: 'outcome unknown — the bot stopped while running it; verify in the tenant',
          version: eb('version', '+', 1),
          updated_at: now,
        }))
        .where('id', '=', row.id)
        .where('status', '=', 'executing')
        .execute();
    }
    return stale;
  }

  async forUser(aadId: string, tenantId: string, limit = 20): Promise<{ waiting: ApprovalRow[]; mine: ApprovalRow[] }> {
    const now = Date.now();
    const waiting = await this.db
      .selectFrom('approvals')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'pending')
      .where('expires_at', '>', now)
      .where('requester_aad_id', '!=', aadId)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    const mine = await this.db
      .selectFrom('approvals')
      .selectAll()
      .where('requester_aad_id', '=', aadId)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return { waiting, mine };
  }
}

/** The status a row shows now: a pending request past its expiry is expired even before the sweeper runs. */
export function effectiveStatus(row: ApprovalRow, now = Date.now()): ApprovalStatus {
  return row.status === 'pending' && Number(row.expires_at) <= now ? 'expired' : (row.status as ApprovalStatus);
}
