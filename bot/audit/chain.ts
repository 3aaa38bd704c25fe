import type { Database } from '../store/schema.js';
import { createHash } from 'node:crypto';

/** Fields covered by the hash: everything in a record except the hash itself (the table's own row type). */
export type AuditFields = Omit<Database['audit_log'], 'hash'>;

export const GENESIS_HASH = '0'.repeat(64);

/**
 * SHA-256 over a canonical serialisation (fixed field order, numbers as decimal text), so the hash is the same
 * whichever database returned the row (PostgreSQL hands bigints back as strings).
 */
export function recordHash(fields: AuditFields): string {
  const canonical = [
    fields.seq,
    fields.id,
    fields.at,
    fields.actor_aad_id,
    fields.actor_upn,
    fields.conversation_id,
    fields.action,
    fields.command,
    fields.args,
    fields.tier,
    fields.mfa,
    fields.approval_id,
    fields.graph_request_ids,
    fields.outcome,
    fields.completed_at,
    fields.ref_id,
    fields.prev_hash,
  ].map((v) => (v === null || v === undefined ? null : String(v)));
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
