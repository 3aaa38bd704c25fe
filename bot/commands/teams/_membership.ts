import { GraphRequestError } from '../../graph/errors.js';
import { explainGraphError } from '../_lib/graph-hint.js';
import type { GraphUser } from '../_lib/users.js';

/** User properties a membership change shows and checks (accountEnabled explains Teams' 404 for blocked users). */
export const MEMBER_USER_FIELDS = ['id', 'displayName', 'userPrincipalName', 'accountEnabled', 'userType'];

/**
 * Teams answers 404 NotFound when asked to add a blocked (disabled) account, exactly as for an unknown one.
 * We already hold the user, so say which it is; Graph's code and request-id stay on the card.
 */
export function explainAddFailure(err: unknown, user: GraphUser): unknown {
  if (err instanceof GraphRequestError && err.status === 404 && user.accountEnabled === false) {
    return explainGraphError(
      err,
      `${user.userPrincipalName ?? user.id} is blocked from signing in, and Teams does not add blocked accounts: ` +
        `it answers 404 as if the user did not exist. Unblock them first ("user unblock ${user.userPrincipalName ?? user.id}") ` +
        `or pick another user.`,
    );
  }
  return err;
}
