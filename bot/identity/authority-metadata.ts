import type { Logger } from '../log.js';
import type { TrustAnchors } from '../net/trust.js';
import type { IdentitySettings } from './config.js';

/**
 * The authority's OpenID metadata, read once at start and handed to msal as `authorityMetadata`. Without it msal
 * resolves the endpoints again whenever its cache is reloaded from the store (every call, with a distributed
 * cache), each time over a fresh TLS connection. Undefined when it cannot be read: msal then discovers it itself.
 */
export async function fetchAuthorityMetadata(settings: IdentitySettings, trust: TrustAnchors, log: Logger): Promise<string | undefined> {
  const url = `${settings.authority.replace(/\/+$/, '')}/v2.0/.well-known/openid-configuration`;
  try {
    const response = await fetch(url, { dispatcher: trust.dispatcher, signal: AbortSignal.timeout(10_000) } as RequestInit);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const metadata = (await response.json()) as Record<string, unknown>;
    const { issuer, authorization_endpoint, token_endpoint, jwks_uri, end_session_endpoint } = metadata;
    if (typeof token_endpoint !== 'string' || typeof authorization_endpoint !== 'string') throw new Error('incomplete metadata');
    return JSON.stringify({ issuer, authorization_endpoint, token_endpoint, jwks_uri, end_session_endpoint });
  } catch (err) {
    log.warn({ url, reason: err instanceof Error ? err.message : String(err) }, 'authority metadata not read at start; msal will discover it');
    return undefined;
  }
}
