import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfidentialClientApplication, InteractionRequiredAuthError, LogLevel } from '@azure/msal-node';
import { startDevTenant, type DevTenant } from '../../../devtenant/index.js';
import { APP_IDS, BOT_CLIENT_SECRET, DEMO_PASSWORDS } from '../../../devtenant/seed/index.js';
import { IdentityBrowser } from '../../helpers/identity-browser.js';
import { httpsJson } from '../../helpers/identity-https.js';
import { newPkce, signInThroughPages } from '../../helpers/identity-sign-in.js';

const REDIRECT = 'http://localhost:3978/auth/callback';
const SCOPES = [
  'https://graph.microsoft.com/User.Read.All',
  'https://graph.microsoft.com/User.EnableDisableAccount.All',
  'https://graph.microsoft.com/User.RevokeSessions.All',
];

describe('devtenant: identity + Graph in one process, one tenant', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'devtenant-both-'));
  let dt: DevTenant;
  beforeEach(async () => {
    dt = await startDevTenant({ size: 'demo', dataDir });
  });
  afterEach(async () => {
    await dt.close();
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  function bot(): ConfidentialClientApplication {
    return new ConfidentialClientApplication({
      auth: {
        clientId: APP_IDS.bot,
        clientSecret: BOT_CLIENT_SECRET,
        authority: dt.identity.authority,
        knownAuthorities: [new URL(dt.identity.url).host],
      },
      system: {
        customAgentOptions: { ca: dt.identity.caCertPem },
        loggerOptions: { logLevel: LogLevel.Error, loggerCallback: () => undefined },
      },
    });
  }

  async function signIn(upn: string) {
    const msal = bot();
    const pkce = newPkce();
    const url = await msal.getAuthCodeUrl({
      scopes: SCOPES,
      redirectUri: REDIRECT,
      codeChallenge: pkce.challenge,
      codeChallengeMethod: 'S256',
      loginHint: upn,
    });
    const user = dt.tenant.userByUpn(upn)!;
    const result = await signInThroughPages(new IdentityBrowser(dt.identity.caCertPem), url, REDIRECT, {
      username: upn,
      password: DEMO_PASSWORDS[upn],
      totpSecret: user.credentials.totpSecret,
    });
    const tokens = await msal.acquireTokenByCode({
      code: result.code!,
      scopes: SCOPES,
      redirectUri: REDIRECT,
      codeVerifier: pkce.verifier,
    });
    return { msal, tokens };
  }

  // Graph serves HTTPS with the same devtenant CA as the identity provider.
  const graph = (token: string, method: string, path: string, json?: unknown) =>
    httpsJson(method, `${dt.graph.v1}${path}`, dt.identity.caCertPem, {
      headers: { authorization: `Bearer ${token}` },
      json,
    });

  it('Graph accepts a token from the sign-in flow; a user disabled through Graph cannot refresh', async () => {
    const admin = await signIn('admin@contoso.onmicrosoft.com');
    const alice = await signIn('alice@contoso.onmicrosoft.com');
    const me = await graph(alice.tokens.accessToken, 'GET', `/users/${alice.tokens.account!.localAccountId}`);
    assert.equal(me.status, 200);
    const patched = await graph(admin.tokens.accessToken, 'PATCH', `/users/${alice.tokens.account!.localAccountId}`, {
      accountEnabled: false,
    });
    assert.equal(patched.status, 204);
    await assert.rejects(
      alice.msal.acquireTokenSilent({ account: alice.tokens.account!, scopes: SCOPES, forceRefresh: true }),
      /AADSTS50057/,
    );
  });

  it('revokeSignInSessions through Graph voids the refresh token (InteractionRequiredAuthError, AADSTS50173)', async () => {
    const alice = await signIn('alice@contoso.onmicrosoft.com');
    await new Promise((r) => setTimeout(r, 1100)); // auth_time and the revocation instant have second resolution
    const revoked = await graph(
      alice.tokens.accessToken,
      'POST',
      `/users/${alice.tokens.account!.localAccountId}/revokeSignInSessions`,
    );
    assert.equal(revoked.status, 200);
    const error = await alice.msal
      .acquireTokenSilent({ account: alice.tokens.account!, scopes: SCOPES, forceRefresh: true })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(error instanceof InteractionRequiredAuthError, String(error));
    assert.match(error.errorMessage, /AADSTS50173/);
  });
});
