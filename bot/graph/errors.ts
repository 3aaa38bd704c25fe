import { CodedError, ErrorCode } from '../errors.js';

/** Plain-language reasons for the Graph error codes admins meet most; the code itself is always shown too. */
const REASONS: Record<string, string> = {
  Request_ResourceNotFound: 'Graph found no such object (it may have been deleted, or the name is wrong).',
  ResourceNotFound: 'Graph found no such object.',
  NotFound: 'Graph found no such object.',
  itemNotFound: 'Graph found no such object.',
  Authorization_RequestDenied: 'Your admin role or the bot’s consented permissions do not allow this operation.',
  Forbidden: 'Your admin role or the bot’s consented permissions do not allow this operation.',
  InvalidAuthenticationToken: 'Graph did not accept the sign-in token. Sign in again.',
  Request_BadRequest: 'Graph refused the request as invalid.',
  Request_UnsupportedQuery: 'Graph does not support this query.',
  BadRequest: 'Graph refused the request as invalid.',
  TooManyRequests: 'Graph is throttling requests from this tenant. Try again shortly.',
  RoleAssignmentRequestPolicyValidationFailed: 'The role settings (PIM policy) refused the activation.',
  serviceNotAvailable: 'Graph is temporarily unavailable. Nothing was changed; try again shortly.',
};

/** How hard the client tried before giving up (shown to the admin, so a throttled command says what it did). */
export interface AttemptSummary {
  attempts: number;
  /** Milliseconds spent waiting between attempts (Retry-After or backoff). */
  waitedMs: number;
  /** Why the client stopped retrying a retryable failure, if it did. */
  gaveUp?: 'attempts' | 'retry-after-too-long' | 'budget';
}

/** A Graph call that failed: carries Graph's error code and request-id for the error card and the audit. */
export class GraphRequestError extends CodedError {
  override readonly title: string = 'Microsoft Graph refused the request';
  constructor(
    readonly status: number,
    override readonly graphCode: string,
    readonly graphMessage: string,
    override readonly requestId: string | undefined,
    readonly retryAfterSeconds?: number,
    readonly tried?: AttemptSummary,
  ) {
    super(ErrorCode.Graph, graphErrorMessage(status, graphCode, graphMessage, retryAfterSeconds, tried));
  }
}

function graphErrorMessage(
  status: number,
  code: string,
  message: string,
  retryAfter?: number,
  tried?: AttemptSummary,
): string {
  const reason =
    REASONS[code] ??
    (status >= 500
      ? 'Graph failed on its side. Nothing was retried that could run twice.'
      : 'Graph refused the request.');
  const wait = retryAfter !== undefined ? ` Graph asks to wait ${retryAfter} s.` : '';
  return `${reason}${wait}${triedSentence(tried)} (${status}: ${message})`;
}

/** " Tried 4 times over 3.2 s; stopped to keep within the Teams reply time." — empty for a single attempt. */
export function triedSentence(tried: AttemptSummary | undefined): string {
  if (!tried || tried.attempts <= 1)
    return tried?.gaveUp === 'retry-after-too-long'
      ? ' That is longer than the bot holds a command open; try again after it.'
      : '';
  const seconds = (tried.waitedMs / 1000).toFixed(1);
  const why =
    tried.gaveUp === 'retry-after-too-long'
      ? '; Graph then asked for a longer wait than the bot holds a command open'
      : tried.gaveUp === 'budget'
        ? '; stopped to keep within the time Teams allows for an answer'
        : '';
  return ` Tried ${tried.attempts} times, waiting ${seconds} s in all${why}.`;
}

/**
 * A write whose result the bot cannot know: it timed out, the connection broke, a gateway failed (5xx), or
 * Graph's answer could not be read. It was NOT sent again (it may have been applied already — see
 * retry-policy.ts), so it cannot have run twice; the admin must look before trying again. `checkWith` is filled
 * in by the command layer with the read command that shows the truth.
 */
export class GraphOutcomeUnknownError extends CodedError {
  override readonly title = 'Outcome unknown: check before trying again';
  checkWith?: string;
  constructor(
    /** Graph's code when it answered, else `Timeout`, `ConnectionLost` or `GraphMalformedResponse`. */
    override readonly graphCode: string,
    override readonly requestId: string | undefined,
    readonly what: string,
    readonly status?: number,
  ) {
    super(ErrorCode.Graph, `${what} It was not sent again, so it cannot have run twice.`);
  }
}

/** A read that failed on the way (timeouts, broken connections) after every retry the budget allowed. */
export class GraphUnavailableError extends CodedError {
  override readonly title = 'Microsoft Graph did not answer';
  constructor(
    override readonly graphCode: 'Timeout' | 'ConnectionLost',
    readonly what: string,
    readonly tried: AttemptSummary,
  ) {
    super(ErrorCode.Graph, `${what}${triedSentence(tried)} Nothing was changed; try again in a minute.`);
  }
  override readonly requestId = undefined;
}

/** Graph (or something in front of it) answered with a body that is not the JSON it promised. */
export class GraphMalformedResponseError extends CodedError {
  override readonly title = 'Microsoft Graph sent an unreadable answer';
  override readonly graphCode = 'GraphMalformedResponse';
  constructor(
    readonly status: number,
    readonly contentType: string,
    override readonly requestId: string | undefined,
    readonly tried: AttemptSummary,
  ) {
    super(
      ErrorCode.Graph,
      `Graph answered ${status} with a body that is not valid JSON (${contentType || 'no content type'}).${triedSentence(tried)} ` +
        `Nothing was changed; try again shortly.`,
    );
  }
}

/**
 * Graph answered 401 `insufficient_claims`: the operation needs a stronger sign-in (an authentication context
 * such as `c1`, or a fresh sign-in after revocation). The identity module turns this into a step-up and retries
 * the command once.
 */
export class ClaimsChallengeError extends CodedError {
  constructor(
    readonly claims: string,
    override readonly requestId: string | undefined,
  ) {
    super(ErrorCode.StepUpRequired, 'Microsoft Graph requires a stronger sign-in for this operation.');
  }
}

/** Parses `WWW-Authenticate: Bearer …, error="insufficient_claims", claims="<base64>"` → the claims JSON. */
export function claimsFromChallenge(header: string | null | undefined): string | undefined {
  if (!header || !/error="insufficient_claims"/i.test(header)) return undefined;
  const encoded = /claims="([^"]+)"/i.exec(header)?.[1];
  if (!encoded) return undefined;
  try {
    const json = Buffer.from(encoded, 'base64').toString('utf8');
    JSON.parse(json);
    return json;
  } catch {
    return undefined;
  }
}
