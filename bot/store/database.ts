import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import { CodedError, ErrorCode } from '../errors.js';
import { migrateToLatest, ping } from './migrations.js';
import { openPostgresStore } from './postgres.js';
import type { Database } from './schema.js';
import { DatabaseStorage } from './storage.js';

export interface BotStore {
  readonly db: Kysely<Database>;
  readonly storage: DatabaseStorage;
  readonly backend: 'sqlite' | 'postgres';
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The part of the configuration that picks the store. */
export interface StoreConfig {
  /** postgres://… : the shared PostgreSQL server several instances use. Unset: SQLite under DATA_DIR (one instance). */
  DATABASE_URL?: string;
  DATA_DIR: string;
}

/**
 * The one place the backend is chosen: PostgreSQL when `DATABASE_URL` is set (several instances share it), the
 * embedded SQLite file otherwise. Both run the same migrations and the same query code.
 */
export async function openStore(config: StoreConfig): Promise<BotStore> {
  if (!config.DATABASE_URL) return openSqliteStore(config.DATA_DIR);
  return { ...(await openPostgresStore(config.DATABASE_URL)), backend: 'postgres' };
}

/** Distinct SQL texts kept prepared; the bot issues a few dozen, so this is never reached in practice. */
const MAX_PREPARED_STATEMENTS = 500;

/**
 * Kysely prepares every query again (parse + plan in SQLite, a native allocation each time); a turn runs about a
 * dozen statements from a small set of SQL texts. Keeping prepared statements by text removes that work: the
 * parameters are bound per call, and better-sqlite3 runs synchronously, so a statement is never in use twice at once.
 */
function withStatementCache(sqlite: BetterSqlite3.Database): SqliteDatabase {
  const prepared = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = prepared.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        if (prepared.size >= MAX_PREPARED_STATEMENTS) prepared.delete(prepared.keys().next().value!);
        prepared.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * Opens the embedded SQLite store under `dataDir` (`:memory:` for throwaway stores in tests) and brings its
 * schema up to date. WAL lets readers proceed during a write; the busy timeout rides out a brief lock instead of
 * failing a turn.
 */
export async function openSqliteStore(dataDir: string): Promise<BotStore> {
  let file = ':memory:';
  let db: Kysely<Database> | undefined;
  try {
    if (dataDir !== ':memory:') {
      mkdirSync(dataDir, { recursive: true });
      file = join(dataDir, 'bot.sqlite');
    }
    const sqlite = new BetterSqlite3(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    await migrateToLatest(db as Kysely<unknown>);
  } catch (err) {
    await db?.destroy().catch(() => undefined);
    const { code, message } = err as { code?: string; message?: string };
    const reason = code && !message?.includes(code) ? `${code} ${message ?? ''}` : (message ?? String(err));
    throw new CodedError(
      ErrorCode.Storage,
      `The SQLite database in DATA_DIR (${dataDir}) could not be opened: ${reason}`,
      { cause: err },
    );
  }
  return {
    db,
    storage: new DatabaseStorage(db),
    backend: 'sqlite',
    ping: () => ping(db as Kysely<unknown>),
    close: () => db.destroy(),
  };
}
