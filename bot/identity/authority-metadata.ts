import type { Logger } from '../log.js';
import type { TrustAnchors } from '../net/trust.js';
import type { IdentitySettings } from './config.js';

/**
 * The authority's OpenID metadata, read once at start and handed to msal as `authorityMetadata`. Without it msal
 * resolves the endpoints again whenever its cache is reloaded from the store (every call, with a distributed
 * cache), each time over a fresh TLS connection. Undefined when it cannot be read: msal then discovers it itself.
 */
export async function fetchAuthorityMetadata(
  settings: IdentitySettings,
  trust: TrustAnchors,
  log: Logger,
): Promise<string | undefined> {
  const url = `${settings.authority.replace(/\/+$/, '')}/v2.0/.well-known/openid-configuration`;
  try {
    const response = await fetch(url, {
      dispatcher: trust.dispatcher,
      signal: AbortSignal.timeout(10_000),
    } as RequestInit);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const metadata = (await response.json()) as Record<string, unknown>;
    const { issuer, authorization_endpoint, token_endpoint, jwks_uri, end_session_endpoint } = metadata;
    if (typeof token_endpoint !== 'string' || typeof authorization_endpoint !== 'string')
      throw new Error('incomplete metadata');
    return JSON.stringify({ issuer, authorization_endpoint, token_endpoint, jwks_uri, end_session_endpoint });
  } catch (err) {
    log.warn(
      { url, reason: err instanceof Error ? err.message : String(err) },
      'authority metadata not read at start; msal will discover it',
    );
    return undefined;
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The tenant id in the authority's issuer (`https://login.microsoftonline.com/<tid>/v2.0`): the home tenant of an
 * authority named by domain (`…/contoso.onmicrosoft.com`). Multi-tenant authorities publish a `{tenantid}`
 * placeholder there, so they have none.
 */
export function tenantOfIssuer(metadata: string | undefined): string | undefined {
  if (!metadata) return undefined;
  const { issuer } = JSON.parse(metadata) as { issuer?: unknown };
  if (typeof issuer !== 'string') return undefined;
  const first = new URL(issuer).pathname.split('/').find(Boolean);
  return first && GUID.test(first) ? first.toLowerCase() : undefined;
}
