// The on-behalf-of grant (urn:ietf:params:oauth:grant-type:jwt-bearer + requested_token_use=on_behalf_of) as
// Entra runs it: the middle tier presents a user token issued to it and gets a token for a downstream resource.
// The user's authentication (amr, acrs, auth_time) carries over; an auth context the assertion cannot satisfy
// is answered with interaction_required + claims, which msal-node turns into InteractionRequiredAuthError.
import { errors } from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { acrsChallenge, readAccessTokenClaimsRequest, clientCapabilityClaim } from './claims-request.js';
import { clientAuthLevel } from './clients.js';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  clientInfo,
  delegatedAccessTokenClaims,
  idTokenClaims,
  satisfiedAcrs,
} from './entra-claims.js';
import { AADSTS, describe, oauthError } from './entra-errors.js';
import { delegatedPermissions, parseScopes, type ParsedScopes } from './scopes.js';
import { revokedSince, type IdentityTenant } from './tenant-view.js';
import type { TokenIssuer } from './token-issuer.js';

export const OBO_PARAMETERS = ['assertion', 'requested_token_use', 'scope', 'claims', 'client_info'];

const stringArray = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

function entraError(ctx: KoaContextWithOIDC, body: Record<string, unknown>): void {
  ctx.status = 400;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { ...body, timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z' };
}

/**
 * Entra returns a refresh token with OBO (msal asks offline_access), so the middle tier can renew silently
 * (teams-ai's cache path). It is an ordinary oidc-provider refresh token over a grant for exactly these scopes,
 * carrying the assertion's authentication facts, so refreshes go through the same claims code as other grants.
 */
async function issueOboRefreshToken(
  ctx: KoaContextWithOIDC,
  accountId: string,
  scopes: ParsedScopes,
  facts: { amr: string[]; authTime: number; acrs: string[] },
): Promise<string> {
  const { provider } = ctx.oidc;
  const client = ctx.oidc.client!;
  const grant = new provider.Grant({ accountId, clientId: client.clientId });
  grant.addOIDCScope(scopes.oidc.join(' '));
  grant.addResourceScope(scopes.resource!, scopes.resourceScopes.join(' '));
  const grantId = await grant.save();
  return new provider.RefreshToken({
    accountId,
    client,
    grantId,
    gty: 'on_behalf_of',
    rotations: 0,
    resource: scopes.resource,
    scope: [...scopes.oidc, ...scopes.resourceScopes].join(' '),
    amr: facts.amr,
    authTime: facts.authTime,
    claims: facts.acrs.length ? { access_token: { acrs: { essential: true, values: facts.acrs } } } : undefined,
  }).save();
}

export function createOboGrantHandler(tenant: IdentityTenant, tokens: TokenIssuer) {
  return async function oboGrant(ctx: KoaContextWithOIDC): Promise<void> {
    const client = ctx.oidc.client!;
    const params = ctx.oidc.params as Record<string, string | undefined>;
    if (params.requested_token_use !== 'on_behalf_of') {
      throw new errors.InvalidRequest("requested_token_use must be 'on_behalf_of'");
    }
    if (!params.assertion) throw new errors.InvalidRequest('missing required parameter assertion');

    let assertion;
    try {
      assertion = await tokens.verifyOwn(params.assertion);
    } catch {
      throw oauthError('invalid_grant', AADSTS.invalidAssertion);
    }
    const app = tenant.applications.find((a) => a.appId === client.clientId);
    const acceptedAudiences = new Set([client.clientId, ...(app?.identifierUris ?? [])]);
    const audiences = Array.isArray(assertion.aud) ? assertion.aud : [assertion.aud];
    if (!audiences.some((a) => a !== undefined && acceptedAudiences.has(a))) {
      throw oauthError('invalid_grant', AADSTS.assertionAudience);
    }
    // Only a delegated access token can be exchanged (not an app-only token, not an ID token).
    if (typeof assertion.scp !== 'string')
      throw oauthError('invalid_grant', AADSTS.invalidAssertion, 'The assertion is not a delegated access token.');
    const user = typeof assertion.oid === 'string' ? tenant.userById(assertion.oid) : undefined;
    if (!user) throw oauthError('invalid_grant', AADSTS.userNotFound);
    if (!user.accountEnabled) {
      tenant.appendSignIn({
        userId: user.id,
        appId: client.clientId,
        status: 'failure',
        failureReason: describe(AADSTS.accountDisabled),
        mfa: false,
      });
      throw oauthError('invalid_grant', AADSTS.accountDisabled);
    }

    if (revokedSince(user, typeof assertion.auth_time === 'number' ? assertion.auth_time : assertion.iat)) {
      throw oauthError('invalid_grant', AADSTS.grantRevoked);
    }

    const scopes = parseScopes(params.scope);
    if (!scopes.resource)
      throw new errors.InvalidScope('a resource scope is required for on_behalf_of', params.scope ?? '');
    const request = readAccessTokenClaimsRequest(params.claims);
    const amr = stringArray(assertion.amr);
    const heldAcrs = stringArray(assertion.acrs);
    const missing = request.acrs.filter((c) => !heldAcrs.includes(c));
    if (missing.length && !amr.includes('mfa')) {
      tenant.appendSignIn({
        userId: user.id,
        appId: client.clientId,
        status: 'failure',
        failureReason: describe(AADSTS.mfaRequiredObo),
        mfa: false,
      });
      entraError(ctx, {
        error: 'interaction_required',
        error_description: describe(AADSTS.mfaRequiredObo),
        error_codes: [AADSTS.mfaRequiredObo.code],
        suberror: 'basic_action',
        claims: acrsChallenge(request.acrs),
      });
      return;
    }

    const facts = {
      amr: amr.length ? amr : ['pwd'],
      authTime: typeof assertion.auth_time === 'number' ? assertion.auth_time : Math.floor(Date.now() / 1000),
      acrs: satisfiedAcrs(amr, request.acrs, heldAcrs),
      xmsCc: clientCapabilityClaim(request),
    };
    const accessToken = await tokens.sign(
      delegatedAccessTokenClaims({
        tenant,
        issuer: tokens.issuer,
        audience: scopes.resource,
        user,
        clientId: client.clientId,
        azpacr: clientAuthLevel(client.tokenEndpointAuthMethod),
        permissions: delegatedPermissions(scopes.resource, scopes.permissions),
        facts,
      }),
    );
    const idToken = await tokens.sign(
      idTokenClaims({ tenant, issuer: tokens.issuer, user, clientId: client.clientId, facts }),
    );
    const refreshToken = scopes.oidc.includes('offline_access')
      ? await issueOboRefreshToken(ctx, user.id, scopes, facts)
      : undefined;
    tenant.appendSignIn({ userId: user.id, appId: client.clientId, status: 'success', mfa: facts.amr.includes('mfa') });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      token_type: 'Bearer',
      scope: [...scopes.resourceScopes, ...scopes.oidc].join(' '),
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
      ext_expires_in: ACCESS_TOKEN_TTL_SECONDS,
      access_token: accessToken,
      id_token: idToken,
      client_info: clientInfo(tenant, user.id),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    };
  };
}
