import assert from 'node:assert/strict';
import {
  createTenant,
  DEMO_PASSWORDS,
  DEMO_TOTP_SECRETS,
  FIXED_ACCOUNTS,
  ROLE,
  APP_IDS,
  stableBase32Secret,
} from '../../../devtenant/seed/index.js';
import { startHarness, json, ADMIN_SCOPES, type Harness } from './helpers.js';

describe('devtenant seed: demo tenant', () => {
  it('is deterministic for a size and seed, and differs for another seed', () => {
    const a = createTenant({ size: 'demo' });
    const b = createTenant({ size: 'demo' });
    const c = createTenant({ size: 'demo', seed: 2 });
    assert.deepEqual(
      a.users.map((u) => [u.id, u.userPrincipalName, u.credentials]),
      b.users.map((u) => [u.id, u.userPrincipalName, u.credentials]),
    );
    assert.deepEqual([...a.groups.map((g) => [...g.memberIds])], [...b.groups.map((g) => [...g.memberIds])]);
    assert.notDeepEqual(
      a.users.slice(6).map((u) => u.id),
      c.users.slice(6).map((u) => u.id),
    );
  });

  it('holds the fixed accounts with their roles, MFA state, passwords and TOTP secrets', () => {
    const t = createTenant({ size: 'demo' });
    assert.equal(t.domain, 'contoso.onmicrosoft.com');
    const roleOf = (key: string) => t.activeRoleTemplateIds(FIXED_ACCOUNTS.find((a) => a.key === key)!.id);
    assert.deepEqual(roleOf('admin'), [ROLE.globalAdministrator]);
    assert.deepEqual(roleOf('teamsadmin'), [ROLE.teamsAdministrator]);
    assert.deepEqual(roleOf('useradmin'), [ROLE.userAdministrator]);
    assert.deepEqual(roleOf('helpdesk'), [ROLE.authenticationAdministrator]);
    assert.deepEqual(roleOf('alice'), []);
    assert.deepEqual(roleOf('bob'), []);
    const admin = t.userByUpn('ADMIN@contoso.onmicrosoft.com')!;
    assert.equal(admin.credentials.password, DEMO_PASSWORDS['admin@contoso.onmicrosoft.com']);
    assert.equal(admin.credentials.totpSecret, stableBase32Secret('admin@contoso.onmicrosoft.com'));
    assert.equal(admin.credentials.totpSecret, DEMO_TOTP_SECRETS['admin@contoso.onmicrosoft.com']);
    assert.equal(DEMO_TOTP_SECRETS['helpdesk@contoso.onmicrosoft.com'], undefined);
    assert.match(admin.credentials.totpSecret!, /^[A-Z2-7]{32}$/);
    assert.equal(t.userByUpn('helpdesk@contoso.onmicrosoft.com')!.credentials.totpSecret, undefined);
    assert.equal(t.userByUpn('bob@contoso.onmicrosoft.com')!.credentials.totpSecret, undefined);
    assert.ok(
      t.roleEligibilities.some(
        (e) => e.principalId === FIXED_ACCOUNTS[5].id && e.roleDefinitionId === ROLE.teamsAdministrator,
      ),
    );
    const bot = t.applications.find((a) => a.kind === 'bot')!;
    assert.equal(bot.appId, APP_IDS.bot);
    assert.deepEqual(bot.identifierUris, [`api://botid-${APP_IDS.bot}`]);
  });

  it('has the demo population: guests, disabled, unlicensed, admins without MFA, teams with owners', () => {
    const t = createTenant({ size: 'demo' });
    const users = [...t.liveUsers()];
    assert.equal(users.length, 60);
    assert.ok(users.some((u) => u.userType === 'Guest'));
    assert.ok(users.some((u) => !u.accountEnabled));
    assert.ok(users.some((u) => u.assignedLicenses.length === 0));
    assert.ok(t.teams.length >= 10);
    assert.ok(t.teams.filter((team) => t.groupById(team.id)!.ownerIds.size > 0).length >= 9);
    assert.ok(t.teamsPolicies.length > 0 && t.teamsPolicyAssignments.length > 0 && t.numberAssignments.length > 0);
    assert.ok(t.healthOverviews.some((s) => s.id === 'Microsoft Teams' && s.issues.length > 0));
    assert.ok(t.directoryAudits.length > 0 && t.signIns.length > 0);
  });
});

describe('devtenant seed: large tenant over HTTP', function () {
  this.timeout(60_000);
  let h: Harness;
  let admin: string;
  before(async () => {
    h = await startHarness({ size: 'large' });
    admin = await h.userToken('admin', ADMIN_SCOPES);
  });
  after(() => h.close());

  it('has 50,000 users in the same proportions', () => {
    const users = [...h.tenant.liveUsers()];
    assert.equal(users.length, 50_000);
    const guests = users.filter((u) => u.userType === 'Guest').length / users.length;
    assert.ok(guests > 0.05 && guests < 0.11);
    assert.ok(h.tenant.teams.length > 5_000);
  });

  it('serves GET by id / UPN, a filtered first page, a deep page and $count', async () => {
    const target = h.tenant.users[42_000];
    assert.equal((await json(await h.get(`/v1.0/users/${target.id}?$select=id`, admin))).id, target.id);
    assert.equal(
      (
        await json(
          await h.get(`/v1.0/users/${encodeURIComponent(target.userPrincipalName.toUpperCase())}?$select=id`, admin),
        )
      ).id,
      target.id,
    );
    const byUpn = await json(
      await h.get(`/v1.0/users?$filter=userPrincipalName eq '${target.userPrincipalName}'&$select=id`, admin),
    );
    assert.deepEqual(byUpn.value, [{ id: target.id }]);
    const page = await json(
      await h.get("/v1.0/users?$filter=startswith(displayName,'Zoe')&$top=50&$select=displayName", admin),
    );
    assert.equal((page.value as unknown[]).length, 50);
    assert.ok(String(page['@odata.nextLink']).includes('$skiptoken='));
    const count = await h.get('/v1.0/users/$count?$filter=accountEnabled eq false', admin, {
      ConsistencyLevel: 'eventual',
    });
    assert.equal(Number(await count.text()), [...h.tenant.liveUsers()].filter((u) => !u.accountEnabled).length);
    const nomfa = await json(
      await h.get(
        '/v1.0/reports/authenticationMethods/userRegistrationDetails?$filter=isAdmin eq true and isMfaRegistered ' +
          'eq false&$top=999',
        admin,
      ),
    );
    assert.ok((nomfa.value as unknown[]).length > 100);
  });
});
