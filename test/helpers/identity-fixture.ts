// Starts the devtenant identity provider (demo tenant, temp data dir, ephemeral port) and builds real
// msal-node clients that trust its CA. Shared by the identity tests and the bot's sign-in tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import {
  APP_IDS,
  BOT_CLIENT_SECRET,
  createTenant,
  DEMO_PASSWORDS,
  type TenantStore,
} from '../../devtenant/seed/index.js';
import {
  startIdentityProvider,
  type IdentityProvider,
  type IdentityProviderOptions,
} from '../../devtenant/identity/server.js';
import { IdentityBrowser } from './identity-browser.js';

export interface IdentityFixture {
  tenant: TenantStore;
  idp: IdentityProvider;
  dataDir: string;
  browser(): IdentityBrowser;
  botClient(options?: { clientCapabilities?: string[] }): ConfidentialClientApplication;
  reportsClient(): ConfidentialClientApplication;
  /** UPN, password and seeded TOTP secret of a demo account key ('admin', 'alice', …). */
  account(key: string): { upn: string; password: string; totpSecret?: string; id: string };
  close(): Promise<void>;
}

export async function startIdentityFixture(options: Partial<IdentityProviderOptions> = {}): Promise<IdentityFixture> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'devtenant-identity-'));
  const tenant = createTenant({ size: 'demo' });
  const idp = await startIdentityProvider({ ...options, tenant, dataDir, port: options.port ?? 0 });
  const host = new URL(idp.url).host;
  const system = {
    customAgentOptions: { ca: idp.caCertPem },
    loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => undefined },
  };
  return {
    tenant,
    idp,
    dataDir,
    browser: () => new IdentityBrowser(idp.caCertPem),
    botClient: (o = {}) =>
      new ConfidentialClientApplication({
        auth: {
          clientId: APP_IDS.bot,
          clientSecret: BOT_CLIENT_SECRET,
          authority: idp.authority,
          knownAuthorities: [host],
          clientCapabilities: o.clientCapabilities,
        },
        system,
      }),
    reportsClient: () =>
      new ConfidentialClientApplication({
        auth: {
          clientId: APP_IDS.reports,
          authority: idp.authority,
          knownAuthorities: [host],
          clientCertificate: {
            thumbprintSha256: idp.reportsCertificate.thumbprintSha256,
            privateKey: idp.reportsCertificate.privateKeyPem,
          },
        },
        system,
      }),
    account: (key) => {
      const user = tenant.userByUpn(key.includes('@') ? key : `${key}@${tenant.domain}`);
      if (!user) throw new Error(`no demo account ${key}`);
      return {
        upn: user.userPrincipalName,
        password: DEMO_PASSWORDS[user.userPrincipalName] ?? user.credentials.password,
        totpSecret: user.credentials.totpSecret,
        id: user.id,
      };
    },
    close: async () => {
      await idp.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
