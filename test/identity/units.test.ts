import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../bot/config.js';
import { Sealer } from '../../bot/identity/crypto.js';
import { DEFAULT_ADMIN_ROLE_TEMPLATE_IDS, identitySettings } from '../../bot/identity/config.js';
import { evaluatePolicy, stepUpPolicy } from '../../bot/identity/policy.js';

const KEY = randomBytes(32).toString('base64');
const BASE = {
  IDENTITY_AUTHORITY: 'https://login.microsoftonline.com/7d5c2f1e-3b8a-4c6d-9e0f-1a2b3c4d5e6f',
  IDENTITY_CLIENT_ID: '0b7f4d2a-6c1e-4a8b-9d3f-5e2c1a7b8d90',
  IDENTITY_CLIENT_SECRET: 'unit-test-secret-value',
  TOKEN_CACHE_KEY: KEY,
};

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
    return '';
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.message;
  }
}

describe('identity configuration', () => {
  it('is off without IDENTITY_AUTHORITY; the defaults are the documented ones when on', () => {
    assert.equal(identitySettings(loadConfig({})), undefined);
    const settings = identitySettings(loadConfig(BASE))!;
    assert.equal(settings.authority, `${BASE.IDENTITY_AUTHORITY}/`);
    assert.equal(settings.authorityHost, 'login.microsoftonline.com');
    assert.deepEqual(settings.adminRoleTemplateIds, DEFAULT_ADMIN_ROLE_TEMPLATE_IDS);
    assert.equal(settings.stepUpAuthContext, 'c1');
    assert.deepEqual(settings.mfaMaxAgeSeconds, { write: 900, dangerous: 300 });
    assert.equal(settings.teamsSso, true);
    assert.equal(settings.ssoResource, `api://botid-${BASE.IDENTITY_CLIENT_ID}`);
    assert.equal(settings.redirectUri, 'http://127.0.0.1:3978/auth/callback');
    assert.equal(settings.graphBaseUrl, 'https://graph.microsoft.com');
  });

  it('refuses to start without a secret or a 32-byte cache key, or with a non-https authority, never echoing values', () => {
    assert.match(
      problems({ ...BASE, IDENTITY_AUTHORITY: 'http://login.example.com/t/' }),
      /IDENTITY_AUTHORITY: must use https/,
    );
    const text = problems({
      IDENTITY_AUTHORITY: BASE.IDENTITY_AUTHORITY,
      IDENTITY_CLIENT_SECRET: 'unit-test-secret-value',
      TOKEN_CACHE_KEY: 'c2hvcnQ=',
    });
    assert.match(text, /IDENTITY_CLIENT_ID: required/);
    assert.match(text, /TOKEN_CACHE_KEY: must be exactly 32 bytes/);
    assert.doesNotMatch(text, /unit-test-secret-value|c2hvcnQ=/);
    assert.match(problems({ ...BASE, TOKEN_CACHE_KEY: '' }), /TOKEN_CACHE_KEY: required with IDENTITY_AUTHORITY/);
    assert.match(problems({ ...BASE, IDENTITY_CLIENT_SECRET: '' }), /IDENTITY_CLIENT_SECRET: required/);
    assert.match(problems({ ...BASE, STEP_UP_AUTH_CONTEXT: 'c100' }), /STEP_UP_AUTH_CONTEXT/);
    assert.match(problems({ ...BASE, ADMIN_ROLE_TEMPLATE_IDS: 'global admin' }), /ADMIN_ROLE_TEMPLATE_IDS/);
    assert.match(
      problems({ ...BASE, MFA_MAX_AGE_DANGEROUS_SECONDS: '1800' }),
      /must not exceed MFA_MAX_AGE_WRITE_SECONDS/,
    );
  });

  it('falls back to the bot app credentials, and needs a public URL off loopback', () => {
    const env = {
      IDENTITY_AUTHORITY: BASE.IDENTITY_AUTHORITY,
      TOKEN_CACHE_KEY: KEY,
      HOST: '0.0.0.0',
      MICROSOFT_APP_ID: BASE.IDENTITY_CLIENT_ID,
      MICROSOFT_APP_PASSWORD: 'unit-test-secret-value',
      MICROSOFT_APP_TENANT_ID: '7d5c2f1e-3b8a-4c6d-9e0f-1a2b3c4d5e6f',
    };
    assert.match(problems(env), /PUBLIC_BASE_URL: required/);
    const settings = identitySettings(
      loadConfig({ ...env, PUBLIC_BASE_URL: 'https://bot.contoso.com/', TEAMS_SSO: 'off' }),
    )!;
    assert.equal(settings.clientId, BASE.IDENTITY_CLIENT_ID);
    assert.equal(settings.redirectUri, 'https://bot.contoso.com/auth/callback');
    assert.equal(settings.teamsSso, false);
  });
});

describe('step-up policy', () => {
  const policy = stepUpPolicy({ write: 900, dangerous: 300 });
  const now = 1_800_000_000;
  const mfa = (ageSeconds: number | undefined, amr = ['pwd', 'mfa'], acrs: string[] = []) => ({
    amr,
    acrs,
    authTime: ageSeconds === undefined ? undefined : now - ageSeconds,
  });

  it('read needs no MFA; write needs MFA within 15 minutes; dangerous within 5 minutes and then an approval', () => {
    assert.deepEqual(evaluatePolicy(policy, 'read', mfa(99_999, ['pwd']), 'c1', now), { kind: 'ok' });
    assert.deepEqual(evaluatePolicy(policy, 'write', mfa(60, ['pwd']), 'c1', now), {
      kind: 'step-up',
      reason: 'no-mfa',
      maxAgeSeconds: 900,
    });
    assert.deepEqual(evaluatePolicy(policy, 'write', mfa(60), 'c1', now), { kind: 'ok' });
    assert.deepEqual(evaluatePolicy(policy, 'write', mfa(901), 'c1', now), {
      kind: 'step-up',
      reason: 'mfa-too-old',
      maxAgeSeconds: 900,
    });
    assert.deepEqual(evaluatePolicy(policy, 'dangerous', mfa(301), 'c1', now), {
      kind: 'step-up',
      reason: 'mfa-too-old',
      maxAgeSeconds: 300,
    });
    assert.deepEqual(evaluatePolicy(policy, 'dangerous', mfa(10), 'c1', now), { kind: 'needs-approval' });
  });

  it("tightens a tier's freshness with a command's own maximum age, and makes a read command need MFA with one", () => {
    assert.deepEqual(evaluatePolicy(policy, 'write', mfa(400), 'c1', now, 300), {
      kind: 'step-up',
      reason: 'mfa-too-old',
      maxAgeSeconds: 300,
    });
    assert.deepEqual(evaluatePolicy(policy, 'write', mfa(200), 'c1', now, 3600), { kind: 'ok' });
    assert.deepEqual(evaluatePolicy(policy, 'write', mfa(1000), 'c1', now, 3600), {
      kind: 'step-up',
      reason: 'mfa-too-old',
      maxAgeSeconds: 900,
    });
    assert.deepEqual(evaluatePolicy(policy, 'read', mfa(10, ['pwd']), 'c1', now, 300), {
      kind: 'step-up',
      reason: 'no-mfa',
      maxAgeSeconds: 300,
    });
  });

  it('accepts the step-up authentication context as MFA evidence, and treats an unknown auth_time as too old', () => {
    assert.deepEqual(evaluatePolicy(policy, 'write', mfa(60, ['pwd'], ['c1']), 'c1', now), { kind: 'ok' });
    assert.equal(evaluatePolicy(policy, 'write', mfa(60, ['pwd'], ['c2']), 'c1', now).kind, 'step-up');
    assert.deepEqual(evaluatePolicy(policy, 'write', mfa(undefined), 'c1', now), {
      kind: 'step-up',
      reason: 'mfa-too-old',
      maxAgeSeconds: 900,
    });
  });
});

describe('token cache sealing (AES-256-GCM)', () => {
  const sealer = new Sealer(randomBytes(32));
  it('round-trips, and refuses another row, a tampered blob or another key', () => {
    const sealed = sealer.seal('{"Account":{}}', 'oid.tid');
    assert.match(sealed, /^v1\./);
    assert.equal(sealer.open(sealed, 'oid.tid'), '{"Account":{}}');
    assert.throws(() => sealer.open(sealed, 'other.tid'));
    const parts = sealed.split('.');
    parts[3] = Buffer.from('{"Account":{"x":1}}').toString('base64url');
    assert.throws(() => sealer.open(parts.join('.'), 'oid.tid'));
    assert.throws(() => new Sealer(randomBytes(32)).open(sealed, 'oid.tid'));
    assert.throws(() => new Sealer(randomBytes(16)));
  });
});
