import { decodeJwt } from 'jose';

/** The facts the gate reads from a user's access token: who, which tenant, and how they authenticated. */
export interface TokenFacts {
  oid: string;
  tid: string;
  upn: string;
  name?: string;
  amr: string[];
  acrs: string[];
  /**
   * The user's home identity provider when it is not this tenant (Entra emits `idp` for B2B guests: their home
   * tenant's issuer, `live.com`, …); absent for the tenant's own members.
   */
  idp?: string;
  /** Epoch seconds of the interactive authentication (auth_time), when the token says. */
  authTime?: number;
  expiresOn?: Date;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * Reads the claims of a token msal-node just received from the authority over TLS (or read back from the
 * encrypted cache). Never used on a token that came from a client: the Teams SSO token is only trusted through
 * the authority's answer to the on-behalf-of exchange.
 */
export function tokenFacts(accessToken: string, idTokenClaims?: Record<string, unknown>): TokenFacts {
  const claims = decodeJwt(accessToken) as Record<string, unknown>;
  const pick = (key: string): unknown => claims[key] ?? idTokenClaims?.[key];
  const authTime = pick('auth_time');
  const exp = claims.exp;
  const amr = strings(claims.amr).length ? strings(claims.amr) : strings(idTokenClaims?.amr);
  return {
    oid: String(pick('oid') ?? ''),
    tid: String(pick('tid') ?? ''),
    upn: String(pick('upn') ?? pick('preferred_username') ?? ''),
    name: typeof pick('name') === 'string' ? String(pick('name')) : undefined,
    amr,
    acrs: strings(claims.acrs),
    idp: typeof pick('idp') === 'string' ? String(pick('idp')) : undefined,
    authTime: typeof authTime === 'number' ? authTime : undefined,
    expiresOn: typeof exp === 'number' ? new Date(exp * 1000) : undefined,
  };
}

/**
 * The claims request asking for an authentication context: `{"access_token":{"acrs":{"essential":true,"value":"c1"}}}`.
 */
export function authContextClaims(context: string): string {
  return JSON.stringify({ access_token: { acrs: { essential: true, value: context } } });
}
