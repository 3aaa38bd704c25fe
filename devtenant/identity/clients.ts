// oidc-provider client registrations derived from the seed's fixed app registrations.
import type { ClientCertificate } from './key-material.js';
import type { IdentityApplication } from './tenant-view.js';
import { X509Certificate } from 'node:crypto';

export const OBO_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Public clients (Teams) sign in with PKCE through loopback redirect URIs in tests and demos. */
const PUBLIC_CLIENT_FALLBACK_REDIRECTS = ['http://localhost/auth/callback', 'http://127.0.0.1/auth/callback'];

function certificateJwk(certificate: ClientCertificate): Record<string, unknown> {
  const key = new X509Certificate(certificate.certificatePem).publicKey.export({ format: 'jwk' });
  return { ...key, use: 'sig', x5t: Buffer.from(certificate.thumbprint, 'hex').toString('base64url') };
}

export function clientMetadata(
  app: IdentityApplication,
  reportsCertificate: ClientCertificate,
): Record<string, unknown> {
  const base = { client_id: app.appId, client_name: app.displayName, id_token_signed_response_alg: 'RS256' };
  switch (app.kind) {
    case 'bot':
      return {
        ...base,
        client_secret: app.clientSecret,
        // msal-node posts the secret in the form body; basic is accepted too, as Entra does.
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: app.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials', OBO_GRANT_TYPE],
        post_logout_redirect_uris: app.redirectUris.map((u) => new URL(u).origin + '/'),
      };
    case 'reports':
      return {
        ...base,
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [certificateJwk(reportsCertificate)] },
        redirect_uris: [],
        response_types: [],
        grant_types: ['client_credentials'],
      };
    case 'teams-client':
      return {
        ...base,
        token_endpoint_auth_method: 'none',
        application_type: 'native',
        redirect_uris: app.redirectUris.length ? app.redirectUris : PUBLIC_CLIENT_FALLBACK_REDIRECTS,
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token'],
      };
  }
}

/** Entra's azpacr: 0 public client, 1 client secret, 2 certificate / private_key_jwt. */
export function clientAuthLevel(tokenEndpointAuthMethod: string | undefined): '0' | '1' | '2' {
  if (tokenEndpointAuthMethod === 'private_key_jwt') return '2';
  if (tokenEndpointAuthMethod === 'none' || tokenEndpointAuthMethod === undefined) return '0';
  return '1';
}
