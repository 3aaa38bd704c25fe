import assert from 'node:assert/strict';
import { acrsChallenge, mergeClaimsRequests } from '../../../devtenant/identity/claims-request.js';
import { entraErrorExtras } from '../../../devtenant/identity/entra-errors.js';
import { LockoutTracker, verifyTotp } from '../../../devtenant/identity/mfa.js';
import { mfaRequestedBy } from '../../../devtenant/identity/mfa-requirement.js';
import { rewriteAuthorizationQuery } from '../../../devtenant/identity/request-rewrites.js';
import {
  delegatedPermissions,
  parseScopes,
  CONSENTED_DELEGATED_GRAPH_PERMISSIONS,
} from '../../../devtenant/identity/scopes.js';
import { revokedSince, type IdentityUser } from '../../../devtenant/identity/tenant-view.js';
import { totpNow } from '../../helpers/identity-sign-in.js';

describe('devtenant identity: building blocks', () => {
  it('lockout: 5 failures lock for 15 minutes, then the user may try again', () => {
    let now = 0;
    const lockout = new LockoutTracker({ maxFailures: 5, lockSeconds: 900 }, () => now);
    for (let i = 0; i < 4; i++) assert.equal(lockout.recordFailure('u', 'code'), false);
    assert.equal(lockout.lockedUntil('u'), undefined);
    assert.equal(lockout.recordFailure('u', 'code'), true);
    assert.equal(lockout.lockedUntil('u'), 900_000);
    now = 899_999;
    assert.ok(lockout.lockedUntil('u'));
    now = 900_000;
    assert.equal(lockout.lockedUntil('u'), undefined);
    assert.equal(lockout.remainingAttempts('u', 'code'), 5);
    assert.equal(lockout.lockedUntil('other'), undefined);
  });

  it('TOTP: current code accepted, malformed and wrong codes refused', () => {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    assert.equal(verifyTotp(totpNow(secret), secret), true);
    assert.equal(verifyTotp('12345', secret), false);
    assert.equal(verifyTotp('abcdef', secret), false);
    const wrong = String((Number(totpNow(secret)) + 500_000) % 1_000_000).padStart(6, '0');
    assert.equal(verifyTotp(wrong, secret), false);
  });

  it('MFA is requested by claims acrs, amr_values=mfa or an MFA acr_values, not otherwise', () => {
    assert.equal(mfaRequestedBy({ claims: acrsChallenge(['c2']) }), true);
    assert.equal(mfaRequestedBy({ amr_values: 'mfa' }), true);
    assert.equal(mfaRequestedBy({ acr_values: 'c1' }), true);
    assert.equal(mfaRequestedBy({ claims: '{"access_token":{"xms_cc":{"values":["cp1"]}}}' }), false);
    assert.equal(mfaRequestedBy({}), false);
  });

  it("claims requests merge (stored + token request) and the challenge is Entra's JSON string", () => {
    const merged = mergeClaimsRequests(
      { access_token: { acrs: { essential: true, value: 'c1' } } },
      '{"access_token":{"xms_cc":{"values":["CP1"]}}}',
    );
    assert.deepEqual(merged, { acrs: ['c1'], clientCapabilities: ['cp1'] });
    assert.equal(acrsChallenge(['c1']), '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}');
  });

  it('authorize query: Graph scopes qualified, access_token-only claims accepted, offline_access kept', () => {
    const q = rewriteAuthorizationQuery({
      scope: 'User.Read openid offline_access',
      claims: '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}',
      prompt: 'select_account',
    });
    assert.equal(q.scope, 'https://graph.microsoft.com/User.Read openid offline_access');
    assert.deepEqual(JSON.parse(String(q.claims)), {
      access_token: { acrs: { essential: true, value: 'c1' } },
      id_token: {},
    });
    assert.equal(q.prompt, 'login consent');
    assert.equal(rewriteAuthorizationQuery({ scope: 'openid offline_access', prompt: 'none' }).prompt, 'none');
  });

  it('scopes: one resource per request, permissions without prefix, delegated .default = consented set', () => {
    const parsed = parseScopes('https://graph.microsoft.com/User.Read openid api://botid-x/access_as_user');
    assert.equal(parsed.resource, 'https://graph.microsoft.com');
    assert.deepEqual(parsed.permissions, ['User.Read']);
    assert.deepEqual(parsed.oidc, ['openid']);
    assert.deepEqual(delegatedPermissions('https://graph.microsoft.com', ['.default']), [
      ...CONSENTED_DELEGATED_GRAPH_PERMISSIONS,
    ]);
  });

  it('session revocation compares at second resolution', () => {
    const user = { signInSessionsValidFromDateTime: '2026-01-01T00:00:10.500Z' } as IdentityUser;
    assert.equal(revokedSince(user, Date.parse('2026-01-01T00:00:09Z') / 1000), true);
    assert.equal(revokedSince(user, Date.parse('2026-01-01T00:00:10Z') / 1000), false);
    assert.equal(revokedSince({} as IdentityUser, 1), false);
  });

  it('Entra error extras: error_codes, bad_token for revoked grants, claims for step-up', () => {
    assert.deepEqual(entraErrorExtras({ error: 'invalid_grant', error_description: 'AADSTS50173: revoked' }), {
      error_codes: [50173],
      suberror: 'bad_token',
    });
    assert.deepEqual(entraErrorExtras({ error: 'interaction_required', error_description: 'AADSTS50076: mfa' }, '{}'), {
      error_codes: [50076],
      suberror: 'basic_action',
      claims: '{}',
    });
    assert.deepEqual(
      entraErrorExtras({ error: 'invalid_client', error_description: 'client authentication failed' }),
      {},
    );
  });
});
