import assert from 'node:assert/strict';
import { startHarness, json, ADMIN_SCOPES, type Harness } from './helpers.js';
import { FIXED_ACCOUNTS, SKU } from '../../../devtenant/seed/index.js';

const ALICE = 'alice@contoso.onmicrosoft.com';

describe('devtenant graph: user writes, licenses, authentication methods', () => {
  let h: Harness;
  let admin: string;
  beforeEach(async () => {
    h = await startHarness();
    admin = await h.userToken('admin', ADMIN_SCOPES);
  });
  afterEach(() => h.close());
  const audits = async (activity: string) => {
    const res = await json(
      await h.get(`/v1.0/auditLogs/directoryAudits?$filter=activityDisplayName eq '${activity}'`, admin),
    );
    return res.value as {
      initiatedBy: { user: { userPrincipalName: string } };
      targetResources: { userPrincipalName: string }[];
    }[];
  };

  it('PATCH accountEnabled → 204, visible in later reads and in directoryAudits', async () => {
    const res = await h.send('PATCH', `/v1.0/users/${ALICE}`, admin, { accountEnabled: false });
    assert.equal(res.status, 204);
    const user = await json(await h.get(`/v1.0/users/${ALICE}?$select=accountEnabled`, admin));
    assert.equal(user.accountEnabled, false);
    const [audit] = await audits('Disable account');
    assert.equal(audit.initiatedBy.user.userPrincipalName, 'admin@contoso.onmicrosoft.com');
    assert.equal(audit.targetResources[0].userPrincipalName, ALICE);
    assert.equal(h.tenant.userByUpn(ALICE)!.accountEnabled, false);
  });

  it(
    'a User Administrator cannot disable a Global Administrator; User.EnableDisableAccount.All covers only ' +
      'accountEnabled',
    async () => {
      const ua = await h.userToken('useradmin', ['User.EnableDisableAccount.All']);
      assert.equal(
        (await h.send('PATCH', '/v1.0/users/admin@contoso.onmicrosoft.com', ua, { accountEnabled: false })).status,
        403,
      );
      assert.equal((await h.send('PATCH', `/v1.0/users/${ALICE}`, ua, { accountEnabled: false })).status, 204);
      assert.equal((await h.send('PATCH', `/v1.0/users/${ALICE}`, ua, { jobTitle: 'CEO' })).status, 403);
    },
  );

  it('DELETE removes the user (404 afterwards) and audits', async () => {
    assert.equal((await h.send('DELETE', `/v1.0/users/${ALICE}`, admin)).status, 204);
    assert.equal((await h.get(`/v1.0/users/${ALICE}`, admin)).status, 404);
    assert.equal((await audits('Delete user')).length, 1);
    assert.equal(h.tenant.userByUpn(ALICE), undefined);
  });

  it('revokeSignInSessions → 200 Edm.Boolean true and moves signInSessionsValidFromDateTime', async () => {
    const res = await h.send('POST', `/v1.0/users/${ALICE}/revokeSignInSessions`, admin);
    assert.equal(res.status, 200);
    const body = await json(res);
    assert.equal(body.value, true);
    assert.match(String(body['@odata.context']), /\$metadata#Edm\.Boolean$/);
    assert.ok(Date.parse(h.tenant.userByUpn(ALICE)!.signInSessionsValidFromDateTime) > Date.now() - 5000);
    const helpdesk = await h.userToken('helpdesk', ADMIN_SCOPES);
    assert.equal(
      (await h.send('POST', '/v1.0/users/admin@contoso.onmicrosoft.com/revokeSignInSessions', helpdesk)).status,
      403,
    );
    assert.equal((await h.send('POST', `/v1.0/users/${ALICE}/revokeSignInSessions`, helpdesk)).status, 200);
  });

  it('assignLicense: 200 with the user, consumedUnits follow, usageLocation and sku errors', async () => {
    const before = await json(await h.get('/v1.0/subscribedSkus', admin));
    const e3 = (before.value as { skuId: string; consumedUnits: number }[]).find(
      (s) => s.skuId === SKU.officeE3.skuId,
    )!;
    const res = await h.send('POST', `/v1.0/users/${ALICE}/assignLicense`, admin, {
      addLicenses: [{ skuId: SKU.officeE3.skuId, disabledPlans: [] }],
      removeLicenses: [],
    });
    assert.equal(res.status, 200);
    assert.equal((await json(res)).userPrincipalName, ALICE);
    const after = await json(await h.get('/v1.0/subscribedSkus', admin));
    assert.equal(
      (after.value as { skuId: string; consumedUnits: number }[]).find((s) => s.skuId === SKU.officeE3.skuId)!
        .consumedUnits,
      e3.consumedUnits + 1,
    );
    const details = await json(await h.get(`/v1.0/users/${ALICE}/licenseDetails`, admin));
    assert.ok((details.value as { skuPartNumber: string }[]).some((d) => d.skuPartNumber === 'ENTERPRISEPACK'));
    h.tenant.userByUpn(ALICE)!.usageLocation = null;
    const noLoc = await json(
      await h.send('POST', `/v1.0/users/${ALICE}/assignLicense`, admin, {
        addLicenses: [{ skuId: SKU.teamsPhone.skuId }],
        removeLicenses: [],
      }),
    );
    assert.deepEqual(
      [noLoc.error?.code, noLoc.error?.message],
      ['Request_BadRequest', 'License assignment cannot be done for user with invalid usage location.'],
    );
    const badSku = await h.send('POST', `/v1.0/users/${ALICE}/assignLicense`, admin, {
      addLicenses: [{ skuId: '00000000-0000-4000-8000-000000000000' }],
      removeLicenses: [],
    });
    assert.equal(badSku.status, 400);
    assert.equal((await h.send('POST', `/v1.0/users/${ALICE}/assignLicense`, admin, { addLicenses: [] })).status, 400);
  });

  it(
    'authentication methods: polymorphic list, the default method is deleted last, the authenticator secret goes ' +
      'with it',
    async () => {
      const list = await json(await h.get(`/v1.0/users/${ALICE}/authentication/methods`, admin));
      const types = list.value as { '@odata.type': string; id: string }[];
      assert.ok(types.some((m) => m['@odata.type'] === '#microsoft.graph.passwordAuthenticationMethod'));
      const authenticator = types.find(
        (m) => m['@odata.type'] === '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
      )!;
      const phone = types.find((m) => m['@odata.type'] === '#microsoft.graph.phoneAuthenticationMethod')!;
      const first = await h.send(
        'DELETE',
        `/v1.0/users/${ALICE}/authentication/microsoftAuthenticatorMethods/${authenticator.id}`,
        admin,
      );
      assert.equal(first.status, 400);
      assert.equal(
        (await h.send('DELETE', `/v1.0/users/${ALICE}/authentication/fido2Methods/${phone.id}`, admin)).status,
        404,
      );
      assert.equal(
        (await h.send('DELETE', `/v1.0/users/${ALICE}/authentication/phoneMethods/${phone.id}`, admin)).status,
        204,
      );
      assert.equal(
        (
          await h.send(
            'DELETE',
            `/v1.0/users/${ALICE}/authentication/microsoftAuthenticatorMethods/${authenticator.id}`,
            admin,
          )
        ).status,
        204,
      );
      assert.equal(h.tenant.userByUpn(ALICE)!.credentials.totpSecret, undefined);
      const reg = await json(
        await h.get(
          `/v1.0/reports/authenticationMethods/userRegistrationDetails?$filter=userPrincipalName eq '${ALICE}'`,
          admin,
        ),
      );
      assert.equal((reg.value as { isMfaRegistered: boolean }[])[0].isMfaRegistered, false);
      assert.equal((await audits('Admin deleted security info')).length, 2);
    },
  );

  it('registerAuthenticator (identity provider enrolment) shows up in Graph', async () => {
    const bob = FIXED_ACCOUNTS.find((a) => a.key === 'bob')!;
    h.tenant.registerAuthenticator(bob.id, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    const list = await json(await h.get(`/v1.0/users/${bob.id}/authentication/microsoftAuthenticatorMethods`, admin));
    assert.equal((list.value as unknown[]).length, 1);
  });

  it('Temporary Access Pass: 201 with the secret once, lifetime limits, one per user', async () => {
    const res = await h.send('POST', `/v1.0/users/${ALICE}/authentication/temporaryAccessPassMethods`, admin, {
      lifetimeInMinutes: 60,
      isUsableOnce: true,
    });
    assert.equal(res.status, 201);
    const tap = await json(res);
    assert.equal(typeof tap.temporaryAccessPass, 'string');
    assert.equal(tap.isUsableOnce, true);
    const again = await h.get(
      `/v1.0/users/${ALICE}/authentication/temporaryAccessPassMethods/${String(tap.id)}`,
      admin,
    );
    assert.equal('temporaryAccessPass' in (await json(again)), false);
    assert.equal(
      (
        await h.send('POST', `/v1.0/users/${ALICE}/authentication/temporaryAccessPassMethods`, admin, {
          lifetimeInMinutes: 60,
        })
      ).status,
      400,
    );
    assert.equal(
      (
        await h.send(
          'POST',
          `/v1.0/users/bob@contoso.onmicrosoft.com/authentication/temporaryAccessPassMethods`,
          admin,
          { lifetimeInMinutes: 5 },
        )
      ).status,
      400,
    );
  });

  it("an Authentication Administrator cannot touch an admin's methods; resetPassword returns 202 + Location", async () => {
    const helpdesk = await h.userToken('helpdesk', ADMIN_SCOPES);
    const m = '28c10230-6103-485e-b985-444c60001490';
    assert.equal(
      (
        await h.send(
          'POST',
          `/v1.0/users/admin@contoso.onmicrosoft.com/authentication/methods/${m}/resetPassword`,
          helpdesk,
          {},
        )
      ).status,
      403,
    );
    const res = await h.send('POST', `/v1.0/users/${ALICE}/authentication/methods/${m}/resetPassword`, helpdesk, {
      newPassword: 'N3w-Passw0rd!',
    });
    assert.equal(res.status, 202);
    assert.match(res.headers.get('location') ?? '', /\/authentication\/operations\//);
    assert.equal(h.tenant.userByUpn(ALICE)!.credentials.password, 'N3w-Passw0rd!');
    const op = await h.get(new URL(res.headers.get('location')!).pathname, helpdesk);
    assert.equal((await json(op)).status, 'succeeded');
  });

  it('userRegistrationDetails: admins without MFA, and only $filter/$orderby', async () => {
    const res = await json(
      await h.get(
        '/v1.0/reports/authenticationMethods/userRegistrationDetails?$filter=isAdmin eq true and isMfaRegistered ' +
          'eq false',
        admin,
      ),
    );
    const upns = (res.value as { userPrincipalName: string }[]).map((u) => u.userPrincipalName);
    assert.ok(upns.includes('helpdesk@contoso.onmicrosoft.com'));
    assert.ok(!upns.includes('admin@contoso.onmicrosoft.com'));
    assert.equal(
      (await h.get('/v1.0/reports/authenticationMethods/userRegistrationDetails?$select=id', admin)).status,
      400,
    );
  });

  it('beta per-user MFA requirements exist only on beta', async () => {
    assert.equal((await h.get(`/v1.0/users/${ALICE}/authentication/requirements`, admin)).status, 400);
    const scopes = [...ADMIN_SCOPES, 'Policy.ReadWrite.AuthenticationMethod'];
    const t = await h.userToken('admin', scopes);
    assert.equal(
      (await h.send('PATCH', `/beta/users/${ALICE}/authentication/requirements`, t, { perUserMfaState: 'enforced' }))
        .status,
      204,
    );
    assert.equal(
      (await json(await h.get(`/beta/users/${ALICE}/authentication/requirements`, t))).perUserMfaState,
      'enforced',
    );
  });
});
