import { PostgresAdapter, sql, type QueryExecutorProvider } from 'kysely';

/**
 * Serialises the writers of `name` until the surrounding transaction ends, across every instance on the database.
 * For "read the tail, then append after it" writes (the audit chain): on PostgreSQL, READ COMMITTED lets two
 * transactions read the same tail, and the loser of the unique key would retry again and again under load; a
 * transaction-scoped advisory lock makes them take turns instead. SQLite already runs one write transaction at a
 * time, so there it is a no-op. Call it first thing inside `db.transaction()`.
 */
export async function serializeWriters(tx: QueryExecutorProvider, name: string): Promise<void> {
  if (!(tx.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`select pg_advisory_xact_lock(hashtext(${`teams-admin-bot:${name}`}))`.execute(tx);
}
