// oidc-provider configuration with Entra ID's shape: Entra paths, Entra access-token claims (JWT, signed with
// the key the JWKS publishes), resource-qualified scopes, the OBO grant, and a login policy that asks for the
// second factor when the request or the tenant requires it.
import { randomBytes } from 'node:crypto';
import Provider, { errors, interactionPolicy, type AccessTokenLike, type KoaContextWithOIDC } from 'oidc-provider';
import { acrsChallenge, clientCapabilityClaim, mergeClaimsRequests } from './claims-request.js';
import { clientAuthLevel, clientMetadata, OBO_GRANT_TYPE } from './clients.js';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  applicationAccessTokenClaims,
  delegatedAccessTokenClaims,
  grantedAppRoles,
  satisfiedAcrs,
} from './entra-claims.js';
import { AADSTS, oauthError } from './entra-errors.js';
import type { ClientCertificate, SigningJwk } from './key-material.js';
import { mfaRequired, type MfaPolicy } from './mfa-requirement.js';
import { createOboGrantHandler, OBO_PARAMETERS } from './obo-grant.js';
import { escapeHtml } from './pages.js';
import { delegatedPermissions, parseScopes, splitScope } from './scopes.js';
import { revokedSince, type IdentityTenant } from './tenant-view.js';
import type { TokenIssuer } from './token-issuer.js';

export interface EntraPaths {
  authorize: string;
  token: string;
  jwks: string;
  logout: string;
  discovery: string;
  interaction: string;
}

export function entraPaths(tenantId: string): EntraPaths {
  return {
    authorize: `/${tenantId}/oauth2/v2.0/authorize`,
    token: `/${tenantId}/oauth2/v2.0/token`,
    jwks: `/${tenantId}/discovery/v2.0/keys`,
    logout: `/${tenantId}/oauth2/v2.0/logout`,
    discovery: `/${tenantId}/v2.0/.well-known/openid-configuration`,
    interaction: `/${tenantId}/login`,
  };
}

interface ProviderDeps {
  tenant: IdentityTenant;
  issuer: string;
  signingJwk: SigningJwk;
  reportsCertificate: ClientCertificate;
  tokens: TokenIssuer;
  mfaPolicy: MfaPolicy;
}

/** Scopes a resource server accepts: whatever qualified scopes of that resource the request or grant carries. */
function resourceScopesInPlay(ctx: KoaContextWithOIDC, resource: string): string {
  const sources = [
    ctx.oidc.params.scope,
    ctx.oidc.entities.AuthorizationCode?.scope,
    ctx.oidc.entities.RefreshToken?.scope,
  ];
  const scopes = new Set<string>();
  for (const source of sources) {
    if (typeof source !== 'string') continue;
    parseScopes(source)
      .resourceScopes.filter((s) => splitScope(s).resource === resource)
      .forEach((s) => scopes.add(s));
  }
  return [...scopes].join(' ');
}

function requestedResource(ctx: KoaContextWithOIDC): string | undefined {
  const scope =
    typeof ctx.oidc.params.scope === 'string' ? ctx.oidc.params.scope : ctx.oidc.entities.RefreshToken?.scope;
  return parseScopes(scope).resource;
}

/** Entra's claims for access tokens oidc-provider issues (code, refresh, client credentials). */
function customizeAccessToken(deps: ProviderDeps) {
  return async (
    ctx: KoaContextWithOIDC,
    token: AccessTokenLike,
    jwt: { header?: Record<string, unknown>; payload: Record<string, unknown> },
  ) => {
    const resource = token.resourceServer?.identifier() ?? String(jwt.payload.aud);
    const permissions = parseScopes(token.scope).permissions;
    const client = ctx.oidc.client!;
    const azpacr = clientAuthLevel(client.clientAuthMethod ?? client.tokenEndpointAuthMethod);
    let claims: Record<string, unknown>;
    if (!token.accountId) {
      const app = deps.tenant.applications.find((a) => a.appId === token.clientId);
      if (!app) throw new errors.InvalidClient('unknown application');
      claims = applicationAccessTokenClaims({
        tenant: deps.tenant,
        issuer: deps.issuer,
        audience: resource,
        app,
        azpacr,
        roles: grantedAppRoles(app, permissions),
      });
    } else {
      const user = deps.tenant.userById(token.accountId);
      if (!user) throw oauthError('invalid_grant', AADSTS.userNotFound);
      const source = ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.RefreshToken;
      const amr = source?.amr ?? ['pwd'];
      const request = mergeClaimsRequests(source?.claims, ctx.oidc.body?.claims);
      // A refresh asking for an auth context the original sign-in did not satisfy needs a new interactive
      // sign-in (msal-node: acquireTokenSilent({ claims }) → InteractionRequiredAuthError with the claims).
      if (!ctx.oidc.entities.AuthorizationCode && request.acrs.length && !amr.includes('mfa')) {
        ctx.state.claimsChallenge = acrsChallenge(request.acrs);
        throw oauthError('interaction_required', AADSTS.mfaRequired);
      }
      claims = delegatedAccessTokenClaims({
        tenant: deps.tenant,
        issuer: deps.issuer,
        audience: resource,
        user,
        clientId: token.clientId,
        azpacr,
        permissions: delegatedPermissions(resource, permissions),
        facts: {
          amr,
          authTime: source?.authTime ?? Math.floor(Date.now() / 1000),
          acrs: satisfiedAcrs(amr, request.acrs),
          xmsCc: clientCapabilityClaim(request),
        },
      });
    }
    jwt.payload = { ...claims, jti: jwt.payload.jti };
    jwt.header = { typ: 'JWT' };
  };
}

function loginPolicy(deps: ProviderDeps) {
  const { Check } = interactionPolicy;
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  // A session whose user was disabled or deleted must sign in again (and will be refused on the page).
  login.checks.push(
    new Check('account_unusable', 'the signed-in account can no longer sign in', (ctx) => {
      const session = ctx.oidc.session;
      if (!session?.accountId || ctx.oidc.result?.login) return Check.NO_NEED_TO_PROMPT;
      const user = deps.tenant.userById(session.accountId);
      return user?.accountEnabled && !revokedSince(user, session.loginTs)
        ? Check.NO_NEED_TO_PROMPT
        : Check.REQUEST_PROMPT;
    }),
  );
  // login_hint naming another account than the session's means "sign in as that account".
  login.checks.push(
    new Check('login_hint_mismatch', 'login_hint names another account', (ctx) => {
      const hint = ctx.oidc.params.login_hint;
      const accountId = ctx.oidc.session?.accountId;
      if (typeof hint !== 'string' || !accountId || ctx.oidc.result?.login) return Check.NO_NEED_TO_PROMPT;
      const user = deps.tenant.userById(accountId);
      return user?.userPrincipalName.toLowerCase() === hint.toLowerCase()
        ? Check.NO_NEED_TO_PROMPT
        : Check.REQUEST_PROMPT;
    }),
  );
  // Step-up: MFA requested (claims acrs, amr_values, acr_values) or required by policy, session lacks it.
  login.checks.push(
    new Check('mfa_required', 'multi-factor authentication is required', (ctx) => {
      const session = ctx.oidc.session;
      if (!session?.accountId || session.amr?.includes('mfa')) return Check.NO_NEED_TO_PROMPT;
      const user = deps.tenant.userById(session.accountId);
      if (!user) return Check.REQUEST_PROMPT;
      return mfaRequired(deps.mfaPolicy, deps.tenant, user, ctx.oidc.params)
        ? Check.REQUEST_PROMPT
        : Check.NO_NEED_TO_PROMPT;
    }),
  );
  return policy;
}

export function createProvider(deps: ProviderDeps): Provider {
  const paths = entraPaths(deps.tenant.id);
  const provider = new Provider(deps.issuer, {
    clients: deps.tenant.applications.map((app) => clientMetadata(app, deps.reportsCertificate)),
    jwks: { keys: [deps.signingJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    findAccount: async (ctx: KoaContextWithOIDC, accountId: string, source?: { authTime?: number }) => {
      const user = deps.tenant.userById(accountId);
      if (!user) return undefined;
      if (ctx.oidc.route === 'token') {
        // Codes and refresh tokens die with the account or with a session revocation (Graph revokeSignInSessions).
        if (!user.accountEnabled) throw oauthError('invalid_grant', AADSTS.accountDisabled);
        if (revokedSince(user, source?.authTime)) throw oauthError('invalid_grant', AADSTS.grantRevoked);
      }
      return {
        accountId,
        claims: async () => ({
          sub: accountId,
          oid: accountId,
          tid: deps.tenant.id,
          name: user.displayName,
          preferred_username: user.userPrincipalName,
          upn: user.userPrincipalName,
        }),
      };
    },
    claims: { openid: ['sub', 'oid', 'tid'], profile: ['name', 'preferred_username', 'upn'], email: ['email'] },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    conformIdTokenClaims: false,
    extraParams: ['amr_values'],
    routes: {
      authorization: paths.authorize,
      token: paths.token,
      jwks: paths.jwks,
      end_session: paths.logout,
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `${paths.interaction}/${interaction.uid}`,
      policy: loginPolicy(deps),
    },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      clientCredentials: { enabled: true },
      userinfo: { enabled: false },
      revocation: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // Plain pages without the default's external font; the form carries oidc-provider's xsrf token.
        logoutSource: async (ctx: KoaContextWithOIDC, form: string) => {
          ctx.type = 'html';
          ctx.body =
            `<!doctype html><html><body><h1>Sign out</h1>${form}<button form="op.logoutForm" name="logout" ` +
            `value="yes">Sign out</button></body></html>`;
        },
        postLogoutSuccessSource: async (ctx: KoaContextWithOIDC) => {
          ctx.type = 'html';
          ctx.body = '<!doctype html><html><body><h1 id="signed-out">You signed out of your account</h1></body></html>';
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (ctx: KoaContextWithOIDC, _client: unknown, oneOf?: string[]) => {
          const wanted = requestedResource(ctx);
          if (oneOf) return wanted && oneOf.includes(wanted) ? wanted : oneOf[0];
          return wanted;
        },
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx: KoaContextWithOIDC, resource: string) => ({
          scope: resourceScopesInPlay(ctx, resource),
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    formats: { customizers: { jwt: customizeAccessToken(deps) } },
    pkce: { required: (_ctx: unknown, client: { clientAuthMethod: string }) => client.clientAuthMethod === 'none' },
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_SECONDS,
      ClientCredentials: ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: 600,
      IdToken: ACCESS_TOKEN_TTL_SECONDS,
      RefreshToken: 90 * 24 * 3600,
      Interaction: 3600,
      Session: 24 * 3600,
      Grant: 90 * 24 * 3600,
    },
    enabledJWA: { clientAuthSigningAlgValues: ['RS256', 'PS256', 'ES256'] },
    clientAuthMethods: ['client_secret_post', 'client_secret_basic', 'private_key_jwt', 'none'],
    renderError: async (ctx: KoaContextWithOIDC, out: Record<string, string>) => {
      ctx.type = 'html';
      ctx.body =
        `<!doctype html><html><body><h1>Sign-in error</h1><p id="error">${escapeHtml(out.error ?? '')}: ` +
        `${escapeHtml(out.error_description ?? '')}</p></body></html>`;
    },
  });
  provider.registerGrantType(OBO_GRANT_TYPE, createOboGrantHandler(deps.tenant, deps.tokens), OBO_PARAMETERS);
  return provider;
}
