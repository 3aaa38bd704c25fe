// Entra ID error codes (AADSTS…) the stand-in reproduces, with the wording Entra uses, so callers can branch
import { errors } from 'oidc-provider';
// on the same codes they will meet in production.

export const AADSTS = {
  invalidPassword: { code: 50126, message: 'Error validating credentials due to invalid username or password.' },
  userNotFound: { code: 50034, message: 'The user account does not exist in this directory.' },
  accountDisabled: { code: 50057, message: 'The user account is disabled.' },
  accountLocked: {
    code: 50053,
    message:
      'Your account is locked because you tried to sign in too many times with an incorrect user ID, password or ' +
      'verification code.',
  },
  invalidTotp: { code: 50181, message: 'The verification code is incorrect.' },
  mfaRequired: {
    code: 50076,
    message:
      'Due to a configuration change made by your administrator, or because you moved to a new location, you ' +
      'must use multi-factor authentication to access the resource.',
  },
  mfaRequiredObo: {
    code: 50079,
    message:
      'Due to a configuration change made by your administrator, or because you moved to a new location, you ' +
      'must enroll in multi-factor authentication to access the resource.',
  },
  invalidAssertion: { code: 50013, message: 'Assertion failed signature validation or is not usable.' },
  grantRevoked: {
    code: 50173,
    message:
      'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have ' +
      'changed or reset their password.',
  },
  assertionAudience: {
    code: 500131,
    message: 'Assertion audience does not match the Client app presenting the assertion.',
  },
} as const;

export type AadstsError = (typeof AADSTS)[keyof typeof AADSTS];

export function describe(error: AadstsError, detail?: string): string {
  return `AADSTS${error.code}: ${error.message}${detail ? ` ${detail}` : ''}`;
}

/** Typed failure of a sign-in step; `aadsts` is what the page shows and the sign-in log records. */
export class SignInError extends Error {
  constructor(
    readonly aadsts: AadstsError,
    detail?: string,
  ) {
    super(describe(aadsts, detail));
    this.name = 'SignInError';
  }
}

/**
 * An OAuth error whose error_description carries the AADSTS text. oidc-provider's own InvalidGrant always
 * answers the generic "grant request is invalid" and hides its detail, so CustomOIDCProviderError is used.
 */
export function oauthError(
  error: 'invalid_grant' | 'invalid_request' | 'invalid_client' | 'interaction_required',
  aadsts: AadstsError,
  detail?: string,
): Error {
  return new errors.CustomOIDCProviderError(error, describe(aadsts, detail));
}

/**
 * Entra's extra error members for an oidc-provider error body: `error_codes` from the AADSTS number, suberror
 * `bad_token` for a revoked grant, and the claims challenge of a step-up (msal-node turns both suberrors into
 * InteractionRequiredAuthError; oidc-provider's error renderer only outputs error + error_description).
 */
export function entraErrorExtras(
  body: { error?: unknown; error_description?: unknown },
  claimsChallenge?: unknown,
): Record<string, unknown> {
  const match = typeof body.error_description === 'string' ? /^AADSTS(\d+)/.exec(body.error_description) : null;
  if (!body.error || !match) return {};
  const code = Number(match[1]);
  if (code === AADSTS.grantRevoked.code) return { error_codes: [code], suberror: 'bad_token' };
  if (body.error === 'interaction_required' && typeof claimsChallenge === 'string') {
    return { error_codes: [code], suberror: 'basic_action', claims: claimsChallenge };
  }
  return { error_codes: [code] };
}
