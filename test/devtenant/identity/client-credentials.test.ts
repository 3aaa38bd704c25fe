import assert from 'node:assert/strict';
import { jwtVerify } from 'jose';
import { APP_IDS } from '../../../devtenant/seed/index.js';
import { startIdentityFixture, type IdentityFixture } from '../../helpers/identity-fixture.js';
import { postToken } from '../../helpers/identity-teams-sso.js';
import { httpsJson } from '../../helpers/identity-https.js';

describe('devtenant identity: client credentials (msal-node acquireTokenByClientCredential)', () => {
  let fx: IdentityFixture;
  before(async () => {
    fx = await startIdentityFixture();
  });
  after(async () => {
    await fx.close();
  });

  it('reports app with a certificate (private_key_jwt): app token with roles, azpacr 2', async () => {
    const result = await fx
      .reportsClient()
      .acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    assert.ok(result);
    const { payload } = await jwtVerify(result.accessToken, fx.idp.getKey, {
      issuer: fx.idp.issuer,
      audience: 'https://graph.microsoft.com',
    });
    const reports = fx.tenant.applications.find((a) => a.kind === 'reports')!;
    assert.deepEqual(payload.roles, reports.appRoles);
    assert.equal(payload.appid, APP_IDS.reports);
    assert.equal(payload.azpacr, '2');
    assert.equal(payload.idtyp, 'app');
    assert.equal(payload.tid, fx.tenant.id);
    assert.equal(payload.scp, undefined);
    assert.equal(payload.wids, undefined);
  });

  it('bot app with its secret: app token without roles it was not granted', async () => {
    const result = await fx
      .botClient()
      .acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    const { payload } = await jwtVerify(result!.accessToken, fx.idp.getKey, { issuer: fx.idp.issuer });
    assert.equal(payload.appid, APP_IDS.bot);
    assert.equal(payload.azpacr, '1');
    assert.equal(payload.roles, undefined);
  });

  it('a wrong client secret is refused with invalid_client', async () => {
    const response = await postToken(new URL('oauth2/v2.0/token', fx.idp.authority).href, fx.idp.caCertPem, {
      grant_type: 'client_credentials',
      client_id: APP_IDS.bot,
      client_secret: 'wrong',
      scope: 'https://graph.microsoft.com/.default',
    });
    assert.equal(response.status, 401);
    assert.equal(response.body.error, 'invalid_client');
  });

  it('discovery is served at the Entra path and points at Entra-shaped endpoints', async () => {
    const { body: response } = await httpsJson(
      'GET',
      `${fx.idp.authority}v2.0/.well-known/openid-configuration`,
      fx.idp.caCertPem,
    );
    assert.equal(response.issuer, fx.idp.issuer);
    assert.equal(response.authorization_endpoint, `${fx.idp.authority}oauth2/v2.0/authorize`);
    assert.equal(response.token_endpoint, `${fx.idp.authority}oauth2/v2.0/token`);
    assert.equal(response.jwks_uri, fx.idp.jwksUri);
    assert.equal(response.end_session_endpoint, `${fx.idp.authority}oauth2/v2.0/logout`);
  });
});
