import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { CodedError, ErrorCode } from '../errors.js';
import { migrateToLatest, ping } from './migrations.js';
import type { Database } from './schema.js';
import { DatabaseStorage } from './storage.js';

/** PostgreSQL's type id for int8 (`bigint`): epoch milliseconds and audit sequence numbers. */
const INT8_OID = 20;

export interface PostgresOptions {
  /** Connections per instance; every instance has its own pool on the shared server. */
  maxConnections?: number;
  /** How long a query may wait for a free connection (or a new one) before its turn fails. */
  acquireTimeoutMs?: number;
}

/**
 * `bigint` arrives from pg as text (it may exceed 2^53). Every bigint the bot stores is an epoch millisecond or a
 * sequence number, far below that, so the pool parses it to a number — the same shape SQLite returns — and refuses
 * a value that would lose precision rather than round it. Scoped to this pool: other pg users keep the default.
 */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint ${text} does not fit a JavaScript number`);
  return value;
}

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return parseInt8;
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  },
} as pg.CustomTypesConfig;

export interface PostgresStoreParts {
  db: Kysely<Database>;
  storage: DatabaseStorage;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the shared PostgreSQL store at `url` (postgres://user:password@host:port/database) and brings its schema
 * up to date. Several instances may start at once: Kysely's migrator takes an advisory lock, so each migration runs
 * once. The pool's connection errors never carry the URL (it may hold a password).
 */
export async function openPostgresStore(url: string, options: PostgresOptions = {}): Promise<PostgresStoreParts> {
  // A burst (hundreds of clicks on one card) queues for connections while audit appends take turns; waiting up to a
  // minute rides it out, where failing fast would fail turns that a moment later would have succeeded.
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 20,
    types,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: options.acquireTimeoutMs ?? 60_000,
  });
  // An idle client that loses its connection emits 'error' on the pool; without a listener that kills the process.
  pool.on('error', () => undefined);
  // A checked-out client (a transaction between two statements) emits 'error' on itself when the server goes away,
  // and the pool listens only while it is idle: without this, a database restart mid-transaction would crash the
  // process. The failure still reaches the caller, as the rejection of its next (or current) query.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateToLatest(db as Kysely<unknown>);
  } catch (err) {
    await db.destroy();
    throw new CodedError(ErrorCode.Storage, `The PostgreSQL database could not be opened: ${describe(err)}`, {
      cause: err,
    });
  }
  return {
    db,
    storage: new DatabaseStorage(db),
    ping: () => ping(db as Kysely<unknown>),
    close: () => db.destroy(),
  };
}

/** The server's reason, without the connection string. */
function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return [e.code, e.message].filter(Boolean).join(' ') || 'unknown error';
}
