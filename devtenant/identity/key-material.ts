// Key material of the identity stand-in, generated once under dataDir and reused on later starts,
// so a CA the bot trusts (and tokens minted by the CLI) stay valid across restarts.
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  caCertPem: string;
  caCertPath: string;
  serverKeyPem: string;
  serverCertPem: string;
}
export interface ClientCertificate {
  privateKeyPath: string;
  certificatePath: string;
  privateKeyPem: string;
  certificatePem: string;
  thumbprint: string;
  thumbprintSha256: string; // hex, as msal-node's clientCertificate expects
}

const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

function readIfAll(paths: string[]): string[] | undefined {
  return paths.every((p) => existsSync(p)) ? paths.map((p) => readFileSync(p, 'utf8')) : undefined;
}

function writePrivate(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
}

/** A local CA plus a server certificate for `localhost` and `127.0.0.1`, signed by that CA. */
export async function ensureTlsMaterial(dataDir: string): Promise<TlsMaterial> {
  mkdirSync(dataDir, { recursive: true });
  const caCertPath = join(dataDir, 'identity-ca.crt.pem');
  const caKeyPath = join(dataDir, 'identity-ca.key.pem');
  const certPath = join(dataDir, 'identity-server.crt.pem');
  const keyPath = join(dataDir, 'identity-server.key.pem');
  const existing = readIfAll([caCertPath, caKeyPath, certPath, keyPath]);
  if (existing && new Date(new X509Certificate(existing[2]).validTo).getTime() > Date.now()) {
    return { caCertPem: existing[0], caCertPath, serverCertPem: existing[2], serverKeyPem: existing[3] };
  }
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(Date.now() + TEN_YEARS_MS);
  const ca = await generate([{ name: 'commonName', value: 'devtenant local CA' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  writeFileSync(caCertPath, ca.cert);
  writePrivate(caKeyPath, ca.private);
  writeFileSync(certPath, server.cert);
  writePrivate(keyPath, server.private);
  return { caCertPem: ca.cert, caCertPath, serverCertPem: server.cert, serverKeyPem: server.private };
}

/** Certificate credential of a confidential client (the reports app), used for private_key_jwt. */
export async function ensureClientCertificate(dataDir: string, name: string): Promise<ClientCertificate> {
  mkdirSync(dataDir, { recursive: true });
  const certificatePath = join(dataDir, `${name}.crt.pem`);
  const privateKeyPath = join(dataDir, `${name}.key.pem`);
  let pems = readIfAll([certificatePath, privateKeyPath]);
  if (!pems) {
    const generated = await generate([{ name: 'commonName', value: name }], {
      keySize: 2048,
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + TEN_YEARS_MS),
    });
    writeFileSync(certificatePath, generated.cert);
    writePrivate(privateKeyPath, generated.private);
    pems = [generated.cert, generated.private];
  }
  const der = new X509Certificate(pems[0]).raw;
  return {
    certificatePath,
    privateKeyPath,
    certificatePem: pems[0],
    privateKeyPem: pems[1],
    thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
    thumbprintSha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
  };
}

export interface SigningJwk {
  kty: 'RSA';
  kid: string;
  alg: 'RS256';
  use: 'sig';
  [member: string]: unknown;
}

/** The token signing key (private JWK). Its public half is what the JWKS endpoint publishes. */
export function ensureSigningKey(dataDir: string): SigningJwk {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'identity-signing-key.jwk.json');
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as SigningJwk;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  const kid = createHash('sha256').update(String(jwk.n)).digest('base64url').slice(0, 27);
  const signing: SigningJwk = { ...jwk, kty: 'RSA', kid, alg: 'RS256', use: 'sig' };
  writePrivate(path, JSON.stringify(signing));
  return signing;
}

export function publicJwk(jwk: SigningJwk): Record<string, unknown> {
  const { kty, kid, alg, use, n, e } = jwk;
  return { kty, kid, alg, use, n, e };
}
