// The environment the demo gives the bot: identity against the devtenant (its authority, the seeded bot app and
// secret, the devtenant CA as an extra trust anchor), Graph at the devtenant, and a persisted token-cache key.
// Exactly the variables a real tenant sets (see README "Use it in your tenant"), only with local values.
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_IDS, BOT_CLIENT_SECRET } from '../../devtenant/seed/index.js';

export interface DevTenantEndpoints {
  /** Graph root, e.g. https://localhost:8080 (no /v1.0). */
  graph: string;
  identity: string;
  authority: string;
  caFile: string;
  /** The reports app's certificate and private key files (scheduled reports run as that app). */
  reportsCertificate?: { certificateFile: string; privateKeyFile: string };
}

/** 32 random bytes, kept beside the bot's database so cached tokens survive a restart of the demo. */
export function tokenCacheKey(botDataDir: string): string {
  const path = join(botDataDir, 'token-cache.key');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(botDataDir, { recursive: true });
  const key = randomBytes(32).toString('base64');
  writeFileSync(path, `${key}\n`, { mode: 0o600 });
  return key;
}

export function demoBotEnv(input: {
  devtenant: DevTenantEndpoints;
  port: number;
  dataDir: string;
  publicBaseUrl: string;
}): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    PORT: String(input.port),
    DATA_DIR: input.dataDir,
    LOG_LEVEL: 'info',
    IDENTITY_AUTHORITY: input.devtenant.authority,
    IDENTITY_CLIENT_ID: APP_IDS.bot,
    IDENTITY_CLIENT_SECRET: BOT_CLIENT_SECRET,
    EXTRA_CA_FILE: input.devtenant.caFile,
    PUBLIC_BASE_URL: input.publicBaseUrl,
    GRAPH_BASE_URL: input.devtenant.graph,
    TOKEN_CACHE_KEY: tokenCacheKey(input.dataDir),
    // The Agents Playground cannot do Teams SSO (no signin/tokenExchange): the sign-in link card is the way in.
    TEAMS_SSO: 'false',
    ...reportsAppEnv(input.devtenant.reportsCertificate),
  };
}

/** Scheduled reports: the reports app's id, its certificate's SHA-256 thumbprint (as Entra shows it) and key file. */
function reportsAppEnv(certificate: DevTenantEndpoints['reportsCertificate']): Record<string, string> {
  if (!certificate) return {};
  const der = new X509Certificate(readFileSync(certificate.certificateFile)).raw;
  return {
    REPORTS_APP_ID: APP_IDS.reports,
    REPORTS_CERT_THUMBPRINT_SHA256: createHash('sha256').update(der).digest('hex').toUpperCase(),
    REPORTS_PRIVATE_KEY_FILE: certificate.privateKeyFile,
  };
}
