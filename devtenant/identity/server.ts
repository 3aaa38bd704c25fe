// Local Entra ID stand-in: an OIDC provider (oidc-provider 9) over HTTPS on 127.0.0.1 with Entra's paths.
// Contract: notes/devtenant-contract.md (startIdentityProvider).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { JWTVerifyGetKey } from 'jose';
import {
  ensureClientCertificate,
  ensureSigningKey,
  ensureTlsMaterial,
  type ClientCertificate,
} from './key-material.js';
import { LockoutTracker, type LockoutPolicy } from './mfa.js';
import type { MfaPolicy } from './mfa-requirement.js';
import { createProvider, entraPaths } from './provider.js';
import { installRequestRewrites } from './request-rewrites.js';
import { SignInFlow } from './sign-in-flow.js';
import type { IdentityTenant } from './tenant-view.js';
import { defaultClientId, identityIssuer, TokenIssuer, type IssueTokenRequest } from './token-issuer.js';

export type { IssueTokenRequest } from './token-issuer.js';
export { TokenIssueError, createTokenIssuer, identityIssuer } from './token-issuer.js';

export interface IdentityProviderOptions {
  tenant: IdentityTenant;
  host?: string;
  port?: number;
  dataDir: string;
  /** When MFA is required beyond explicit requests (default `requested`). */
  mfaPolicy?: MfaPolicy;
  lockout?: LockoutPolicy;
}

export interface IdentityProvider {
  url: string; // https://localhost:<port>
  authority: string; // <url>/<tenantId>/
  issuer: string; // <url>/<tenantId>/v2.0
  jwksUri: string;
  caCertPem: string;
  caCertPath: string;
  getKey: JWTVerifyGetKey;
  /** Certificate credential of the reports app (msal-node clientCertificate: thumbprintSha256 + privateKey). */
  reportsCertificate: ClientCertificate;
  issueToken(request: IssueTokenRequest): Promise<string>;
  close(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startIdentityProvider(opts: IdentityProviderOptions): Promise<IdentityProvider> {
  const { tenant, dataDir } = opts;
  const host = opts.host ?? '127.0.0.1';
  const tls = await ensureTlsMaterial(dataDir);
  const reportsCertificate = await ensureClientCertificate(dataDir, 'reports-app');
  const signingJwk = ensureSigningKey(dataDir);
  const paths = entraPaths(tenant.id);

  // The issuer contains the port, so the provider is built once the port is known.
  // The request handler is attached once the port (hence the issuer) is known; nobody knows the port before.
  const server = createServer({ key: tls.serverKeyPem, cert: tls.serverCertPem });
  const port = await listen(server, host, opts.port ?? 0);
  const url = `https://localhost:${port}`;
  const issuer = identityIssuer(port, tenant.id);
  const tokens = new TokenIssuer(tenant, issuer, signingJwk, defaultClientId(tenant));
  const mfaPolicy = opts.mfaPolicy ?? 'requested';
  const provider = createProvider({ tenant, issuer, signingJwk, reportsCertificate, tokens, mfaPolicy });
  installRequestRewrites(provider, tenant, paths.authorize);
  const flow = new SignInFlow(provider, tenant, new LockoutTracker(opts.lockout), mfaPolicy, paths.interaction);
  const oidc = provider.callback();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const pathname = new URL(req.url ?? '/', url).pathname;
    if (pathname === paths.discovery) {
      // Entra serves discovery under the tenant + v2.0; oidc-provider serves it at the server root.
      req.url = '/.well-known/openid-configuration';
      oidc(req, res);
      return;
    }
    if (pathname.startsWith(`${paths.interaction}/`)) {
      flow
        .handle(req, res, pathname)
        .then((handled) => {
          if (!handled) {
            res.writeHead(404);
            res.end();
          }
        })
        .catch(() => {
          if (!res.headersSent) {
            res.writeHead(500, { 'content-type': 'text/plain' });
            res.end('sign-in page error');
          }
        });
      return;
    }
    oidc(req, res);
  });

  return {
    url,
    authority: `${url}/${tenant.id}/`,
    issuer,
    jwksUri: `${url}${paths.jwks}`,
    caCertPem: tls.caCertPem,
    caCertPath: tls.caCertPath,
    getKey: tokens.getKey,
    reportsCertificate,
    issueToken: (request) => tokens.issueToken(request),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
