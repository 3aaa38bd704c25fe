import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { StorageConflictError } from '../errors.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { BotStore } from '../store/database.js';
import type { IdentityService, SignInCompletion } from '../identity/index.js';
import { addressOfTurn } from './messenger.js';

const TOKEN_EXCHANGE = 'signin/tokenExchange';
const VERIFY_STATE = 'signin/verifyState';
const SIGNIN_FAILURE = 'signin/failure';

const FALLBACK = 'The bot is unable to exchange token. Proceed with regular login.';

async function invokeResponse(turn: TurnContext, status: number, body?: unknown): Promise<void> {
  await turn.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status, body } });
}

/** Teams puts the tenant on the conversation, and in channelData for older clients. */
function tenantOf(turn: TurnContext): string | undefined {
  return (
    turn.activity.conversation?.tenantId ??
    (turn.activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id
  );
}

/**
 * Who may exchange a Teams token now: within the sign-in rate limit (counted before any refusal is audited, so
 * callers from anywhere cannot flood the audit chain), with an Entra identity, in the bot's home tenant.
 */
export async function ssoCaller(
  turn: TurnContext,
  identity: IdentityService,
  completion: SignInCompletion,
  limits?: RateLimiter,
): Promise<{ oid: string; tenantId: string } | { failure: string }> {
  const oid = turn.activity.from?.aadObjectId;
  const tenantId = tenantOf(turn);
  // Teams sends one exchange per client of the user; ten in ten minutes is plenty.
  const limit = await limits?.signIn(oid ?? turn.activity.from?.id ?? 'unknown', tenantId ?? 'none');
  if (limit && !limit.allowed) {
    return { failure: `too many sign-in attempts; try again in ${limit.retryAfterSeconds} s` };
  }
  if (!oid || !tenantId) {
    await completion.auditSsoRefusal(turn.activity.from?.id ?? 'unknown', 'no-entra-identity');
    return { failure: 'no Entra identity on the activity' };
  }
  const home = identity.settings.homeTenantId;
  if (home && tenantId.toLowerCase() !== home) {
    // Another organisation's conversation: its token is not even sent to the authority.
    await completion.auditSsoRefusal(oid, 'other-tenant');
    return { failure: 'this bot serves another tenant' };
  }
  return { oid, tenantId };
}

const isInvoke = (name: string) => async (turn: TurnContext) =>
  turn.activity.type === ActivityTypes.Invoke && turn.activity.name === name;

/**
 * Teams SSO invokes, handled here rather than by teams-ai's authentication (whose routes would swallow them and
 * whose TeamsSsoPrompt drops claims):
 * - `signin/tokenExchange`: exchange (OBO) for every caller, so each gets 412 on failure and Teams falls back to
 *   the button; then one "first writer wins" marker in the eTag storage per exchange id, so the duplicates Teams
 *   sends from every client of the user are answered 200 without doing anything more.
 * - `signin/verifyState`: the popup finished; the sign-in itself completed server-side (link callback), so this only
 *   acknowledges (200 if the user is signed in, 404 otherwise).
 * - `signin/failure`: Teams could not get a token on the client; logged (code only) and acknowledged.
 */
export function installSsoRoutes(
  app: Application<TurnState>,
  identity: IdentityService,
  completion: SignInCompletion,
  store: BotStore,
  limits?: RateLimiter,
): void {
  app.addRoute(
    isInvoke(TOKEN_EXCHANGE),
    async (turn) => {
      const value = (turn.activity.value ?? {}) as { id?: string; connectionName?: string; token?: string };
      const { id = '', connectionName = '' } = value;
      if (!value.token || !id) {
        await invokeResponse(turn, 400, {
          id,
          connectionName,
          failureDetail: 'The token exchange request has no token or id.',
        });
        return;
      }
      const caller = await ssoCaller(turn, identity, completion, limits);
      if ('failure' in caller) {
        await invokeResponse(turn, 412, { id, connectionName, failureDetail: `${FALLBACK} (${caller.failure})` });
        return;
      }
      const { oid, tenantId } = caller;
      const exchanged = await completion.exchangeSso(value.token, { oid, tenantId });
      if ('failure' in exchanged) {
        await invokeResponse(turn, 412, { id, connectionName, failureDetail: `${FALLBACK} ${exchanged.failure}` });
        return;
      }
      const key = `sso-exchange/${turn.activity.channelId}/${turn.activity.conversation.id}/${id}`;
      try {
        await store.storage.write({ [key]: { eTag: id, at: Date.now() } });
      } catch (err) {
        if (err instanceof StorageConflictError) {
          // Another client of the same user already completed this exchange.
          await invokeResponse(turn, 200);
          return;
        }
        throw err;
      }
      await invokeResponse(turn, 200, { id, connectionName, failureDetail: null });
      await completion.finishSso(addressOfTurn(turn), exchanged.facts, exchanged.client, id);
    },
    true,
  );

  app.addRoute(
    isInvoke(VERIFY_STATE),
    async (turn) => {
      const oid = turn.activity.from?.aadObjectId;
      const tenantId = tenantOf(turn);
      const signedIn = oid && tenantId ? await identity.cachedSignIn(oid, tenantId) : undefined;
      await invokeResponse(turn, signedIn ? 200 : 404);
    },
    true,
  );

  app.addRoute(
    isInvoke(SIGNIN_FAILURE),
    async (turn) => {
      const value = (turn.activity.value ?? {}) as { code?: unknown };
      identity.log.warn(
        { failureCode: typeof value.code === 'string' ? value.code.slice(0, 64) : 'unknown' },
        'Teams SSO failed on the client',
      );
      await invokeResponse(turn, 200);
    },
    true,
  );
}
