import { randomUUID } from 'node:crypto';
import { PostgresAdapter, type Kysely } from 'kysely';
import { CodedError, ErrorCode } from '../errors.js';
import { serializeWriters } from '../store/locks.js';
import type { Database } from '../store/schema.js';
import { GENESIS_HASH, recordHash, type AuditFields } from './chain.js';

/** What an audit record says. Arguments are stored already redacted; MFA evidence is what the token showed. */
export interface AuditEntry {
  actorAadId: string;
  actorUpn?: string;
  conversationId?: string;
  /**
   * `command.start`, `command.end`, `command.refused`, `signin`, `stepup`, `approval.request`, `approval.decision`, …
   */
  action: string;
  command?: string;
  args?: Record<string, unknown>;
  tier?: string;
  mfa?: { amr: string[]; acrs: string[]; authTime?: number };
  approvalId?: string;
  graphRequestIds?: string[];
  outcome: string;
  /** For an end record: the id of the start record it completes. */
  completes?: string;
}

export interface AuditRecord extends AuditFields {
  hash: string;
}

const MAX_APPEND_ATTEMPTS = 20;

/**
 * Append-only, hash-chained audit. Each record carries the hash of the one before; `seq` is the primary key, and
 * every writer takes last + 1, so two writers (even two instances) cannot both extend the chain from the same
 * record. Nothing is ever updated or deleted: an action's completion is a second record that names the first.
 *
 * One statement per record (issue 14): this process remembers the tail it last wrote or read and inserts the next
 * record after it in a single INSERT (on PostgreSQL inside BEGIN/COMMIT, see `appendAfterKnownTail`). If another
 * instance extended the chain meanwhile, the primary key refuses that INSERT (the remembered seq + 1 is taken), and
 * the record is written the careful way instead: in a transaction, under the writers' lock, after the tail read
 * there. Appends of this process take turns, so they never collide with each other.
 */
export class AuditLog {
  /** The last record this process wrote or read as the tail (a guess: the primary key settles it). */
  private tail?: { seq: number; hash: string };
  /** This process's appends, one at a time. */
  private turn: Promise<unknown> = Promise.resolve();

  /** SQLite runs in this process: its INSERT cannot outlive it, so no transaction is needed there. */
  private readonly postgres: boolean;

  constructor(private readonly db: Kysely<Database>) {
    this.postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  }

  async append(entry: AuditEntry): Promise<AuditRecord> {
    return this.inTurn(async () => (await this.appendAfterKnownTail(entry)) ?? (await this.write(entry))!);
  }

  /** One INSERT after the remembered tail; undefined when there is none or another writer got there first. */
  private async appendAfterKnownTail(entry: AuditEntry): Promise<AuditRecord | undefined> {
    const tail = this.tail;
    if (!tail) return undefined;
    this.tail = undefined;
    const record = recordAfter(tail, entry);
    try {
      if (this.postgres)
        // Inside BEGIN … COMMIT: an INSERT still waiting for a lock when this process dies must never commit on its
        // own once the lock is released (autocommit would; the server only notices the dead client afterwards). Under
        // the writers' lock too: otherwise a stream of these could keep a careful writer (which reads the tail under
        // the lock) losing the next seq until it gives up.
        await this.db.transaction().execute(async (tx) => {
          await serializeWriters(tx, 'audit_log');
          await tx.insertInto('audit_log').values(record).execute();
        });
      else await this.db.insertInto('audit_log').values(record).execute();
    } catch (err) {
      if (isUniqueViolation(err)) return undefined;
      throw new CodedError(ErrorCode.Storage, 'The audit record could not be written, so nothing was done.', {
        cause: err,
      });
    }
    this.tail = { seq: record.seq, hash: record.hash };
    return record;
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const result = this.turn.then(work);
    this.turn = result.catch(() => undefined);
    return result;
  }

  /**
   * Appends `entry` (which completes record `start`) only if nothing has completed `start` yet — checked under the
   * same writer lock as the append, so two instances reconciling at once write one completion. Undefined if one
   * already exists.
   */
  async appendCompletionOnce(
    entry: AuditEntry & { completes: string },
    start: { seq: number },
  ): Promise<AuditRecord | undefined> {
    return this.inTurn(() =>
      this.write(entry, async (tx) => {
        const done = await tx
          .selectFrom('audit_log')
          .select('seq')
          .where('seq', '>', start.seq)
          .where('ref_id', '=', entry.completes)
          .limit(1)
          .executeTakeFirst();
        return !done;
      }),
    );
  }

  private async write(
    entry: AuditEntry,
    shouldWrite?: (tx: Kysely<Database>) => Promise<boolean>,
  ): Promise<AuditRecord | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        const record = await this.db.transaction().execute(async (tx) => {
          await serializeWriters(tx, 'audit_log');
          if (shouldWrite && !(await shouldWrite(tx))) return undefined;
          const tail = await tx
            .selectFrom('audit_log')
            .select(['seq', 'hash'])
            .orderBy('seq', 'desc')
            .limit(1)
            .executeTakeFirst();
          const record = recordAfter(tail ? { seq: Number(tail.seq), hash: tail.hash } : undefined, entry);
          await tx.insertInto('audit_log').values(record).execute();
          return record;
        });
        if (record) this.tail = { seq: record.seq, hash: record.hash };
        return record;
      } catch (err) {
        if (attempt >= MAX_APPEND_ATTEMPTS || !isUniqueViolation(err)) {
          throw new CodedError(ErrorCode.Storage, 'The audit record could not be written, so nothing was done.', {
            cause: err,
          });
        }
      }
    }
  }

  /** Recomputes the chain from the first record; names the first record whose link or content is broken. */
  async verify(): Promise<
    { ok: true; records: number } | { ok: false; records: number; brokenSeq: number; reason: string }
  > {
    let previous = GENESIS_HASH;
    let count = 0;
    for await (const row of this.all()) {
      count++;
      const seq = Number(row.seq);
      if (seq !== count) return { ok: false, records: count, brokenSeq: seq, reason: `record ${count} is missing` };
      if (row.prev_hash !== previous)
        return { ok: false, records: count, brokenSeq: seq, reason: 'it does not link to the record before it' };
      const { hash, ...fields } = row;
      if (recordHash(normalise(fields)) !== hash)
        return { ok: false, records: count, brokenSeq: seq, reason: 'its content was changed after it was written' };
      previous = hash;
    }
    return { ok: true, records: count };
  }

  async recent(filter: { actorUpn?: string; since?: number; limit: number }): Promise<AuditRecord[]> {
    let query = this.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(filter.limit);
    if (filter.actorUpn) query = query.where('actor_upn', '=', filter.actorUpn.toLowerCase());
    if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
    return (await query.execute()) as AuditRecord[];
  }

  /** Every record in chain order, a batch at a time (for export). */
  async *all(batch = 500): AsyncGenerator<AuditRecord> {
    for (let from = 0; ; from += batch) {
      const rows = (await this.db
        .selectFrom('audit_log')
        .selectAll()
        .orderBy('seq', 'asc')
        .offset(from)
        .limit(batch)
        .execute()) as AuditRecord[];
      yield* rows;
      if (rows.length < batch) return;
    }
  }
}

/** The next record of the chain after `tail` (undefined: the first record). */
function recordAfter(tail: { seq: number; hash: string } | undefined, entry: AuditEntry): AuditRecord {
  const now = Date.now();
  const fields: AuditFields = {
    seq: tail ? tail.seq + 1 : 1,
    id: randomUUID(),
    at: now,
    actor_aad_id: entry.actorAadId,
    actor_upn: entry.actorUpn ?? null,
    conversation_id: entry.conversationId ?? null,
    action: entry.action,
    command: entry.command ?? null,
    args: entry.args ? JSON.stringify(entry.args) : null,
    tier: entry.tier ?? null,
    mfa: entry.mfa ? JSON.stringify(entry.mfa) : null,
    approval_id: entry.approvalId ?? null,
    graph_request_ids: entry.graphRequestIds?.length ? JSON.stringify(entry.graphRequestIds) : null,
    outcome: entry.outcome,
    completed_at: entry.completes ? now : null,
    ref_id: entry.completes ?? null,
    prev_hash: tail?.hash ?? GENESIS_HASH,
  };
  return { ...fields, hash: recordHash(fields) };
}

function normalise(fields: AuditFields): AuditFields {
  const toNumber = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return { ...fields, seq: Number(fields.seq), at: Number(fields.at), completed_at: toNumber(fields.completed_at) };
}

function isUniqueViolation(err: unknown): boolean {
  const text = String((err as { code?: string; message?: string })?.code ?? '') + String((err as Error)?.message ?? '');
  return /SQLITE_CONSTRAINT|UNIQUE|23505|duplicate key/i.test(text);
}
