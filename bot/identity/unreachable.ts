import { CodedError, ErrorCode } from '../errors.js';

/** msal's codes for "the authority did not answer" (as opposed to "the authority said no"). */
const UNREACHABLE_CODES = new Set([
  'network_error',
  'endpoints_resolution_error',
  'openid_config_error',
  'no_network_connectivity',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Whether a token or discovery request failed because the authority could not be reached (down, network, DNS),
 * looked for along the `cause` chain. An answer from the authority (invalid_grant, interaction_required…) is not.
 */
export function isAuthorityUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const { errorCode, code } = e as { errorCode?: unknown; code?: unknown };
    if (typeof errorCode === 'string' && UNREACHABLE_CODES.has(errorCode)) return true;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  }
  return false;
}

export const AUTHORITY_UNREACHABLE = 'The identity provider (Microsoft Entra ID) could not be reached';

/**
 * A command needed a new token (the cached one expired) and the authority is unreachable. Not a sign-in prompt:
 * signing in needs the same authority, so the honest answer is "not now, nothing was done".
 */
export class AuthorityUnreachableError extends CodedError {
  override readonly title = 'Sign-in service unreachable';
  constructor(options?: { cause?: unknown }) {
    super(
      ErrorCode.IdentityUnavailable,
      `Your sign-in needs renewing, and ${AUTHORITY_UNREACHABLE.replace('The identity', 'the identity')}, so ` +
        `nothing was done. Try again in a few minutes.`,
      options,
    );
  }
}
