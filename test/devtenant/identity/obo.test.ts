import assert from 'node:assert/strict';
import { InteractionRequiredAuthError } from '@azure/msal-node';
import { decodeJwt, jwtVerify } from 'jose';
import { APP_IDS } from '../../../devtenant/seed/index.js';
import { startIdentityFixture, type IdentityFixture } from '../../helpers/identity-fixture.js';
import { obtainTeamsSsoToken } from '../../helpers/identity-teams-sso.js';

const GRAPH_SCOPES = ['https://graph.microsoft.com/User.Read.All'];
const ACRS_C1 = JSON.stringify({ access_token: { acrs: { essential: true, value: 'c1' } } });

describe('devtenant identity: Teams SSO token and on-behalf-of (msal-node acquireTokenOnBehalfOf)', () => {
  let fx: IdentityFixture;
  before(async () => {
    fx = await startIdentityFixture();
  });
  after(async () => {
    await fx.close();
  });

  const sso = (key: string, claims?: string) => {
    const a = fx.account(key);
    return obtainTeamsSsoToken({
      authority: fx.idp.authority,
      caCertPem: fx.idp.caCertPem,
      teamsClientId: APP_IDS.teamsClient,
      botAppId: APP_IDS.bot,
      credentials: { username: a.upn, password: a.password, totpSecret: a.totpSecret },
      claims,
    });
  };

  it('the Teams client gets an SSO token for api://botid-<bot> through code + PKCE', async () => {
    const { accessToken } = await sso('alice');
    const { payload } = await jwtVerify(accessToken, fx.idp.getKey, {
      issuer: fx.idp.issuer,
      audience: `api://botid-${APP_IDS.bot}`,
    });
    assert.equal(payload.scp, 'access_as_user');
    assert.equal(payload.azp, APP_IDS.teamsClient);
    assert.equal(payload.azpacr, '0');
    assert.deepEqual(payload.amr, ['pwd']);
  });

  it('OBO with a non-MFA assertion and acrs claims: InteractionRequiredAuthError carrying the claims', async () => {
    const { accessToken } = await sso('admin');
    const msal = fx.botClient({ clientCapabilities: ['CP1'] });
    const error = await msal
      .acquireTokenOnBehalfOf({ oboAssertion: accessToken, scopes: GRAPH_SCOPES, claims: ACRS_C1 })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(
      error instanceof InteractionRequiredAuthError,
      `expected InteractionRequiredAuthError, got ${String(error)}`,
    );
    assert.equal(error.errorCode, 'interaction_required');
    assert.match(error.errorMessage, /AADSTS50079/);
    assert.deepEqual(JSON.parse(error.claims), { access_token: { acrs: { essential: true, value: 'c1' } } });
  });

  it('OBO without claims on a non-MFA assertion works and keeps amr pwd', async () => {
    const { accessToken } = await sso('helpdesk');
    const result = await fx.botClient().acquireTokenOnBehalfOf({ oboAssertion: accessToken, scopes: GRAPH_SCOPES });
    const claims = decodeJwt(result!.accessToken);
    assert.deepEqual(claims.amr, ['pwd']);
    assert.equal(claims.aud, 'https://graph.microsoft.com');
    assert.equal(claims.acrs, undefined);
  });

  it('OBO with an MFA assertion: Graph token with amr mfa, acrs, auth_time carried over, and an msal account', async () => {
    const admin = fx.account('admin');
    const { accessToken } = await sso('admin', ACRS_C1);
    const assertion = decodeJwt(accessToken);
    assert.deepEqual(assertion.acrs, ['c1']);
    const msal = fx.botClient({ clientCapabilities: ['CP1'] });
    const result = await msal.acquireTokenOnBehalfOf({
      oboAssertion: accessToken,
      scopes: GRAPH_SCOPES,
      claims: ACRS_C1,
    });
    assert.ok(result);
    const { payload } = await jwtVerify(result.accessToken, fx.idp.getKey, {
      issuer: fx.idp.issuer,
      audience: 'https://graph.microsoft.com',
    });
    assert.deepEqual(payload.amr, ['pwd', 'mfa']);
    assert.deepEqual(payload.acrs, ['c1']);
    assert.deepEqual(payload.xms_cc, ['cp1']);
    assert.equal(payload.auth_time, assertion.auth_time);
    assert.equal(payload.appid, APP_IDS.bot);
    assert.equal(payload.scp, 'User.Read.All');
    assert.ok(result.idToken);
    assert.equal(result.account?.localAccountId, admin.id);
    const cached = await msal.getTokenCache().getAccountByLocalId(admin.id);
    assert.equal(cached?.username, admin.upn);
    // teams-ai's cache path: acquireTokenSilent on that account renews through the OBO refresh token.
    const renewed = await msal.acquireTokenSilent({ account: cached!, scopes: GRAPH_SCOPES, forceRefresh: true });
    const renewedClaims = decodeJwt(renewed.accessToken);
    assert.notEqual(renewed.accessToken, result.accessToken);
    assert.deepEqual(renewedClaims.amr, ['pwd', 'mfa']);
    assert.deepEqual(renewedClaims.acrs, ['c1']);
    assert.equal(renewedClaims.auth_time, assertion.auth_time);
  });

  it('OBO refuses an app-only token as assertion', async () => {
    const appToken = await fx.idp.issueToken({
      app: APP_IDS.reports,
      roles: 'User.Read.All',
      audience: `api://botid-${APP_IDS.bot}`,
    });
    await assert.rejects(
      fx.botClient().acquireTokenOnBehalfOf({ oboAssertion: appToken, scopes: GRAPH_SCOPES }),
      /AADSTS50013/,
    );
  });

  it('OBO refuses an assertion issued for another audience', async () => {
    const graphToken = await fx.idp.issueToken({
      user: 'alice@contoso.onmicrosoft.com',
      scopes: 'https://graph.microsoft.com/User.Read',
    });
    await assert.rejects(
      fx.botClient().acquireTokenOnBehalfOf({ oboAssertion: graphToken, scopes: GRAPH_SCOPES }),
      /AADSTS500131/,
    );
  });
});
