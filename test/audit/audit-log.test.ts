import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { AuditLog } from '../../bot/audit/log.js';
import { redactArgs } from '../../bot/audit/redact.js';
import { openSqliteStore, type BotStore } from '../../bot/store/database.js';

describe('audit log (hash chain)', () => {
  let store: BotStore;
  let audit: AuditLog;
  beforeEach(async () => {
    store = await openSqliteStore(':memory:');
    audit = new AuditLog(store.db);
  });
  afterEach(() => store.close());

  const entry = (i: number) => ({
    actorAadId: `oid-${i}`,
    actorUpn: `u${i}@contoso.com`,
    action: 'command.start',
    command: 'user',
    args: { user: `x${i}` },
    tier: 'read',
    outcome: 'started',
  });

  it('chains each record to the one before and verifies', async () => {
    const first = await audit.append(entry(1));
    const second = await audit.append(entry(2));
    assert.equal(first.seq, 1);
    assert.equal(second.prev_hash, first.hash);
    assert.deepEqual(await audit.verify(), { ok: true, records: 2 });
  });

  it('keeps one unbroken chain under 100 concurrent appends', async () => {
    await Promise.all(Array.from({ length: 100 }, (_, i) => audit.append(entry(i))));
    const seqs = (await store.db.selectFrom('audit_log').select('seq').orderBy('seq').execute()).map((r) =>
      Number(r.seq),
    );
    assert.deepEqual(
      seqs,
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    assert.deepEqual(await audit.verify(), { ok: true, records: 100 });
  });

  it('names the first record whose content was changed', async () => {
    for (let i = 1; i <= 5; i++) await audit.append(entry(i));
    await sql`update audit_log set outcome = 'succeeded' where seq = 3`.execute(store.db);
    const result = await audit.verify();
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.brokenSeq, 3);
    assert.match(!result.ok ? result.reason : '', /changed/);
  });

  it('notices a deleted record and a re-hashed forgery', async () => {
    for (let i = 1; i <= 4; i++) await audit.append(entry(i));
    await sql`delete from audit_log where seq = 2`.execute(store.db);
    const missing = await audit.verify();
    assert.equal(!missing.ok && missing.brokenSeq, 3);
    assert.match(!missing.ok ? missing.reason : '', /missing/);
  });

  it('redacts secret-looking arguments and drops page cursors', () => {
    assert.deepEqual(redactArgs({ user: 'alice', newPassword: 'P@ss', cursor: 'abc', minutes: 60 }), {
      user: 'alice',
      newPassword: '[redacted]',
      minutes: 60,
    });
  });

  it('exports JSON Lines and CSV in chain order', async () => {
    const { exportAudit } = await import('../../bot/audit/export.js');
    for (let i = 1; i <= 3; i++)
      await audit.append({ ...entry(i), args: { note: i === 2 ? '=HYPERLINK("x")' : 'a,b' } });
    const dir = `test-results/audit-export-${process.pid}`;
    const result = await exportAudit(audit, dir);
    assert.equal(result.records, 3);
    const lines = readFileSync(result.jsonl, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; hash: string });
    assert.deepEqual(
      lines.map((l) => l.seq),
      [1, 2, 3],
    );
    const csv = readFileSync(result.csv, 'utf8').trim().split('\n');
    assert.equal(csv.length, 4);
    assert.match(csv[0], /^seq,id,at,/);
    assert.ok(!csv[2].includes(',=HYPERLINK'), 'formula cells are neutralised');
  });
});
