import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AuditLog, AuditRecord } from './log.js';

/**
 * Start records a later record completes (by naming it in `ref_id`), and what their completion is called when a crash
 * prevented it.
 */
const INTERRUPTED: Record<string, string> = {
  'command.start': 'command.interrupted',
  'approval.execute.start': 'approval.execute.interrupted',
};

export const INTERRUPTED_OUTCOME =
  'unknown: interrupted — the bot stopped before recording the outcome; verify in the tenant';

const BATCH = 1000;

type StartRow = Pick<
  AuditRecord,
  'seq' | 'id' | 'at' | 'action' | 'actor_aad_id' | 'actor_upn' | 'conversation_id' | 'command' | 'tier' | 'approval_id'
>;

/**
 * Work a crash (kill -9, out of memory, host lost) left without its end record: a command or an approved
 * execution whose start was recorded — and whose Graph call may or may not have happened — but never finished.
 * Such a start older than `olderThanMs` gets an appended `…interrupted` record that names it, with the outcome
 * "unknown": nothing is rewritten, and nothing is re-run (a write that may have happened is not repeated blindly).
 *
 * The first pass reads the whole chain once (at start); later passes read only what is newer than the oldest start
 * still open, so the periodic sweep costs what was appended since, not the size of the log.
 */
export class InterruptedWork {
  /** Every start record at or below this sequence number is known to be completed. */
  private watermark = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly olderThanMs: number,
  ) {}

  async reconcile(now = Date.now()): Promise<AuditRecord[]> {
    const open = new Map<string, StartRow>();
    let last = this.watermark;
    for (;;) {
      const rows = await this.db
        .selectFrom('audit_log')
        .select([
          'seq',
          'id',
          'at',
          'action',
          'actor_aad_id',
          'actor_upn',
          'conversation_id',
          'command',
          'tier',
          'approval_id',
          'ref_id',
        ])
        .where('seq', '>', last)
        .orderBy('seq', 'asc')
        .limit(BATCH)
        .execute();
      for (const row of rows) {
        if (row.ref_id) open.delete(row.ref_id);
        if (INTERRUPTED[row.action]) open.set(row.id, { ...row, seq: Number(row.seq), at: Number(row.at) });
      }
      if (rows.length > 0) last = Number(rows[rows.length - 1].seq);
      if (rows.length < BATCH) break;
    }
    const written: AuditRecord[] = [];
    let oldestYoung = Number.POSITIVE_INFINITY;
    for (const start of open.values()) {
      if (start.at > now - this.olderThanMs) {
        // Possibly still running somewhere: look again next time.
        oldestYoung = Math.min(oldestYoung, start.seq);
        continue;
      }
      const record = await this.audit.appendCompletionOnce(
        {
          actorAadId: start.actor_aad_id,
          actorUpn: start.actor_upn ?? undefined,
          conversationId: start.conversation_id ?? undefined,
          action: INTERRUPTED[start.action],
          command: start.command ?? undefined,
          tier: start.tier ?? undefined,
          approvalId: start.approval_id ?? undefined,
          outcome: INTERRUPTED_OUTCOME,
          completes: start.id,
        },
        start,
      );
      if (record) written.push(record);
    }
    this.watermark = Math.min(last, oldestYoung - 1);
    return written;
  }
}
