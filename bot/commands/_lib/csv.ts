import { stringify } from 'csv-stringify/sync';

/**
 * A spreadsheet runs a cell starting with =, +, - or @ as a formula (CSV injection): such cells get a leading '
 * so they are shown as text. Quoting of commas, quotes and line breaks is csv-stringify's.
 */
export function safeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = Array.isArray(value) ? value.join('; ') : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * A CSV file built a page at a time (a report folds pages as they arrive; only the CSV text is kept, not the
 * Graph objects).
 */
export class CsvBuilder {
  private readonly chunks: string[];
  rows = 0;

  constructor(readonly header: string[]) {
    this.chunks = [stringify([header.map(safeCell)])];
  }

  add(rows: unknown[][]): void {
    if (rows.length === 0) return;
    this.rows += rows.length;
    this.chunks.push(stringify(rows.map((row) => row.map(safeCell))));
  }

  toBuffer(): Buffer {
    return Buffer.from(this.chunks.join(''), 'utf8');
  }
}
