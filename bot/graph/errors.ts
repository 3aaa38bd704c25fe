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

/** A Graph call that failed: carries Graph's error code and request-id for the error card and the audit. */
export class GraphRequestError extends CodedError {
  readonly title = 'Microsoft Graph refused the request';
  constructor(
    readonly status: number,
    readonly graphCode: string,
    readonly graphMessage: string,
    readonly requestId: string | undefined,
    readonly retryAfterSeconds?: number,
  ) {
    super(ErrorCode.Graph, graphErrorMessage(status, graphCode, graphMessage, retryAfterSeconds));
  }
}

function graphErrorMessage(status: number, code: string, message: string, retryAfter?: number): string {
  const reason = REASONS[code] ?? (status >= 500 ? 'Graph failed on its side. Nothing was retried that could run twice.' : 'Graph refused the request.');
  const wait = retryAfter !== undefined ? ` Graph asks to wait ${retryAfter} s.` : '';
  return `${reason}${wait} (${status}: ${message})`;
}

/**
 * Graph answered 401 `insufficient_claims`: the operation needs a stronger sign-in (an authentication context
 * such as `c1`, or a fresh sign-in after revocation). The identity module turns this into a step-up and retries
 * the command once.
 */
export class ClaimsChallengeError extends CodedError {
  constructor(
    readonly claims: string,
    readonly requestId: string | undefined,
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
