import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { ROLE } from '../../../devtenant/seed/index.js';
import { startIdentityFixture, type IdentityFixture } from '../../helpers/identity-fixture.js';
import {
  formAction,
  newPkce,
  pageError,
  pageKind,
  signInThroughPages,
  totpNow,
} from '../../helpers/identity-sign-in.js';

const REDIRECT = 'http://localhost:3978/auth/callback';
const SCOPES = ['https://graph.microsoft.com/User.Read.All'];
const ACRS_C1 = JSON.stringify({ access_token: { acrs: { essential: true, value: 'c1' } } });

describe('devtenant identity: account state read live from the tenant (lockout, disabled, roles, enrolment)', () => {
  // A fresh provider and tenant per test (state changes), sharing one data dir so keys are generated once.
  const dataDir = mkdtempSync(join(tmpdir(), 'devtenant-identity-state-'));
  let fx: IdentityFixture;
  beforeEach(async () => {
    fx = await startIdentityFixture({ dataDir });
  });
  afterEach(async () => {
    await fx.close();
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  async function authorize(upn: string, claims?: string, prompt?: string) {
    const msal = fx.botClient();
    const pkce = newPkce();
    const url = await msal.getAuthCodeUrl({
      scopes: SCOPES,
      redirectUri: REDIRECT,
      codeChallenge: pkce.challenge,
      codeChallengeMethod: 'S256',
      loginHint: upn,
      claims,
      prompt,
    });
    return { msal, pkce, url };
  }

  async function signIn(key: string, claims?: string) {
    const account = fx.account(key);
    const { msal, pkce, url } = await authorize(account.upn, claims);
    const result = await signInThroughPages(fx.browser(), url, REDIRECT, { ...account, username: account.upn });
    assert.ok(result.code, `sign-in stopped: ${result.pages.join(',')}`);
    const tokens = await msal.acquireTokenByCode({
      code: result.code,
      scopes: SCOPES,
      redirectUri: REDIRECT,
      codeVerifier: pkce.verifier,
    });
    return { msal, tokens, result };
  }

  it('five wrong TOTP codes lock the user for 15 minutes, even with the right code afterwards', async () => {
    const admin = fx.account('admin');
    const browser = fx.browser();
    const { url } = await authorize(admin.upn, ACRS_C1);
    let page = await browser.follow(await browser.get(url), REDIRECT);
    page = await browser.postForm(formAction(page.body, page.url), { username: admin.upn, password: admin.password });
    assert.equal(pageKind(page.body), 'totp');
    const wrong = totpNow(admin.totpSecret!) === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= 4; attempt++) {
      page = await browser.postForm(formAction(page.body, page.url), { otc: wrong });
      assert.match(pageError(page.body) ?? '', new RegExp(`AADSTS50181.*${5 - attempt} attempt`));
    }
    page = await browser.postForm(formAction(page.body, page.url), { otc: wrong });
    assert.equal(page.status, 403);
    assert.match(pageError(page.body) ?? '', /AADSTS50053/);
    const retry = await signInThroughPages(fx.browser(), (await authorize(admin.upn, ACRS_C1)).url, REDIRECT, {
      ...admin,
      username: admin.upn,
    });
    assert.equal(retry.code, undefined);
    assert.match(pageError(retry.finalPage!.body) ?? '', /AADSTS50053.*locked/);
    const failures = fx.tenant.signIns.filter((s) => s.userId === admin.id && s.status.errorCode !== 0);
    assert.ok(failures.length >= 6);
  });

  it('wrong passwords count towards the lockout too', async () => {
    const user = fx.account('useradmin');
    const browser = fx.browser();
    const { url } = await authorize(user.upn);
    let page = await browser.follow(await browser.get(url), REDIRECT);
    for (let attempt = 1; attempt <= 4; attempt++) {
      page = await browser.postForm(formAction(page.body, page.url), {
        username: user.upn,
        password: 'wrong-password',
      });
      assert.match(pageError(page.body) ?? '', /AADSTS50126/);
    }
    page = await browser.postForm(formAction(page.body, page.url), { username: user.upn, password: 'wrong-password' });
    assert.match(pageError(page.body) ?? '', /AADSTS50053/);
  });

  it('a disabled account is refused on the page (AADSTS50057) and its refresh token stops working', async () => {
    const { msal, tokens } = await signIn('alice');
    fx.tenant.userByUpn('alice@contoso.onmicrosoft.com')!.accountEnabled = false;
    await assert.rejects(
      msal.acquireTokenSilent({ account: tokens.account!, scopes: SCOPES, forceRefresh: true }),
      /AADSTS50057/,
    );
    const alice = fx.account('alice');
    const result = await signInThroughPages(fx.browser(), (await authorize(alice.upn)).url, REDIRECT, {
      ...alice,
      username: alice.upn,
    });
    assert.equal(result.code, undefined);
    assert.match(pageError(result.finalPage!.body) ?? '', /AADSTS50057/);
  });

  it('a role removed from the tenant is absent from the next token (wids re-read at issue time)', async () => {
    const teamsAdmin = fx.account('teamsadmin');
    const { msal, tokens } = await signIn('teamsadmin');
    assert.deepEqual(decodeJwt(tokens.accessToken).wids, [ROLE.teamsAdministrator]);
    const index = fx.tenant.roleAssignments.findIndex((a) => a.principalId === teamsAdmin.id);
    fx.tenant.roleAssignments.splice(index, 1);
    const next = await msal.acquireTokenSilent({ account: tokens.account!, scopes: SCOPES, forceRefresh: true });
    assert.equal(decodeJwt(next.accessToken).wids, undefined);
  });

  it('mfaPolicy "admins": an admin without MFA must enrol even when the request does not ask; members need not', async () => {
    await fx.close();
    fx = await startIdentityFixture({ dataDir, mfaPolicy: 'admins' });
    const helpdesk = fx.account('helpdesk');
    const admin = await signInThroughPages(fx.browser(), (await authorize(helpdesk.upn)).url, REDIRECT, {
      ...helpdesk,
      username: helpdesk.upn,
    });
    assert.deepEqual(admin.pages, ['password', 'enrol']);
    const alice = fx.account('alice');
    const member = await signInThroughPages(fx.browser(), (await authorize(alice.upn)).url, REDIRECT, {
      ...alice,
      username: alice.upn,
    });
    assert.deepEqual(member.pages, ['password']);
  });

  it('a user without an authenticator enrols (otpauth URI + QR), then later sign-ins ask for the code', async () => {
    const bob = fx.account('bob');
    assert.equal(bob.totpSecret, undefined);
    const browser = fx.browser();
    const { url } = await authorize(bob.upn, ACRS_C1);
    const page = await browser.follow(await browser.get(url), REDIRECT);
    const enrolPage = await browser.postForm(formAction(page.body, page.url), {
      username: bob.upn,
      password: bob.password,
    });
    assert.equal(pageKind(enrolPage.body), 'enrol');
    assert.match(enrolPage.body, /otpauth:\/\/totp\/[^"<]*secret=[A-Z2-7]+/);
    assert.match(enrolPage.body, /<svg[^>]*aria-label="QR code"/);
    const first = await signInThroughPages(browser, (await authorize(bob.upn, ACRS_C1, 'login')).url, REDIRECT, {
      username: bob.upn,
      password: bob.password,
    });
    assert.deepEqual(first.pages, ['password', 'enrol']);
    assert.ok(first.code);
    const registered = fx.tenant.userById(bob.id)!;
    assert.equal(registered.credentials.totpSecret, first.enrolledSecret);
    assert.ok(registered.authMethods.some((m) => m.kind === 'microsoftAuthenticator'));
    const again = await signInThroughPages(fx.browser(), (await authorize(bob.upn, ACRS_C1)).url, REDIRECT, {
      username: bob.upn,
      password: bob.password,
      totpSecret: first.enrolledSecret,
    });
    assert.deepEqual(again.pages, ['password', 'totp']);
    assert.ok(again.code);
  });
});
