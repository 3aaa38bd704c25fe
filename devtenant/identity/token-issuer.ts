// Signs and verifies tokens with the identity provider's own signing key (the key its JWKS publishes).
// Used by the OBO grant, the CLI `token` command and tests; oidc-provider signs its own grants with the same key.
import { createLocalJWKSet, importJWK, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { applicationAccessTokenClaims, delegatedAccessTokenClaims, type AuthenticationFacts } from './entra-claims.js';
import { ensureSigningKey, publicJwk, type SigningJwk } from './key-material.js';
import { GRAPH_RESOURCE, delegatedPermissions, parseScopes } from './scopes.js';
import type { IdentityTenant } from './tenant-view.js';

export type IssueTokenRequest =
  | {
      user: string;
      scopes: string | string[];
      amr?: string[];
      acrs?: string[];
      audience?: string;
      clientId?: string;
      authTime?: number;
    }
  | { app: string; roles: string | string[]; audience?: string };

export class TokenIssueError extends Error {
  constructor(
    readonly code: 'unknown_user' | 'user_disabled' | 'unknown_app' | 'no_scopes',
    message: string,
  ) {
    super(message);
    this.name = 'TokenIssueError';
  }
}

const words = (v: string | string[]) => (Array.isArray(v) ? v : v.split(/[\s,]+/)).filter(Boolean);

export class TokenIssuer {
  readonly getKey: JWTVerifyGetKey;
  readonly jwks: { keys: Record<string, unknown>[] };

  constructor(
    readonly tenant: IdentityTenant,
    readonly issuer: string,
    private readonly signingJwk: SigningJwk,
    private readonly defaultClientId: string,
  ) {
    this.jwks = { keys: [publicJwk(signingJwk)] };
    this.getKey = createLocalJWKSet(this.jwks as Parameters<typeof createLocalJWKSet>[0]);
  }

  async sign(claims: Record<string, unknown>): Promise<string> {
    const key = await importJWK(this.signingJwk, 'RS256');
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.signingJwk.kid }).sign(key);
  }

  /** Verifies a token this provider issued (signature, issuer, lifetime). */
  async verifyOwn(token: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, this.getKey, { issuer: this.issuer, algorithms: ['RS256'] });
    return payload;
  }

  /** Mints an access token directly (CLI, tests): same claims and key as tokens from the sign-in flows. */
  async issueToken(request: IssueTokenRequest): Promise<string> {
    if ('app' in request) {
      const app = this.tenant.applications.find((a) => a.appId === request.app);
      if (!app) throw new TokenIssueError('unknown_app', `no application ${request.app} in the tenant`);
      return this.sign(
        applicationAccessTokenClaims({
          tenant: this.tenant,
          issuer: this.issuer,
          audience: request.audience ?? GRAPH_RESOURCE,
          app,
          azpacr: app.kind === 'reports' ? '2' : '1',
          roles: words(request.roles),
        }),
      );
    }
    const user = this.tenant.userByUpn(request.user) ?? this.tenant.userById(request.user);
    if (!user) throw new TokenIssueError('unknown_user', `no user ${request.user} in the tenant`);
    if (!user.accountEnabled) throw new TokenIssueError('user_disabled', `user ${request.user} is disabled`);
    const parsed = parseScopes(words(request.scopes).join(' '));
    if (!parsed.resource) throw new TokenIssueError('no_scopes', 'at least one resource scope is required');
    const amr = request.amr?.length ? request.amr : ['pwd'];
    const facts: AuthenticationFacts = {
      amr,
      authTime: request.authTime ?? Math.floor(Date.now() / 1000),
      acrs: request.acrs ?? [],
    };
    return this.sign(
      delegatedAccessTokenClaims({
        tenant: this.tenant,
        issuer: this.issuer,
        audience: request.audience ?? parsed.resource,
        user,
        clientId: request.clientId ?? this.defaultClientId,
        azpacr: '1',
        permissions: delegatedPermissions(parsed.resource, parsed.permissions),
        facts,
      }),
    );
  }
}

/** Issuer of the stand-in for a port: Entra's v2 issuer shape, https://<host>/<tenantId>/v2.0 */
export function identityIssuer(port: number, tenantId: string): string {
  return `https://localhost:${port}/${tenantId}/v2.0`;
}

/** Client id put in minted delegated tokens when none is given: the bot app. */
export function defaultClientId(tenant: IdentityTenant): string {
  return tenant.applications.find((a) => a.kind === 'bot')?.appId ?? tenant.applications[0]?.appId ?? 'unknown';
}

/**
 * Signs tokens exactly as a provider running on `port` with the same dataDir does (same key, same issuer);
 * the CLI `token` command uses this without starting a server.
 */
export function createTokenIssuer(tenant: IdentityTenant, dataDir: string, port: number): TokenIssuer {
  return new TokenIssuer(tenant, identityIssuer(port, tenant.id), ensureSigningKey(dataDir), defaultClientId(tenant));
}
