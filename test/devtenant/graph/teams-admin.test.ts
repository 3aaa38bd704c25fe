import assert from 'node:assert/strict';
import { startHarness, json, type Harness } from './helpers.js';

const TA = 'microsoft.graph.teamsAdministration';
const SCOPES = ['TeamsUserConfiguration.Read.All', 'TeamsPolicyUserAssign.ReadWrite.All', 'User.Read.All'];
type Effective = {
  policyType: string;
  policyAssignment: { assignmentType: string; displayName: string; policyId: string; groupId: string | null };
};

describe('devtenant graph: /admin/teams/userConfigurations and policy assignment', () => {
  let h: Harness;
  let teamsAdmin: string;
  before(async () => {
    h = await startHarness();
    teamsAdmin = await h.userToken('teamsadmin', SCOPES);
  });
  after(() => h.close());

  const user = (key: string) => h.tenant.userByUpn(`${key}@${h.tenant.domain}`)!;
  const config = async (userId: string, query = '') =>
    json(await h.get(`/v1.0/admin/teams/userConfigurations/${userId}${query}`, teamsAdmin));
  const policyId = async (type: string, name: string): Promise<string> => {
    const res = await h.get(`/v1.0/admin/teams/policy/getPolicyId(type='${type}',name='${name}')`, teamsAdmin);
    assert.equal(res.status, 200);
    const body = await json(res);
    assert.match(
      String(body['@odata.context']),
      new RegExp(`#Collection\\(${TA.replace(/\./g, '\\.')}\\.policyIdentifierDetail\\)$`),
    );
    const value = body.value as { name: string; policyId: string }[];
    assert.equal(value.length, 1);
    assert.equal(value[0]!.name, name);
    return value[0]!.policyId;
  };
  const effective = async (userId: string, type: string): Promise<Effective | undefined> =>
    ((await config(userId)).effectivePolicyAssignments as Effective[]).find((e) => e.policyType === type);

  it('gets one user configuration, with $expand=user', async () => {
    const alice = user('alice');
    const body = await config(alice.id, '?$expand=user');
    assert.equal(body.userPrincipalName, alice.userPrincipalName);
    assert.equal(body.accountType, 'user');
    assert.equal(body.tenantId, h.tenant.id);
    assert.equal((body.user as { id: string }).id, alice.id);
    const meeting = (body.effectivePolicyAssignments as Effective[]).find((e) => e.policyType === 'TeamsMeetingPolicy');
    assert.deepEqual(meeting?.policyAssignment, {
      assignmentType: 'direct',
      displayName: 'AllOn',
      groupId: null,
      policyId: await policyId('TeamsMeetingPolicy', 'AllOn'),
    });
  });

  it('lists with $top paging (absolute nextLink), $filter and $select', async () => {
    const first = await json(await h.get('/v1.0/admin/teams/userConfigurations?$top=5', teamsAdmin));
    assert.equal((first.value as unknown[]).length, 5);
    const next = String(first['@odata.nextLink']);
    assert.ok(next.startsWith(h.server.url) && next.includes('$top=5') && next.includes('$skiptoken='), next);
    const second = await json(await h.get(next.slice(h.server.url.length), teamsAdmin));
    assert.equal((second.value as unknown[]).length, 5);
    assert.notDeepEqual(second.value, first.value);
    const alice = user('alice');
    const filtered = await json(
      await h.get(
        `/v1.0/admin/teams/userConfigurations?$filter=userPrincipalName eq ` +
          `'${alice.userPrincipalName}'&$select=id,userPrincipalName`,
        teamsAdmin,
      ),
    );
    assert.deepEqual(filtered.value, [{ id: alice.id, userPrincipalName: alice.userPrincipalName }]);
    const guests = await json(
      await h.get("/v1.0/admin/teams/userConfigurations?$filter=accountType eq 'guest'&$top=999", teamsAdmin),
    );
    const guestCount = h.tenant.users.filter((u) => u.teams.accountType === 'guest').length;
    assert.equal((guests.value as unknown[]).length, guestCount);
    assert.equal((await h.get('/v1.0/admin/teams/userConfigurations?$top=1000', teamsAdmin)).status, 400);
  });

  it('404 for an unknown user; 403 for an admin without a Teams role; app-only works with the app role', async () => {
    assert.equal(
      (await h.get('/v1.0/admin/teams/userConfigurations/00000000-0000-4000-8000-00000000dead', teamsAdmin)).status,
      404,
    );
    const helpdesk = await h.userToken('helpdesk', SCOPES);
    assert.equal((await h.get('/v1.0/admin/teams/userConfigurations', helpdesk)).status, 403);
    const app = await h.appToken(['TeamsUserConfiguration.Read.All']);
    assert.equal((await h.get('/v1.0/admin/teams/userConfigurations?$top=1', app)).status, 200);
  });

  it('getPolicyId: unknown policy name → 404, unknown policy type → 400, quotes escaped by doubling', async () => {
    assert.equal(
      (await h.get("/v1.0/admin/teams/policy/getPolicyId(type='TeamsMeetingPolicy',name='Nope')", teamsAdmin)).status,
      404,
    );
    assert.equal(
      (await h.get("/v1.0/admin/teams/policy/getPolicyId(type='NoSuchPolicy',name='AllOn')", teamsAdmin)).status,
      400,
    );
    assert.equal(
      (await h.get("/v1.0/admin/teams/policy/getPolicyId(type='TeamsMeetingPolicy',name='O''Brien')", teamsAdmin))
        .status,
      404,
    );
  });

  it('assign → 204 and the effective policy changes in later reads; the namespace-qualified segment works too', async () => {
    const bob = user('bob');
    const allOff = await policyId('TeamsMeetingPolicy', 'AllOff');
    const before = (await config(bob.id)).modifiedDateTime;
    const res = await h.send('POST', '/v1.0/admin/teams/policy/userAssignments/assign', teamsAdmin, {
      value: [
        {
          '@odata.type': `#${TA}.teamsPolicyUserAssignment`,
          userId: bob.id,
          policyType: 'TeamsMeetingPolicy',
          policyId: allOff,
        },
      ],
    });
    assert.equal(res.status, 204);
    assert.deepEqual((await effective(bob.id, 'TeamsMeetingPolicy'))?.policyAssignment, {
      assignmentType: 'direct',
      displayName: 'AllOff',
      groupId: null,
      policyId: allOff,
    });
    assert.notEqual((await config(bob.id)).modifiedDateTime, before, 'modifiedDateTime moves with the change');
    assert.equal(h.tenant.directoryAudits.at(-1)!.activityDisplayName, 'Assign Teams policy to user');

    const allOn = await policyId('TeamsMeetingPolicy', 'AllOn');
    const qualified = await h.send('POST', `/v1.0/admin/teams/policy/userAssignments/${TA}.assign`, teamsAdmin, {
      value: [{ userId: bob.id, policyType: 'TeamsMeetingPolicy', policyId: allOn }],
    });
    assert.equal(qualified.status, 204);
    assert.equal((await effective(bob.id, 'TeamsMeetingPolicy'))?.policyAssignment.displayName, 'AllOn');
  });

  it('unassign (plain and qualified) → 204 and the direct assignment is gone', async () => {
    const bob = user('bob');
    const res = await h.send('POST', `/v1.0/admin/teams/policy/userAssignments/${TA}.unassign`, teamsAdmin, {
      value: [{ userId: bob.id, policyType: 'TeamsMeetingPolicy' }],
    });
    assert.equal(res.status, 204);
    assert.equal(await effective(bob.id, 'TeamsMeetingPolicy'), undefined);
    assert.equal(
      (
        await h.send('POST', '/v1.0/admin/teams/policy/userAssignments/unassign', teamsAdmin, {
          value: [{ userId: bob.id, policyType: 'TeamsMeetingPolicy' }],
        })
      ).status,
      204,
    );
  });

  it('rejects an unknown policy (404), unknown policy type or user shape (400), unknown user (404), changing nothing', async () => {
    const bob = user('bob');
    const alice = user('alice');
    const allOff = await policyId('TeamsMeetingPolicy', 'AllOff');
    const assign = (value: unknown) =>
      h.send('POST', '/v1.0/admin/teams/policy/userAssignments/assign', teamsAdmin, { value });
    const r404 = await assign([
      { userId: bob.id, policyType: 'TeamsMeetingPolicy', policyId: '00000000-0000-4000-8000-00000000dead' },
    ]);
    assert.equal(r404.status, 404);
    assert.equal((await json(r404)).error?.code, 'NotFound');
    assert.equal((await assign([{ userId: bob.id, policyType: 'NoSuchPolicy', policyId: allOff }])).status, 400);
    assert.equal((await assign([{ userId: 'bob', policyType: 'TeamsMeetingPolicy', policyId: allOff }])).status, 400);
    assert.equal(
      (
        await assign([
          { userId: '00000000-0000-4000-8000-00000000dead', policyType: 'TeamsMeetingPolicy', policyId: allOff },
        ])
      ).status,
      404,
    );
    assert.equal((await assign([])).status, 400);
    // A valid first item is not applied when a later one is bad.
    assert.equal(
      (
        await assign([
          { userId: alice.id, policyType: 'TeamsMeetingPolicy', policyId: allOff },
          { userId: bob.id, policyType: 'Nope', policyId: allOff },
        ])
      ).status,
      400,
    );
    assert.equal((await effective(alice.id, 'TeamsMeetingPolicy'))?.policyAssignment.displayName, 'AllOn');
  });

  it('needs TeamsPolicyUserAssign.ReadWrite.All and the Teams Administrator role to assign', async () => {
    const bob = user('bob');
    const body = {
      value: [
        { userId: bob.id, policyType: 'TeamsMeetingPolicy', policyId: await policyId('TeamsMeetingPolicy', 'AllOff') },
      ],
    };
    const readOnly = await h.userToken('teamsadmin', ['TeamsUserConfiguration.Read.All']);
    assert.equal((await h.send('POST', '/v1.0/admin/teams/policy/userAssignments/assign', readOnly, body)).status, 403);
    const userAdmin = await h.userToken('useradmin', SCOPES);
    assert.equal(
      (await h.send('POST', '/v1.0/admin/teams/policy/userAssignments/assign', userAdmin, body)).status,
      403,
    );
    const globalAdmin = await h.userToken('admin', SCOPES);
    assert.equal(
      (await h.send('POST', '/v1.0/admin/teams/policy/userAssignments/assign', globalAdmin, body)).status,
      204,
    );
  });

  it("sends the evolvable accountType 'ineligibleUser' only with Prefer: include-unknown-enum-members", async () => {
    const guest = h.tenant.users.find((u) => u.userType === 'Guest')!;
    const original = guest.teams.accountType;
    guest.teams.accountType = 'ineligibleUser';
    try {
      assert.equal((await config(guest.id)).accountType, 'unknownFutureValue');
      const opted = await json(
        await h.get(`/v1.0/admin/teams/userConfigurations/${guest.id}`, teamsAdmin, {
          Prefer: 'include-unknown-enum-members',
        }),
      );
      assert.equal(opted.accountType, 'ineligibleUser');
    } finally {
      guest.teams.accountType = original;
    }
  });
});
