import { createServer, type Server } from 'node:http';
import { createPublicKey, randomUUID, type JsonWebKey } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

export const CHANNEL_ISSUER = 'https://api.botframework.com';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

/** An RS256 key as the Bot Framework channel publishes it: RSA `n`/`e`, `kid`, and the channels it may sign for. */
export async function channelKey(endorsements: string[]): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  return {
    kid,
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256', endorsements } as JWK,
  };
}

export interface TokenClaims {
  iss?: string;
  aud?: string;
  serviceurl?: string;
  /** Seconds since the epoch. */
  exp?: number;
  nbf?: number;
}

/** A channel token signed with `key` (which need not be one the stand-in publishes). */
export function channelToken(key: SigningKey, claims: TokenClaims): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const { iss = CHANNEL_ISSUER, aud, serviceurl, exp = now + 600, nbf = now - 60 } = claims;
  return new SignJWT({ serviceurl })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(iss)
    .setAudience(aud ?? '')
    .setIssuedAt(nbf)
    .setNotBefore(nbf)
    .setExpirationTime(exp)
    .sign(key.privateKey);
}

/**
 * Local stand-in for the Bot Framework channel's OpenID metadata and JWKS (what `login.botframework.com` serves),
 * plus a second, empty emulator metadata document. Records every request path so a test can see who called.
 */
export class ChannelMetadataStandIn {
  readonly requests: string[] = [];
  private server?: Server;
  url = '';

  constructor(private readonly published: SigningKey[]) {}

  get metadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }

  get emulatorMetadataUrl(): string {
    return `${this.url}/emulator/.well-known/openid-configuration`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const path = req.url ?? '/';
      this.requests.push(path);
      const documents: Record<string, unknown> = {
        '/v1/.well-known/openidconfiguration': {
          issuer: CHANNEL_ISSUER,
          jwks_uri: `${this.url}/v1/.well-known/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
        },
        '/v1/.well-known/keys': { keys: this.published.map((k) => k.jwk) },
        '/emulator/.well-known/openid-configuration': {
          issuer: 'https://login.microsoftonline.com/emulator/v2.0',
          jwks_uri: `${this.url}/emulator/keys`,
        },
        '/emulator/keys': { keys: [] },
      };
      const body = documents[path.split('?')[0]];
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { error: 'not_found' }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * Tokens that try to skip the signature check: `alg: none`, and HS256 keyed with the channel's public key as it
 * is published (the classic RS/HS confusion, where a verifier uses the public key as an HMAC secret).
 */
export async function forgedToken(
  kind: 'none' | 'hs256-public-key',
  key: SigningKey,
  claims: Required<Pick<TokenClaims, 'aud' | 'serviceurl'>>,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: CHANNEL_ISSUER, ...claims, nbf: now - 60, iat: now - 60, exp: now + 600 };
  if (kind === 'none') {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${encode({ alg: 'none', kid: key.kid, typ: 'JWT' })}.${encode(payload)}.`;
  }
  const publicPem = createPublicKey({ key: key.jwk as JsonWebKey, format: 'jwk' }).export({
    type: 'pkcs1',
    format: 'pem',
  });
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'JWT' })
    .sign(new TextEncoder().encode(String(publicPem)));
}
