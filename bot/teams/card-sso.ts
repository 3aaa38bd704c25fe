import type { TurnContext } from 'botbuilder';
import type { IdentityService, SignInCompletion } from '../identity/index.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import { ssoCaller } from './sso-routes.js';

/** The `authentication` Teams adds when it sends a card click again after a login request (Universal Actions SSO). */
export interface CardClickToken {
  id?: string;
  token?: string;
}

export type CardSsoResult =
  | { kind: 'signed-in' }
  /** The link completed first and already resumed the parked command: this click must not run it again. */
  | { kind: 'already-resumed' }
  | { kind: 'refused'; message: string };

/**
 * Universal Actions SSO: a card click answered with a login request comes back with a Teams token for the bot. The
 * token is exchanged on behalf of the user (the same checks as `signin/tokenExchange`: rate limit, home tenant, the
 * clicker's own identity), the sign-in is audited and kept, and the command parked for the first click is withdrawn
 * so that the click, run now, is its only run.
 */
export async function signInFromCardClick(
  turn: TurnContext,
  signIn: { identity: IdentityService; completion: SignInCompletion; limits?: RateLimiter },
  auth: CardClickToken,
): Promise<CardSsoResult> {
  const { identity, completion, limits } = signIn;
  if (!identity.settings.teamsSso) return { kind: 'refused', message: 'Teams single sign-on is not enabled.' };
  const caller = await ssoCaller(turn, identity, completion, limits);
  if ('failure' in caller) return { kind: 'refused', message: `Single sign-on failed: ${caller.failure}.` };
  const exchanged = await completion.exchangeSso(auth.token ?? '', caller);
  if ('failure' in exchanged) return { kind: 'refused', message: `Single sign-on failed: ${exchanged.failure}` };
  const conversationId = turn.activity.conversation?.id ?? '';
  await completion.acceptSso(conversationId, exchanged.facts, exchanged.client);
  if (auth.id && (await completion.withdrawParked(auth.id, caller.oid, conversationId)) === 'taken') {
    return { kind: 'already-resumed' };
  }
  return { kind: 'signed-in' };
}
