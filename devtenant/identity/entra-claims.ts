// Builds the claim sets of Entra ID tokens. One place for every token the stand-in issues (authorization
// code, refresh, client credentials through oidc-provider; OBO and CLI tokens through token-issuer.ts).
// Roles (`wids`) and account state are read from the tenant at issue time, never cached.
import { randomUUID } from 'node:crypto';
import type { IdentityApplication, IdentityTenant, IdentityUser } from './tenant-view.js';

export interface AuthenticationFacts {
  amr: string[]; // ["pwd"] or ["pwd","mfa"]
  authTime: number; // epoch seconds of the interactive sign-in
  acrs: string[]; // satisfied authentication contexts
  xmsCc?: string[]; // ["cp1"] when the client declared the capability
}

export const ACCESS_TOKEN_TTL_SECONDS = 3600;

/** Entra's `azpacr`: how the client authenticated (0 public, 1 secret, 2 certificate). */
export type ClientAuthLevel = '0' | '1' | '2';

function common(
  tenant: IdentityTenant,
  issuer: string,
  audience: string,
  now: number,
  clientId: string,
  azpacr: ClientAuthLevel,
) {
  return {
    aud: audience,
    iss: issuer,
    iat: now,
    nbf: now,
    exp: now + ACCESS_TOKEN_TTL_SECONDS,
    tid: tenant.id,
    ver: '2.0',
    appid: clientId,
    azp: clientId,
    appidacr: azpacr,
    azpacr,
    uti: randomUUID(),
  };
}

export function delegatedAccessTokenClaims(input: {
  tenant: IdentityTenant;
  issuer: string;
  audience: string;
  user: IdentityUser;
  clientId: string;
  azpacr: ClientAuthLevel;
  permissions: string[];
  facts: AuthenticationFacts;
  now?: number;
}): Record<string, unknown> {
  const { tenant, user, facts } = input;
  const now = input.now ?? Math.floor(Date.now() / 1000);
  const wids = tenant.activeRoleTemplateIds(user.id);
  return {
    ...common(tenant, input.issuer, input.audience, now, input.clientId, input.azpacr),
    sub: user.id,
    oid: user.id,
    upn: user.userPrincipalName,
    preferred_username: user.userPrincipalName,
    unique_name: user.userPrincipalName,
    name: user.displayName,
    idtyp: 'user',
    scp: input.permissions.join(' '),
    ...(wids.length ? { wids } : {}),
    amr: facts.amr,
    auth_time: facts.authTime,
    ...(facts.acrs.length ? { acrs: facts.acrs } : {}),
    ...(facts.xmsCc ? { xms_cc: facts.xmsCc } : {}),
  };
}

export function applicationAccessTokenClaims(input: {
  tenant: IdentityTenant;
  issuer: string;
  audience: string;
  app: IdentityApplication;
  azpacr: ClientAuthLevel;
  roles: string[];
  now?: number;
}): Record<string, unknown> {
  const now = input.now ?? Math.floor(Date.now() / 1000);
  return {
    ...common(input.tenant, input.issuer, input.audience, now, input.app.appId, input.azpacr),
    // The service principal's object id; the stand-in has no separate SP object, the app id stands in.
    sub: input.app.appId,
    oid: input.app.appId,
    idtyp: 'app',
    ...(input.roles.length ? { roles: input.roles } : {}),
  };
}

/** ID token claims (v2 shape) for the account msal builds from the response. */
export function idTokenClaims(input: {
  tenant: IdentityTenant;
  issuer: string;
  user: IdentityUser;
  clientId: string;
  facts: AuthenticationFacts;
  now?: number;
  nonce?: string;
}): Record<string, unknown> {
  const now = input.now ?? Math.floor(Date.now() / 1000);
  const { user } = input;
  return {
    aud: input.clientId,
    iss: input.issuer,
    iat: now,
    nbf: now,
    exp: now + ACCESS_TOKEN_TTL_SECONDS,
    tid: input.tenant.id,
    oid: user.id,
    sub: user.id,
    name: user.displayName,
    preferred_username: user.userPrincipalName,
    upn: user.userPrincipalName,
    ver: '2.0',
    amr: input.facts.amr,
    auth_time: input.facts.authTime,
    ...(input.nonce ? { nonce: input.nonce } : {}),
  };
}

/** Entra's `client_info`: base64url {"uid": oid, "utid": tid}; msal derives the account ids from it. */
export function clientInfo(tenant: IdentityTenant, userId: string): string {
  return Buffer.from(JSON.stringify({ uid: userId, utid: tenant.id })).toString('base64url');
}

/** Application permissions granted to an app for a resource (`.default` = all of them). */
export function grantedAppRoles(app: IdentityApplication, requested: string[]): string[] {
  const granted = app.appRoles ?? [];
  if (requested.includes('.default')) return [...granted];
  return requested.filter((r) => granted.includes(r));
}

/** acrs the token may carry: requested contexts are satisfied only by an MFA authentication. */
export function satisfiedAcrs(amr: string[], requested: string[], alreadyHeld: string[] = []): string[] {
  const result = new Set(alreadyHeld);
  if (amr.includes('mfa')) requested.forEach((c) => result.add(c));
  return [...result];
}
