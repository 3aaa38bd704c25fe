// Bearer token validation (jose) → Caller. Failures are Graph's 401 InvalidAuthenticationToken.
import { jwtVerify, errors as joseErrors, type JWTVerifyGetKey, type JWTPayload } from 'jose';
import { GraphError } from './errors.js';
import type { Caller } from './route.js';
import { GRAPH_APP_ID, GRAPH_RESOURCE } from '../seed/index.js';

export interface TrustOptions {
  issuer: string | string[];
  getKey: JWTVerifyGetKey;
}

/** Graph's WWW-Authenticate on 401 (no claims). */
export const WWW_AUTHENTICATE_BASE =
  `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", ` +
  `client_id="${GRAPH_APP_ID}"`;

const unauthorized = (message: string) =>
  new GraphError(401, 'InvalidAuthenticationToken', message, { 'WWW-Authenticate': WWW_AUTHENTICATE_BASE });

const list = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string')
    : typeof v === 'string'
      ? v.split(' ').filter(Boolean)
      : [];

export async function authenticate(
  authorization: string | undefined,
  trust: TrustOptions,
  tenantId: string,
): Promise<Caller> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) throw unauthorized('Access token is empty.');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(match[1], trust.getKey, {
      issuer: trust.issuer,
      audience: [GRAPH_RESOURCE, GRAPH_APP_ID],
      clockTolerance: 30,
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw unauthorized('Lifetime validation failed, the token is expired.');
    if (err instanceof joseErrors.JWTClaimValidationFailed) {
      if (err.claim === 'aud') throw unauthorized('Access token validation failure. Invalid audience.');
      if (err.claim === 'iss') throw unauthorized('Access token validation failure. Invalid issuer.');
      throw unauthorized('Access token validation failure.');
    }
    if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey) {
      throw unauthorized('Access token validation failure. Invalid signature.');
    }
    throw unauthorized('Invalid JWT token. The token is malformed.');
  }
  if (typeof payload.tid === 'string' && payload.tid !== tenantId)
    throw unauthorized('Access token validation failure. Invalid tenant.');
  const scopes = list(payload.scp);
  const delegated = typeof payload.scp === 'string';
  const appId = typeof payload.appid === 'string' ? payload.appid : typeof payload.azp === 'string' ? payload.azp : '';
  return {
    kind: delegated ? 'delegated' : 'application',
    appId,
    tenantId,
    userId: delegated && typeof payload.oid === 'string' ? payload.oid : null,
    upn: delegated
      ? typeof payload.upn === 'string'
        ? payload.upn
        : typeof payload.preferred_username === 'string'
          ? payload.preferred_username
          : null
      : null,
    scopes: new Set(scopes),
    appRoles: new Set(delegated ? [] : list(payload.roles)),
    wids: list(payload.wids),
    acrs: list(payload.acrs),
    amr: list(payload.amr),
    clientCapabilities: list(payload.xms_cc).map((c) => c.toLowerCase()),
    issuedAt: typeof payload.iat === 'number' ? payload.iat : 0,
  };
}
