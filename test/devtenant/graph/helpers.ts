// Test harness: a demo tenant, a Graph stand-in on an ephemeral port, and locally signed tokens.
import { generateKeyPair, SignJWT, createLocalJWKSet, exportJWK, type CryptoKey } from 'jose';
import {
  createTenant,
  FIXED_ACCOUNTS,
  APP_IDS,
  GRAPH_RESOURCE,
  type TenantStore,
  type TenantSize,
} from '../../../devtenant/seed/index.js';
import { startGraphServer, type GraphServer, type GraphServerOptions } from '../../../devtenant/graph/server.js';

export const ISSUER = 'https://localhost/7d5c2f1e-3b8a-4c6d-9e0f-1a2b3c4d5e6f/v2.0';

export interface Harness {
  tenant: TenantStore;
  server: GraphServer;
  /** Delegated token for a fixed account key (admin, teamsadmin, …) with scopes and optional extra claims. */
  userToken(key: string, scopes: string[], extra?: Record<string, unknown>): Promise<string>;
  appToken(roles: string[], extra?: Record<string, unknown>): Promise<string>;
  sign(claims: Record<string, unknown>, opts?: { expiresIn?: string | number; key?: CryptoKey }): Promise<string>;
  get(path: string, token: string, headers?: Record<string, string>): Promise<Response>;
  send(
    method: string,
    path: string,
    token: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  close(): Promise<void>;
}

let keyPromise: Promise<{ privateKey: CryptoKey; getKey: ReturnType<typeof createLocalJWKSet> }> | null = null;
/** One RSA key pair per test process (generating one per test is slow on a shared machine). */
function signingKey() {
  keyPromise ??= (async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    return { privateKey, getKey: createLocalJWKSet({ keys: [jwk] }) };
  })();
  return keyPromise;
}

export async function startHarness(
  options: { size?: TenantSize; server?: Partial<GraphServerOptions> } = {},
): Promise<Harness> {
  const tenant = createTenant({ size: options.size ?? 'demo' });
  const { privateKey, getKey } = await signingKey();
  const server = await startGraphServer({ tenant, trust: { issuer: ISSUER, getKey }, ...options.server });

  const sign: Harness['sign'] = (claims, opts = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })

      .setIssuer(typeof claims.iss === 'string' ? claims.iss : ISSUER)
      .setAudience(typeof claims.aud === 'string' ? claims.aud : GRAPH_RESOURCE)
      .setIssuedAt(typeof claims.iat === 'number' ? claims.iat : undefined)
      .setExpirationTime(opts.expiresIn ?? '1h')
      .sign(opts.key ?? privateKey);

  const userToken: Harness['userToken'] = (key, scopes, extra = {}) => {
    const account = FIXED_ACCOUNTS.find((a) => a.key === key);
    const user = account ? tenant.userById(account.id)! : tenant.userByKey(key)!;
    return sign({
      tid: tenant.id,
      oid: user.id,
      upn: user.userPrincipalName,
      appid: APP_IDS.bot,
      scp: scopes.join(' '),
      wids: tenant.activeRoleTemplateIds(user.id),
      amr: ['pwd', 'mfa'],
      ...extra,
    });
  };
  const appToken: Harness['appToken'] = (roles, extra = {}) =>
    sign({ tid: tenant.id, oid: APP_IDS.reports, appid: APP_IDS.reports, roles, ...extra });

  const send: Harness['send'] = (method, path, token, body, headers = {}) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  return {
    tenant,
    server,
    userToken,
    appToken,
    sign,
    send,
    get: (path, token, headers) => send('GET', path, token, undefined, headers),
    close: () => server.close(),
  };
}

export const ADMIN_SCOPES = [
  'User.Read',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'AuditLog.Read.All',
  'UserAuthenticationMethod.ReadWrite.All',
  'LicenseAssignment.ReadWrite.All',
  'RoleManagement.ReadWrite.Directory',
  'GroupMember.ReadWrite.All',
  'Group.Read.All',
  'User.RevokeSessions.All',
  'AuthenticationContext.Read.All',
];

/** JSON body plus the error envelope helpers tests assert on. */
export async function json(
  res: Response,
): Promise<
  Record<string, unknown> & { error?: { code: string; message: string; innerError: Record<string, string> } }
> {
  return (await res.json()) as Record<string, unknown> & {
    error?: { code: string; message: string; innerError: Record<string, string> };
  };
}
