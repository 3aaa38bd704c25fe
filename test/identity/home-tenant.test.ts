import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../bot/config.js';
import { tenantOfIssuer } from '../../bot/identity/authority-metadata.js';
import { identitySettings } from '../../bot/identity/config.js';
import { createIdentity } from '../../bot/identity/index.js';
import { openStore, type BotStore } from '../../bot/store/database.js';
import { captureLogger } from '../helpers/log-capture.js';

const TENANT = '7d5c2f1e-3b8a-4c6d-9e0f-1a2b3c4d5e6f';
const metadata = (issuer: string) =>
  JSON.stringify({ issuer, authorization_endpoint: 'https://a/authorize', token_endpoint: 'https://a/token' });

/**
 * Other tenants are refused before sign-in only when the bot knows its home tenant; a domain-named authority has one
 * too.
 */
describe('identity: the home tenant of the authority', () => {
  let store: BotStore;
  before(async () => {
    store = await openStore({ DATA_DIR: ':memory:' });
  });
  after(async () => {
    await store.close();
  });

  const settingsFor = (authority: string) =>
    identitySettings(
      loadConfig({
        IDENTITY_AUTHORITY: authority,
        IDENTITY_CLIENT_ID: '0b7f4d2a-6c1e-4a8b-9d3f-5e2c1a7b8d90',
        IDENTITY_CLIENT_SECRET: 'unit-test-secret-value',
        TOKEN_CACHE_KEY: randomBytes(32).toString('base64'),
      }),
    )!;

  it('reads the tenant id from the issuer; multi-tenant placeholders and missing metadata give none', () => {
    assert.equal(tenantOfIssuer(metadata(`https://login.microsoftonline.com/${TENANT.toUpperCase()}/v2.0`)), TENANT);
    assert.equal(tenantOfIssuer(metadata('https://login.microsoftonline.com/{tenantid}/v2.0')), undefined);
    assert.equal(tenantOfIssuer(undefined), undefined);
  });

  it('a domain-named authority gets its home tenant from the issuer; a GUID authority keeps its own', () => {
    const byDomain = {
      ...settingsFor('https://login.microsoftonline.com/contoso.onmicrosoft.com'),
      authorityMetadata: metadata(`https://login.microsoftonline.com/${TENANT}/v2.0`),
    };
    assert.equal(byDomain.homeTenantId, undefined, 'not knowable from the URL alone');
    assert.equal(createIdentity(byDomain, store, captureLogger().log).service.settings.homeTenantId, TENANT);
    const multiTenant = {
      ...settingsFor('https://login.microsoftonline.com/organizations'),
      authorityMetadata: metadata('https://login.microsoftonline.com/{tenantid}/v2.0'),
    };
    assert.equal(createIdentity(multiTenant, store, captureLogger().log).service.settings.homeTenantId, undefined);
    const byGuid = settingsFor(`https://login.microsoftonline.com/${TENANT}`);
    assert.equal(createIdentity(byGuid, store, captureLogger().log).service.settings.homeTenantId, TENANT);
  });
});
