/**
 * Coded errors (in the style of bolt-js): callers branch on `code`, never on message text. Every error that can
 * reach a user maps to a card in `bot/commands/error-output.ts`; anything uncoded is reported as `internal` with a
 * correlation id and never shows its message or stack in chat.
 */
export enum ErrorCode {
  Usage = 'usage',
  UnknownCommand = 'unknown_command',
  MessageTooLong = 'message_too_long',
  NotSignedIn = 'not_signed_in',
  Forbidden = 'forbidden',
  StepUpRequired = 'step_up_required',
  ApprovalRequired = 'approval_required',
  Graph = 'graph',
  Ambiguous = 'ambiguous',
  NotFound = 'not_found',
  Conflict = 'conflict',
  Storage = 'storage',
  /** The identity provider (Entra ID) cannot be reached: nothing that needs a new token can run. */
  IdentityUnavailable = 'identity_unavailable',
  Internal = 'internal',
}

/**
 * The one error shape: a code to branch on, a message for the admin, and optionally a card title and the Graph
 * error code and request-id (shown on the card, kept in audit and outcome records).
 */
export class CodedError extends Error {
  declare readonly title?: string;
  declare readonly graphCode?: string;
  declare readonly requestId?: string;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A command's arguments did not parse or validate; `argument` names the offending one when known. */
export class UsageError extends CodedError {
  constructor(
    message: string,
    readonly commandName?: string,
    readonly argument?: string,
  ) {
    super(ErrorCode.Usage, message);
  }
}

export class UnknownCommandError extends CodedError {
  constructor(
    readonly typed: string,
    readonly suggestions: string[],
  ) {
    super(ErrorCode.UnknownCommand, `Unknown command "${typed}"`);
  }
}

export class MessageTooLongError extends CodedError {
  constructor(
    readonly length: number,
    readonly limit: number,
  ) {
    super(ErrorCode.MessageTooLong, `The message has ${length} characters; commands are at most ${limit}.`);
  }
}

/** A name matched several objects: the admin picks one from a choice card; we never guess. */
export class AmbiguousTargetError extends CodedError {
  constructor(
    readonly typed: string,
    readonly candidates: Array<{ label: string; value: string }>,
  ) {
    super(ErrorCode.Ambiguous, `"${typed}" matches ${candidates.length} objects. Pick one.`);
  }
}

/** The named object does not exist (found by a query that returned nothing, rather than by a Graph 404). */
export class NotFoundError extends CodedError {
  override readonly title = 'Not found';
  constructor(message: string) {
    super(ErrorCode.NotFound, message);
  }
}

export class StorageConflictError extends CodedError {
  constructor(readonly key: string) {
    super(ErrorCode.Conflict, `Storage: eTag conflict writing "${key}"`);
  }
}

export function isCodedError(err: unknown): err is CodedError {
  return err instanceof CodedError;
}
