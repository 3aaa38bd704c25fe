// Koa middleware around oidc-provider that bridges Entra request/response conventions msal-node relies on.
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { clientInfo } from './entra-claims.js';
import { entraErrorExtras } from './entra-errors.js';
import { normalizeScopeParam } from './scopes.js';
import type { IdentityTenant } from './tenant-view.js';

type Query = Record<string, string | string[] | undefined>;

/**
 * Authorization requests:
 * - bare Graph permissions (`User.Read`) are qualified (`https://graph.microsoft.com/User.Read`);
 * - an Entra claims request with only `access_token` gets an empty `id_token` member, because oidc-provider
 *   rejects claims objects without `id_token`/`userinfo`;
 * - `offline_access` needs `prompt=consent` in oidc-provider (it silently drops it otherwise); Entra issues
 *   refresh tokens without it, so `consent` is added (our consent step is automatic, admin-consented);
 * - `prompt=select_account` / `create` (Entra-only) become `login`.
 */
export function rewriteAuthorizationQuery(query: Query): Query {
  const next: Query = { ...query };
  if (typeof next.scope === 'string') next.scope = normalizeScopeParam(next.scope);
  if (typeof next.claims === 'string') {
    try {
      const claims = JSON.parse(next.claims) as Record<string, unknown>;
      if (claims && typeof claims === 'object' && claims.id_token === undefined && claims.userinfo === undefined) {
        next.claims = JSON.stringify({ ...claims, id_token: {} });
      }
    } catch {
      /* oidc-provider reports the malformed JSON itself */
    }
  }
  const scopes = typeof next.scope === 'string' ? next.scope.split(' ') : [];
  // Entra's select_account (account picker) and create have no oidc-provider counterpart; signing in again is
  // the closest behaviour for both.
  const prompts = [
    ...new Set(
      (typeof next.prompt === 'string' ? next.prompt.split(' ') : [])
        .filter(Boolean)
        .map((p) => (p === 'select_account' || p === 'create' ? 'login' : p)),
    ),
  ];
  if (prompts.length) next.prompt = prompts.join(' ');
  if (scopes.includes('offline_access') && !prompts.includes('none') && !prompts.includes('consent')) {
    next.prompt = [...prompts, 'consent'].join(' ');
  }
  return next;
}

export function installRequestRewrites(provider: Provider, tenant: IdentityTenant, authorizePath: string): void {
  provider.use(async (ctx: KoaContextWithOIDC, next) => {
    if (ctx.method === 'GET' && ctx.path === authorizePath) ctx.query = rewriteAuthorizationQuery(ctx.query);
    await next();
    // Entra adds client_info (base64url {uid, utid}) to user token responses; msal-node builds the account
    // (localAccountId = oid) from it.
    const body = ctx.body as Record<string, unknown> | undefined;
    if (!ctx.path.endsWith('/token') || !body || typeof body !== 'object') return;
    if (body.access_token && !body.client_info) {
      const accountId = ctx.oidc?.entities.Account?.accountId;
      if (accountId) body.client_info = clientInfo(tenant, accountId);
    }
    if (body.error) Object.assign(body, entraErrorExtras(body, ctx.state.claimsChallenge));
  });
}
