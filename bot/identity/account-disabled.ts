import { AuthError } from '@azure/msal-node';

/** Entra's answer to a token request for a disabled account (invalid_grant, `AADSTS50057`). */
const ACCOUNT_DISABLED = '50057';

/**
 * The authority refused to refresh the cached sign-in because the account is disabled. A sign-in card would only
 * lead to the same refusal on the sign-in page, so the gate says what happened instead. The cache is kept: once
 * the account is enabled again, the same sign-in works without a new link.
 */
export class AccountDisabledError extends Error {
  constructor(readonly upn: string) {
    super('The account is disabled');
    this.name = 'AccountDisabledError';
  }
}

export function isAccountDisabled(err: unknown): boolean {
  if (!(err instanceof AuthError)) return false;
  const errorNo = (err as AuthError & { errorNo?: string }).errorNo;
  return errorNo === ACCOUNT_DISABLED || new RegExp(`\\bAADSTS${ACCOUNT_DISABLED}\\b`).test(err.errorMessage ?? '');
}
