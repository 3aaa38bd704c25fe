import { InteractionRequiredAuthError, type AccountInfo, type ConfidentialClientApplication } from '@azure/msal-node';
import { AccountDisabledError, isAccountDisabled } from './account-disabled.js';
import type { Kysely } from 'kysely';
import type { Admission } from '../commands/admission.js';
import type { AdminSession } from '../commands/types.js';
import { createGraphClient, type GraphApi } from '../graph/client.js';
import { ClaimsChallengeError } from '../graph/errors.js';
import type { RetrySettings } from '../graph/retry-policy.js';
import type { Logger } from '../log.js';
import type { TrustAnchors } from '../net/trust.js';
import type { Database } from '../store/schema.js';
import { AuthStates } from './auth-states.js';
import type { IdentitySettings } from './config.js';
import { Sealer } from './crypto.js';
import { MsalClients } from './msal.js';
import { PendingOperations } from './pending-operations.js';
import { stepUpPolicy, type StepUpPolicy } from './policy.js';
import { currentRoleTemplateIds } from './roles.js';
import { tokenFacts, type TokenFacts } from './token-claims.js';
import { TokenCacheStore, partitionKeyFor } from './token-cache.js';
import { AuthorityUnreachableError, isAuthorityUnreachable } from './unreachable.js';

/** Delegated Graph access: the permissions consented to the bot app (the resource is Graph, wherever it is served). */
/** msal-node refreshes an access token this close to its expiry (its default `tokenRenewalOffsetSeconds`: 300). */
const TOKEN_REFRESH_MARGIN_MS = 300_000;

export const GRAPH_SCOPES = ['https://graph.microsoft.com/.default'];

/**
 * Graph with the configured timeouts/budget (unset values left to the client's defaults) over the identity trust
 * anchors.
 */
export function identityGraphClient(
  settings: IdentitySettings,
  trust: TrustAnchors,
  log: Logger,
  accessToken: () => Promise<string>,
  admission?: Admission,
): GraphApi {
  const configured = settings.graphRetry ?? {};
  const retry = Object.fromEntries(
    Object.entries(configured).filter(([, v]) => v !== undefined),
  ) as Partial<RetrySettings>;
  const admitted = admission ? () => admission.ready() : undefined;
  return createGraphClient({ baseUrl: settings.graphBaseUrl, accessToken, log, trust, retry, admitted });
}

/** A signed-in user's cached token, read silently (no prompt, no Graph call yet). */
export interface CachedSignIn {
  facts: TokenFacts;
  accessToken: string;
  client: ConfidentialClientApplication;
  account: AccountInfo;
}

/**
 * The identity module's state and its plumbing: settings, msal clients over the encrypted shared cache, the
 * sign-in states and parked commands, the step-up policy, and Graph access as a signed-in admin.
 */
export class IdentityService {
  readonly msal: MsalClients;
  readonly states: AuthStates;
  readonly pending: PendingOperations;
  readonly policy: StepUpPolicy;
  readonly sealer: Sealer;

  constructor(
    readonly settings: IdentitySettings,
    db: Kysely<Database>,
    readonly log: Logger,
    readonly trust: TrustAnchors,
  ) {
    this.sealer = new Sealer(settings.cacheKey);
    this.msal = new MsalClients(settings, new TokenCacheStore(db, this.sealer, log), log, trust.extraCaPem);
    this.states = new AuthStates(db);
    this.pending = new PendingOperations(db);
    this.policy = stepUpPolicy(settings.mfaMaxAgeSeconds);
  }

  /**
   * The user's cached sign-in for this tenant, refreshed silently when the access token is old. Undefined when
   * there is none or the authority wants an interactive sign-in (refresh token revoked or expired). Throws
   * `AuthorityUnreachableError` when the token must be refreshed and the authority cannot be reached: a sign-in
   * prompt would be misleading then (it needs the same authority).
   */
  async cachedSignIn(oid: string, tenantId: string): Promise<CachedSignIn | undefined> {
    const client = this.msal.forPartition(partitionKeyFor(oid, tenantId));
    const account = await client.getTokenCache().getAccountByLocalId(oid);
    if (!account || account.tenantId.toLowerCase() !== tenantId.toLowerCase()) return undefined;
    try {
      const result = await client.acquireTokenSilent({ account, scopes: GRAPH_SCOPES });
      if (!result?.accessToken) return undefined;
      const facts = tokenFacts(result.accessToken, result.idTokenClaims as Record<string, unknown>);
      if (facts.oid.toLowerCase() !== oid.toLowerCase() || facts.tid.toLowerCase() !== tenantId.toLowerCase())
        return undefined;
      return { facts, accessToken: result.accessToken, client, account };
    } catch (err) {
      if (isAccountDisabled(err)) throw new AccountDisabledError(account.username);
      if (err instanceof InteractionRequiredAuthError) return undefined;
      this.log.warn({ errorCode: (err as { errorCode?: string }).errorCode }, 'silent token acquisition failed');
      if (isAuthorityUnreachable(err)) throw new AuthorityUnreachableError({ cause: err });
      return undefined;
    }
  }

  /** Graph as the user of a cached sign-in (used for the role check before a session exists). */
  graphAs(signIn: CachedSignIn): GraphApi {
    return this.graphClient(async () => signIn.accessToken);
  }

  /** Graph as the session's admin; while the session's role re-check is pending, answers wait for its verdict. */
  graphFor(session: AdminSession): GraphApi {
    return this.graphClient(() => session.accessToken(), session.admission);
  }

  /** The one Graph client factory of the identity module (delegated and app-only alike). */
  graphClient(accessToken: () => Promise<string>, admission?: Admission): GraphApi {
    return identityGraphClient(this.settings, this.trust, this.log, accessToken, admission);
  }

  async roles(signIn: CachedSignIn): Promise<string[]> {
    return currentRoleTemplateIds(this.graphAs(signIn));
  }

  /**
   * The `AdminSession` commands see: facts of this moment, roles as just checked, tokens only through `accessToken`.
   * The token the gate just acquired serves every Graph call of this command while it has more than msal's own
   * refresh margin left — msal would hand back the same cached token, after reading and decrypting the user's cache
   * partition from the store once more per call. `admission`: the role re-check still in flight (reads only).
   */
  session(signIn: CachedSignIn, roleTemplateIds: string[], admission?: Admission): AdminSession {
    const { facts, client, account } = signIn;
    let current = { token: signIn.accessToken, expiresOn: facts.expiresOn };
    const fresh = () =>
      current.expiresOn !== undefined && current.expiresOn.getTime() - Date.now() > TOKEN_REFRESH_MARGIN_MS;
    return {
      oid: facts.oid,
      upn: facts.upn,
      tenantId: facts.tid,
      roleTemplateIds,
      mfa: { amr: facts.amr, acrs: facts.acrs, authTime: facts.authTime },
      tokenExpiresOn: facts.expiresOn,
      ...(admission ? { admission } : {}),
      accessToken: async (claims?: string) => {
        if (!claims) {
          if (fresh()) return current.token;
          const result = await client.acquireTokenSilent({ account, scopes: GRAPH_SCOPES }).catch((err: unknown) => {
            throw isAuthorityUnreachable(err) ? new AuthorityUnreachableError({ cause: err }) : err;
          });
          current = { token: result.accessToken, expiresOn: result.expiresOn ?? undefined };
          return result.accessToken;
        }
        // A claims request skips the cached token and refreshes; if that cannot satisfy it, step up.
        try {
          const result = await client.acquireTokenSilent({ account, scopes: GRAPH_SCOPES, claims });
          // Later calls of this command use the token that satisfied the challenge.
          current = { token: result.accessToken, expiresOn: result.expiresOn ?? undefined };
          return result.accessToken;
        } catch (err) {
          if (err instanceof InteractionRequiredAuthError) throw new ClaimsChallengeError(claims, undefined);
          throw err;
        }
      },
    };
  }

  /** Sign-out: the user's token-cache partition is deleted (for every instance). */
  async signOut(oid: string, tenantId: string): Promise<boolean> {
    return this.msal.clear(partitionKeyFor(oid, tenantId));
  }
}
