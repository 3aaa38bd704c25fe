import assert from 'node:assert/strict';
import { PostgresAdapter, type Kysely } from 'kysely';
import { AuditLog } from '../../bot/audit/log.js';
import type { BotStore } from '../../bot/store/database.js';
import type { Database } from '../../bot/store/schema.js';

/** The same database, counting the statements and transactions sent through it. */
function counted(db: Kysely<Database>) {
  const counts = { statements: 0, transactions: 0 };
  const wrapped = db.withPlugin({
    transformQuery: (args) => {
      counts.statements++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  const transaction = wrapped.transaction.bind(wrapped);
  wrapped.transaction = () => {
    counts.transactions++;
    return transaction();
  };
  return { db: wrapped, counts };
}

const auditEntry = (i: number) => ({ actorAadId: `oid-${i}`, action: 'command.start', outcome: 'started' });

/**
 * The behaviour every store backend must have. Each backend's test file calls this with a factory for a fresh,
 * empty store; nothing here knows which database it talks to.
 */
export function storageContract(backend: string, openStore: () => Promise<BotStore>): void {
  describe(`store contract: ${backend}`, () => {
    let store: BotStore;
    beforeEach(async () => {
      store = await openStore();
    });
    afterEach(() => store.close());

    it('answers a ping', async () => {
      await store.ping();
    });

    it('reads back what was written, with an eTag', async () => {
      await store.storage.write({ a: { count: 1, nested: { ok: true } } });
      const items = await store.storage.read(['a', 'missing']);
      assert.deepEqual(Object.keys(items), ['a']);
      assert.equal(items.a.count, 1);
      assert.deepEqual(items.a.nested, { ok: true });
      assert.equal(typeof items.a.eTag, 'string');
    });

    it('changes the eTag on every write', async () => {
      await store.storage.write({ a: { v: 1 } });
      const first = (await store.storage.read(['a'])).a.eTag;
      await store.storage.write({ a: { v: 2, eTag: first } });
      const second = (await store.storage.read(['a'])).a;
      assert.equal(second.v, 2);
      assert.notEqual(second.eTag, first);
    });

    it('refuses a write with a stale eTag instead of overwriting', async () => {
      await store.storage.write({ a: { v: 1 } });
      const stale = (await store.storage.read(['a'])).a.eTag;
      await store.storage.write({ a: { v: 2, eTag: stale } });
      await assert.rejects(store.storage.write({ a: { v: 3, eTag: stale } }), /eTag conflict/);
      assert.equal((await store.storage.read(['a'])).a.v, 2);
    });

    it('writes unconditionally with "*" or no eTag', async () => {
      await store.storage.write({ a: { v: 1 } });
      await store.storage.write({ a: { v: 2, eTag: '*' } });
      await store.storage.write({ a: { v: 3 } });
      assert.equal((await store.storage.read(['a'])).a.v, 3);
    });

    it('lets exactly one of many concurrent first writers of a key win (SSO exchange de-duplication)', async () => {
      const attempts = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => store.storage.write({ exchange: { eTag: 'exchange-id', by: i } })),
      );
      const winners = attempts.filter((a) => a.status === 'fulfilled');
      assert.equal(winners.length, 1, 'one writer wins');
      for (const loser of attempts.filter((a) => a.status === 'rejected')) {
        assert.match(String((loser as PromiseRejectedResult).reason), /eTag conflict/);
      }
    });

    it('lets exactly one of concurrent updates with the same eTag win', async () => {
      await store.storage.write({ a: { v: 0 } });
      const etag = (await store.storage.read(['a'])).a.eTag;
      const attempts = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => store.storage.write({ a: { v: i + 1, eTag: etag } })),
      );
      assert.equal(attempts.filter((a) => a.status === 'fulfilled').length, 1);
    });

    it('writes all items of one call or none', async () => {
      await store.storage.write({ a: { v: 1 } });
      const etag = (await store.storage.read(['a'])).a.eTag;
      await store.storage.write({ a: { v: 2, eTag: etag } });
      await assert.rejects(store.storage.write({ b: { v: 1 }, a: { v: 3, eTag: etag } }));
      assert.deepEqual(Object.keys(await store.storage.read(['b'])), []);
    });

    it('deletes items and tolerates missing keys', async () => {
      await store.storage.write({ a: { v: 1 }, b: { v: 2 } });
      await store.storage.delete(['a', 'nope']);
      assert.deepEqual(Object.keys(await store.storage.read(['a', 'b'])), ['b']);
    });

    it('audit: one INSERT per record once this instance knows the tail, no tail read (issue 14)', async () => {
      const { db, counts } = counted(store.db);
      const audit = new AuditLog(db);
      await audit.append(auditEntry(1)); // reads the tail first
      const before = { ...counts };
      for (let i = 2; i <= 6; i++) await audit.append(auditEntry(i));
      const postgres = store.db.getExecutor().adapter instanceof PostgresAdapter;
      assert.deepEqual(
        { statements: counts.statements - before.statements, transactions: counts.transactions - before.transactions },
        // PostgreSQL wraps the INSERT in BEGIN/COMMIT (a killed writer's pending INSERT never commits by itself) and
        // takes the writers' advisory lock first (so careful writers, which read the tail under it, cannot starve).
        { statements: postgres ? 10 : 5, transactions: postgres ? 5 : 0 },
      );
      assert.deepEqual(await audit.verify(), { ok: true, records: 6 });
    });

    it('audit: three instances appending at once keep one unbroken chain', async () => {
      const instances = [new AuditLog(store.db), new AuditLog(store.db), new AuditLog(store.db)];
      const writes = Array.from({ length: 60 }, (_, i) => instances[i % 3]!.append(auditEntry(i)));
      const records = await Promise.all(writes);
      assert.equal(new Set(records.map((r) => Number(r.seq))).size, 60);
      assert.deepEqual(await instances[0]!.verify(), { ok: true, records: 60 });
      // And again once every instance has a (stale) remembered tail.
      await Promise.all(Array.from({ length: 30 }, (_, i) => instances[i % 3]!.append(auditEntry(i))));
      assert.deepEqual(await instances[1]!.verify(), { ok: true, records: 90 });
    });

    it('has the typed tables later features rely on', async () => {
      for (const table of ['pending_operations', 'approvals', 'audit_log', 'token_cache', 'auth_states'] as const) {
        const rows = await store.db.selectFrom(table).selectAll().execute();
        assert.deepEqual(rows, [], table);
      }
    });
  });
}
