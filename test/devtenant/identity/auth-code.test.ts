import assert from 'node:assert/strict';
import { InteractionRequiredAuthError } from '@azure/msal-node';
import { decodeJwt, jwtVerify } from 'jose';
import { ROLE } from '../../../devtenant/seed/index.js';
import { formAction, newPkce, signInThroughPages } from '../../helpers/identity-sign-in.js';
import { startIdentityFixture, type IdentityFixture } from '../../helpers/identity-fixture.js';

const REDIRECT = 'http://localhost:3978/auth/callback';
const GRAPH_SCOPES = ['https://graph.microsoft.com/User.Read.All', 'https://graph.microsoft.com/Directory.Read.All'];
const ACRS_C1 = JSON.stringify({ access_token: { acrs: { essential: true, value: 'c1' } } });

describe('devtenant identity: authorization code + PKCE through the sign-in pages (msal-node)', () => {
  let fx: IdentityFixture;
  before(async () => {
    fx = await startIdentityFixture();
  });
  after(async () => {
    await fx.close();
  });

  async function signIn(
    options: {
      upn: string;
      password: string;
      totpSecret?: string;
      claims?: string;
      prompt?: string;
      maxAge?: number;
      capabilities?: string[];
      extra?: Record<string, string>;
    },
    browser = fx.browser(),
  ) {
    const msal = fx.botClient({ clientCapabilities: options.capabilities });
    const pkce = newPkce();
    const url = await msal.getAuthCodeUrl({
      scopes: GRAPH_SCOPES,
      redirectUri: REDIRECT,
      codeChallenge: pkce.challenge,
      codeChallengeMethod: 'S256',
      loginHint: options.upn,
      prompt: options.prompt,
      claims: options.claims,
      extraQueryParameters: {
        ...options.extra,
        ...(options.maxAge === undefined ? {} : { max_age: String(options.maxAge) }),
      },
    });
    const result = await signInThroughPages(browser, url, REDIRECT, { ...options, username: options.upn });
    assert.ok(result.code, `no code; pages ${result.pages.join(',')}: ${result.finalPage?.body.slice(0, 400)}`);
    const tokens = await msal.acquireTokenByCode({
      code: result.code,
      scopes: GRAPH_SCOPES,
      redirectUri: REDIRECT,
      codeVerifier: pkce.verifier,
    });
    return { result, tokens, msal, claims: decodeJwt(tokens.accessToken) };
  }

  it('password only: Entra claims, amr pwd, wids from the tenant, verifies against the JWKS', async () => {
    const admin = fx.account('helpdesk');
    const { result, tokens, claims } = await signIn(admin);
    assert.deepEqual(result.pages, ['password']);
    const { payload } = await jwtVerify(tokens.accessToken, fx.idp.getKey, {
      issuer: fx.idp.issuer,
      audience: 'https://graph.microsoft.com',
    });
    assert.equal(payload.oid, admin.id);
    assert.equal(claims.tid, fx.tenant.id);
    assert.equal(claims.upn, admin.upn);
    assert.equal(claims.preferred_username, admin.upn);
    assert.equal(claims.scp, 'User.Read.All Directory.Read.All');
    assert.deepEqual(claims.amr, ['pwd']);
    assert.deepEqual(claims.wids, [ROLE.authenticationAdministrator]);
    assert.equal(claims.acrs, undefined);
    assert.equal(claims.xms_cc, undefined);
    assert.equal(claims.appid, fx.tenant.applications.find((a) => a.kind === 'bot')!.appId);
    assert.equal(typeof claims.auth_time, 'number');
    assert.equal(tokens.account?.localAccountId, admin.id);
    assert.equal(tokens.account?.tenantId, fx.tenant.id);
  });

  it('claims acrs c1 forces TOTP and puts acrs ["c1"] and amr mfa in the token; CP1 adds xms_cc', async () => {
    const admin = fx.account('admin');
    const { result, claims } = await signIn({ ...admin, claims: ACRS_C1, capabilities: ['CP1'] });
    assert.deepEqual(result.pages, ['password', 'totp']);
    assert.deepEqual(claims.amr, ['pwd', 'mfa']);
    assert.deepEqual(claims.acrs, ['c1']);
    assert.deepEqual(claims.xms_cc, ['cp1']);
    assert.deepEqual(claims.wids, [ROLE.globalAdministrator]);
  });

  it('prompt=login and max_age re-authenticate and refresh auth_time; otherwise the session is reused silently', async () => {
    const alice = fx.account('alice');
    const browser = fx.browser();
    const first = await signIn(alice, browser);
    const silent = await signIn(alice, browser);
    assert.deepEqual(silent.result.pages, []);
    assert.equal(silent.claims.auth_time, first.claims.auth_time);
    await new Promise((r) => setTimeout(r, 1100)); // auth_time has one-second resolution
    const maxAged = await signIn({ ...alice, maxAge: 0 }, browser);
    assert.deepEqual(maxAged.result.pages, ['password']);
    assert.ok((maxAged.claims.auth_time as number) > (first.claims.auth_time as number));
    const again = await signIn({ ...alice, prompt: 'login' }, browser);
    assert.deepEqual(again.result.pages, ['password']);
    assert.ok((again.claims.auth_time as number) > (first.claims.auth_time as number));
  });

  it('step-up on an existing session asks only for the code', async () => {
    const alice = fx.account('alice');
    const browser = fx.browser();
    await signIn(alice, browser);
    const stepped = await signIn({ ...alice, claims: ACRS_C1 }, browser);
    assert.deepEqual(stepped.result.pages, ['totp']);
    assert.deepEqual(stepped.claims.acrs, ['c1']);
  });

  it('refresh tokens: acquireTokenSilent(forceRefresh) keeps amr and re-reads wids', async () => {
    const admin = fx.account('teamsadmin');
    const { msal, tokens } = await signIn({ ...admin, claims: ACRS_C1 });
    const refreshed = await msal.acquireTokenSilent({
      account: tokens.account!,
      scopes: GRAPH_SCOPES,
      forceRefresh: true,
    });
    const claims = decodeJwt(refreshed.accessToken);
    assert.notEqual(refreshed.accessToken, tokens.accessToken);
    assert.deepEqual(claims.amr, ['pwd', 'mfa']);
    assert.deepEqual(claims.wids, [ROLE.teamsAdministrator]);
  });

  it('silent refresh asking for acrs: InteractionRequiredAuthError with claims after a password-only sign-in', async () => {
    const { msal, tokens } = await signIn(fx.account('helpdesk'));
    const error = await msal
      .acquireTokenSilent({ account: tokens.account!, scopes: GRAPH_SCOPES, claims: ACRS_C1 })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(error instanceof InteractionRequiredAuthError, String(error));
    assert.match(error.errorMessage, /AADSTS50076/);
    assert.deepEqual(JSON.parse(error.claims), JSON.parse(ACRS_C1));
  });

  it('silent refresh asking for acrs after an MFA sign-in gets acrs', async () => {
    const { msal, tokens } = await signIn({ ...fx.account('useradmin'), extra: { amr_values: 'mfa' } });
    assert.deepEqual(decodeJwt(tokens.accessToken).amr, ['pwd', 'mfa']);
    assert.equal(decodeJwt(tokens.accessToken).acrs, undefined);
    const refreshed = await msal.acquireTokenSilent({
      account: tokens.account!,
      scopes: GRAPH_SCOPES,
      claims: ACRS_C1,
    });
    assert.deepEqual(decodeJwt(refreshed.accessToken).acrs, ['c1']);
  });

  it("login_hint naming another account than the session's asks for that account's password", async () => {
    const browser = fx.browser();
    await signIn(fx.account('alice'), browser);
    const other = await signIn(fx.account('helpdesk'), browser);
    assert.deepEqual(other.result.pages, ['password']);
    assert.equal(other.claims.upn, fx.account('helpdesk').upn);
  });

  it('logout ends the session: the next sign-in asks for the password again', async () => {
    const alice = fx.account('alice');
    const browser = fx.browser();
    await signIn(alice, browser);
    const confirm = await browser.get(`${fx.idp.authority}oauth2/v2.0/logout`);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)?.[1];
    assert.ok(xsrf, confirm.body);
    const done = await browser.follow(
      await browser.postForm(formAction(confirm.body, confirm.url), { xsrf, logout: 'yes' }),
      'http://never',
    );
    assert.match(done.body, /signed out/);
    const again = await signIn(alice, browser);
    assert.deepEqual(again.result.pages, ['password']);
  });

  it('prompt=select_account (Entra-only) is accepted and signs in again', async () => {
    const alice = fx.account('alice');
    const browser = fx.browser();
    await signIn(alice, browser);
    const again = await signIn({ ...alice, prompt: 'select_account' }, browser);
    assert.deepEqual(again.result.pages, ['password']);
  });
});
