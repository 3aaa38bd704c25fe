import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { CsvBuilder, safeCell } from '../../../bot/commands/_lib/csv.js';

describe('CSV of report data', () => {
  it('prefixes cells a spreadsheet would run as formulas with a quote', () => {
    for (const text of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\t=x', '\r=x'])
      assert.equal(safeCell(text), `'${text}`, text);
    for (const text of ['plain', 'a=b', 'x-1', 'mail@contoso.com', '']) assert.equal(safeCell(text), text, text);
    assert.equal(safeCell(-5), '-5', 'numbers stay numbers');
    assert.equal(safeCell(null), '');
    assert.equal(safeCell(['fido2', 'mobilePhone']), 'fido2; mobilePhone');
  });

  it('quotes commas, quotes and line breaks so every row parses back to its columns', () => {
    const csv = new CsvBuilder(['id', 'name', 'note']);
    const rows = [
      ['1', 'Smith, Ann', 'said "hi"'],
      ['2', 'multi\nline', '=HYPERLINK("http://evil","x")'],
      ['3', '@admin', '-1'],
    ];
    csv.add(rows);
    assert.equal(csv.rows, 3);
    const parsed = parse(csv.toBuffer(), { columns: true }) as Record<string, string>[];
    assert.deepEqual(parsed, [
      { id: '1', name: 'Smith, Ann', note: 'said "hi"' },
      { id: '2', name: 'multi\nline', note: `'=HYPERLINK("http://evil","x")` },
      { id: '3', name: "'@admin", note: "'-1" },
    ]);
  });
});
