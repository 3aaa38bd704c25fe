import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { familyOf } from './families.js';
import type { JobParams } from './model.js';
import type { ItemRow, JobRepository, JobRow } from './repository.js';

const PAGE = 1000;

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, and tab / carriage return that some apps strip first)
 * gets a leading apostrophe: UPNs and Graph codes come from the tenant and are untrusted (CSV injection).
 */
export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export const CSV_HEADER = ['UPN', 'id', 'before', 'after', 'outcome', 'Graph code', 'request-id'];

function csvRow(item: ItemRow, params: JobParams): string[] {
  const family = familyOf(params);
  return [
    item.upn,
    item.user_id,
    family.describe(item.before, params),
    family.describe(item.after, params),
    item.outcome ?? 'not done',
    item.graph_code ?? '',
    item.request_id ?? '',
  ].map(safeCell);
}

/** Every user of the job as CSV (UPN, id, before, after, outcome, Graph code, request-id), read a page at a time. */
export async function resultsCsv(repo: JobRepository, job: JobRow): Promise<Buffer> {
  const params = JSON.parse(job.params) as JobParams;
  const parts: string[] = [stringify([CSV_HEADER])];
  for (let after = -1; ;) {
    const page = await repo.itemsPage(job.id, after, PAGE);
    if (page.length === 0) break;
    parts.push(stringify(page.map((item) => csvRow(item, params))));
    after = page[page.length - 1].seq;
  }
  return Buffer.from(parts.join(''), 'utf8');
}

/** SHA-256 over every user's recorded result in order: the audit record pins the per-user outcome with it. */
export async function resultsHash(repo: JobRepository, jobId: string): Promise<string> {
  const hash = createHash('sha256');
  for (let after = -1; ;) {
    const page = await repo.itemsPage(jobId, after, PAGE);
    if (page.length === 0) break;
    for (const i of page)
      hash.update(JSON.stringify([i.seq, i.user_id, i.before, i.after, i.outcome, i.graph_code, i.request_id]) + '\n');
    after = page[page.length - 1].seq;
  }
  return hash.digest('hex');
}
