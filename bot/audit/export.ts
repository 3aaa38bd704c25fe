import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import type { AuditLog, AuditRecord } from './log.js';

const CSV_COLUMNS: (keyof AuditRecord)[] = [
  'seq',
  'id',
  'at',
  'actor_aad_id',
  'actor_upn',
  'conversation_id',
  'action',
  'command',
  'args',
  'tier',
  'mfa',
  'approval_id',
  'graph_request_ids',
  'outcome',
  'completed_at',
  'ref_id',
  'prev_hash',
  'hash',
];

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Quote every cell that could break the row, and neutralise spreadsheet formulas (=, +, -, @ at the start).
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

async function write(stream: NodeJS.WritableStream, line: string): Promise<void> {
  if (!stream.write(line)) await once(stream, 'drain');
}

/** The chain's records as JSON Lines and CSV lines (header first), in chain order. */
async function* exportLines(audit: AuditLog): AsyncGenerator<{ jsonl?: string; csv: string }> {
  yield { csv: `${CSV_COLUMNS.join(',')}\n` };
  for await (const record of audit.all()) {
    yield { jsonl: `${JSON.stringify(record)}\n`, csv: `${CSV_COLUMNS.map((c) => csvCell(record[c])).join(',')}\n` };
  }
}

/**
 * Streams the whole chain (in order, with hashes, so an auditor can re-verify it offline) to a JSON Lines file and
 * a CSV file, a batch at a time.
 */
export async function exportAudit(
  audit: AuditLog,
  dir: string,
): Promise<{ jsonl: string; csv: string; records: number }> {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const jsonlPath = join(dir, `audit-${stamp}.jsonl`);
  const csvPath = join(dir, `audit-${stamp}.csv`);
  const jsonl = createWriteStream(jsonlPath, { mode: 0o600 });
  const csv = createWriteStream(csvPath, { mode: 0o600 });
  let records = 0;
  for await (const line of exportLines(audit)) {
    if (line.jsonl) {
      records++;
      await write(jsonl, line.jsonl);
    }
    await write(csv, line.csv);
  }
  await Promise.all([new Promise((r) => jsonl.end(r)), new Promise((r) => csv.end(r))]);
  return { jsonl: jsonlPath, csv: csvPath, records };
}

/** The same export in memory, for delivery as files to the admin (Teams file consent). */
export async function exportAuditToBuffers(audit: AuditLog): Promise<{ jsonl: Buffer; csv: Buffer; records: number }> {
  const jsonl: string[] = [];
  const csv: string[] = [];
  for await (const line of exportLines(audit)) {
    if (line.jsonl) jsonl.push(line.jsonl);
    csv.push(line.csv);
  }
  return { jsonl: Buffer.from(jsonl.join('')), csv: Buffer.from(csv.join('')), records: jsonl.length };
}
