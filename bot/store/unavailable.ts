import type { CommandOutput } from '../commands/types.js';
import { CodedError, ErrorCode } from '../errors.js';

/**
 * Errors that mean "the database cannot be reached right now" (as opposed to a bad query or a conflict): the
 * PostgreSQL server is down, restarting, refusing connections or out of them, the pool timed out waiting, or the
 * SQLite file cannot be opened, read or written. Checked along the `cause` chain, since callers wrap them — but
 * not through another subsystem's coded error: a Graph or identity failure caused by ECONNREFUSED is not the
 * database being away.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/**
 * SQLSTATE: class 08 (connection exception), 57P01–57P03 (admin/crash shutdown, cannot connect now), 53300 (too many
 * connections).
 */
const SQLSTATE = /^(08\w{3}|57P0[123]|53300)$/;
const SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|CORRUPT|NOTADB)/;
const MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection is closed|the database system is (shutting down|starting up|in recovery mode)/i;

export function isStoreUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof CodedError && e.code !== ErrorCode.Storage) return false;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATE.test(code) || SQLITE_CODES.test(code)))
      return true;
    if (typeof message === 'string' && MESSAGES.test(message)) return true;
  }
  return false;
}

/** What the admin sees when a turn failed for that reason: nothing was done, and a reference for the operator. */
export function storeUnavailableOutput(correlationId: string): CommandOutput {
  const message =
    "The bot's database is unavailable, so nothing was done. Try again in a minute; if it keeps happening, give " +
    'the reference below to your bot operator.';
  return {
    card: 'error',
    data: { title: "The bot's database is unavailable", message, graphCode: '', requestId: '', correlationId },
    text: `The bot's database is unavailable; nothing was done (reference ${correlationId}).`,
  };
}
