import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { AuditLog } from '../../bot/audit/log.js';
import { loadConfig } from '../../bot/config.js';
import { openStore, type BotStore } from '../../bot/store/database.js';
import { startTestPostgres, type TestPostgres } from './postgres-server.js';
import { storageContract } from './storage-contract.js';

let server: TestPostgres;
/** One migrated database for the contract suite, emptied before each test (creating a database costs seconds). */
let contractUrl: string;
before(async function () {
  this.timeout(60_000);
  server = await startTestPostgres();
  contractUrl = await server.createDatabase();
});
after(() => server?.stop());

storageContract('postgres', async () => {
  const store = await openStore({ DATABASE_URL: contractUrl, DATA_DIR: ':memory:' });
  const tables = await store.db.introspection.getTables();
  await sql`truncate ${sql.join(tables.map((t) => sql.table(t.name)))}`.execute(store.db);
  return store;
});

describe('postgres store', () => {
  const open: BotStore[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  const openShared = async (url: string) => {
    const store = await openStore({ DATABASE_URL: url, DATA_DIR: ':memory:' });
    open.push(store);
    return store;
  };

  it('is chosen by DATABASE_URL, and SQLite without it', async () => {
    const url = await server.createDatabase();
    assert.equal((await openShared(url)).backend, 'postgres');
    assert.equal(loadConfig({ DATABASE_URL: url }).DATABASE_URL, url);
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL: must be a postgres/);
    const sqlite = await openStore(loadConfig({ DATA_DIR: ':memory:' }));
    open.push(sqlite);
    assert.equal(sqlite.backend, 'sqlite');
  });

  it('lets several instances start on one empty database at once: the schema is migrated once', async () => {
    const url = await server.createDatabase();
    const stores = await Promise.all([openShared(url), openShared(url), openShared(url)]);
    const applied = await stores[0].db
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute();
    const names = applied.map((r) => (r as { name: string }).name);
    // Each migration once, in order (later sessions append migrations; the list grows, it never repeats).
    assert.deepEqual(names.slice(0, 5), [
      '001_core',
      '002_list_cursors',
      '003_audit_ref',
      '004_approval_execution',
      '005_schedules',
    ]);
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual([...names].sort(), names);
  });

  it('returns bigint columns as numbers, as SQLite does', async () => {
    const store = await openShared(await server.createDatabase());
    const at = Date.now();
    await store.db.insertInto('token_cache').values({ partition_key: 'p', data: 'x', updated_at: at }).execute();
    const row = await store.db.selectFrom('token_cache').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.updated_at, at);
  });

  it('keeps the audit chain intact under many concurrent appends from two instances (two pools)', async function () {
    this.timeout(60_000);
    const url = await server.createDatabase();
    const [a, b] = await Promise.all([openShared(url), openShared(url)]);
    const logs = [new AuditLog(a.db), new AuditLog(b.db)];
    const perInstance = 100;
    const appends = Array.from({ length: perInstance * 2 }, (_, i) =>
      logs[i % 2].append({ actorAadId: `actor-${i}`, action: 'test.append', outcome: `n${i}` }),
    );
    const records = await Promise.all(appends);
    assert.equal(new Set(records.map((r) => r.seq)).size, perInstance * 2, 'every append got its own seq');
    const verified = await logs[1].verify();
    assert.deepEqual(verified, { ok: true, records: perInstance * 2 });
    // And a tampered record is found from either instance.
    await a.db.updateTable('audit_log').set({ outcome: 'changed' }).where('seq', '=', 17).execute();
    const broken = await logs[0].verify();
    assert.equal(broken.ok, false);
    assert.equal(!broken.ok && broken.brokenSeq, 17);
  });
});
