import { GraphRequestError } from '../../graph/errors.js';

/**
 * The same Graph error (status, code, request-id unchanged) with a sentence in front that says what it means for
 * this command, e.g. "Alice is already a member of Sales." before Graph's generic 400. The code stays what
 * callers and the audit branch on; the sentence is only for the admin reading the card.
 */
export function explainGraphError(err: GraphRequestError, explanation: string): GraphRequestError {
  const explained = new GraphRequestError(
    err.status,
    err.graphCode,
    err.graphMessage,
    err.requestId,
    err.retryAfterSeconds,
    err.tried,
  );
  explained.message = `${explanation} ${err.message}`;
  return explained;
}
