// Reads the OIDC `claims` request parameter the way Entra uses it for access tokens:
//   {"access_token":{"acrs":{"essential":true,"value":"c1"},"xms_cc":{"values":["cp1"]}}}
// acrs = authentication contexts the caller needs (all of ours are bound to MFA); xms_cc = client capabilities.

export interface AccessTokenClaimsRequest {
  acrs: string[];
  clientCapabilities: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function valuesOf(member: unknown): string[] {
  if (!isObject(member)) return [];
  const values: unknown[] = [];
  if (member.value !== undefined) values.push(member.value);
  if (Array.isArray(member.values)) values.push(...member.values);
  return values.filter((v): v is string => typeof v === 'string');
}

/** Accepts the parsed object (oidc-provider stores it parsed on codes) or the JSON string (token requests). */
export function readAccessTokenClaimsRequest(claims: unknown): AccessTokenClaimsRequest {
  let parsed: unknown = claims;
  if (typeof claims === 'string') {
    try {
      parsed = JSON.parse(claims);
    } catch {
      parsed = undefined;
    }
  }
  const accessToken = isObject(parsed) && isObject(parsed.access_token) ? parsed.access_token : {};
  return {
    acrs: [...new Set(valuesOf(accessToken.acrs))],
    clientCapabilities: valuesOf(accessToken.xms_cc).map((v) => v.toLowerCase()),
  };
}

/** `xms_cc` claim value: only `cp1` is meaningful to Entra. */
export function clientCapabilityClaim(request: AccessTokenClaimsRequest): string[] | undefined {
  return request.clientCapabilities.includes('cp1') ? ['cp1'] : undefined;
}

/** The claims challenge Entra returns when an auth context is missing (a JSON string, not base64). */
export function acrsChallenge(acrs: string[]): string {
  const acrsMember = acrs.length === 1 ? { essential: true, value: acrs[0] } : { essential: true, values: acrs };
  return JSON.stringify({ access_token: { acrs: acrsMember } });
}

/** Union of several claims requests (the one stored with the code/refresh token and the token request's own). */
export function mergeClaimsRequests(...claims: unknown[]): AccessTokenClaimsRequest {
  const requests = claims.map(readAccessTokenClaimsRequest);
  return {
    acrs: [...new Set(requests.flatMap((r) => r.acrs))],
    clientCapabilities: [...new Set(requests.flatMap((r) => r.clientCapabilities))],
  };
}
