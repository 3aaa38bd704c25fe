import assert from 'node:assert/strict';
import { startHarness, json, ADMIN_SCOPES, type Harness } from './helpers.js';
import { FIXED_ACCOUNTS } from '../../../devtenant/seed/index.js';

const BOB = FIXED_ACCOUNTS.find((a) => a.key === 'bob')!.id;

describe('devtenant graph: groups, members $ref, logs, auth contexts', () => {
  let h: Harness;
  let admin: string;
  let salesId: string;
  before(async () => {
    h = await startHarness();
    admin = await h.userToken('admin', ADMIN_SCOPES);
    const res = await json(await h.get("/v1.0/groups?$filter=displayName eq 'Sales'", admin));
    salesId = (res.value as { id: string }[])[0].id;
  });
  after(() => h.close());

  it("adds a member by $ref (204), rejects a duplicate with Graph's message, removes it (204), 404 when absent", async () => {
    const ref = { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${BOB}` };
    assert.equal((await h.send('POST', `/v1.0/groups/${salesId}/members/$ref`, admin, ref)).status, 204);
    const members = await json(await h.get(`/v1.0/groups/${salesId}/members?$select=id`, admin));
    assert.ok(
      (members.value as { id: string; '@odata.type': string }[]).some(
        (m) => m.id === BOB && m['@odata.type'] === '#microsoft.graph.user',
      ),
    );
    const dup = await json(await h.send('POST', `/v1.0/groups/${salesId}/members/$ref`, admin, ref));
    assert.deepEqual(
      [dup.error?.code, dup.error?.message],
      [
        'Request_BadRequest',
        "One or more added object references already exist for the following modified properties: 'members'.",
      ],
    );
    assert.equal((await h.send('DELETE', `/v1.0/groups/${salesId}/members/${BOB}/$ref`, admin)).status, 204);
    assert.equal((await h.send('DELETE', `/v1.0/groups/${salesId}/members/${BOB}/$ref`, admin)).status, 404);
    const unknown = await h.send('POST', `/v1.0/groups/${salesId}/members/$ref`, admin, {
      '@odata.id': 'https://graph.microsoft.com/v1.0/directoryObjects/00000000-0000-4000-8000-0000000000ff',
    });
    assert.equal(unknown.status, 404);
    const recent = new Date(Date.now() - 60_000).toISOString().slice(0, 19);
    const audit = await json(
      await h.get(
        `/v1.0/auditLogs/directoryAudits?$filter=activityDateTime ge ${recent}Z and activityDisplayName eq 'Add ` +
          `member to group' and targetResources/any(t:t/id eq '${BOB}')`,
        admin,
      ),
    );
    assert.equal((audit.value as unknown[]).length, 1);
  });

  it('group members need a group-writing role or ownership', async () => {
    const alice = await h.userToken('alice', ADMIN_SCOPES);
    const ref = { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${BOB}` };
    assert.equal((await h.send('POST', `/v1.0/groups/${salesId}/members/$ref`, alice, ref)).status, 403);
  });

  it('PATCH members@odata.bind adds up to 20 at once', async () => {
    const ids = [...h.tenant.liveUsers()]
      .filter((u) => !h.tenant.groupById(salesId)!.memberIds.has(u.id))
      .slice(0, 21)
      .map((u) => u.id);
    const bind = (n: number) => ({
      'members@odata.bind': ids.slice(0, n).map((id) => `https://graph.microsoft.com/v1.0/directoryObjects/${id}`),
    });
    assert.equal((await h.send('PATCH', `/v1.0/groups/${salesId}`, admin, bind(21))).status, 400);
    assert.equal((await h.send('PATCH', `/v1.0/groups/${salesId}`, admin, bind(3))).status, 204);
    assert.ok(ids.slice(0, 3).every((id) => h.tenant.groupById(salesId)!.memberIds.has(id)));
  });

  it('sign-ins: newest first, filtered by UPN; appendSignIn shows up', async () => {
    const alice = h.tenant.userByUpn('alice@contoso.onmicrosoft.com')!;
    h.tenant.appendSignIn({
      userId: alice.id,
      appId: h.tenant.applications[0].appId,
      status: 'failure',
      failureReason: 'Invalid password',
      mfa: false,
    });
    const res = await json(
      await h.get(
        "/v1.0/auditLogs/signIns?$filter=userPrincipalName eq 'alice@contoso.onmicrosoft.com'&$top=10",
        admin,
      ),
    );
    const list = res.value as { createdDateTime: string; status: { failureReason: string } }[];
    assert.equal(list[0].status.failureReason, 'Invalid password');
    for (let i = 1; i < list.length; i++) assert.ok(list[i - 1].createdDateTime >= list[i].createdDateTime);
    const since = await json(
      await h.get(
        `/v1.0/auditLogs/signIns?$filter=createdDateTime ge ${new Date(Date.now() - 60_000).toISOString().slice(0, 19)}Z`,
        admin,
      ),
    );
    assert.ok((since.value as unknown[]).length >= 1);
  });

  it('directoryAudits filter on initiatedBy/user/userPrincipalName and activityDateTime', async () => {
    const res = await json(
      await h.get(
        '/v1.0/auditLogs/directoryAudits?$filter=activityDateTime ge 2020-01-01T00:00:00Z and ' +
          "initiatedBy/user/userPrincipalName eq 'admin@contoso.onmicrosoft.com'&$top=50",
        admin,
      ),
    );
    assert.ok(
      (res.value as { initiatedBy: { user: { userPrincipalName: string } } }[]).every(
        (a) => a.initiatedBy.user.userPrincipalName === 'admin@contoso.onmicrosoft.com',
      ),
    );
  });

  it('authentication context class references list c1', async () => {
    const res = await json(await h.get('/v1.0/identity/conditionalAccess/authenticationContextClassReferences', admin));
    assert.ok((res.value as { id: string; isAvailable: boolean }[]).some((c) => c.id === 'c1' && c.isAvailable));
  });
});

describe('devtenant graph: /users/{id}/memberOf', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('lists groups and directory roles, typed; the group cast keeps only groups; self needs only User.Read', async () => {
    const admin = await h.userToken('admin', ADMIN_SCOPES);
    const all = await json(await h.get('/v1.0/users/admin@contoso.onmicrosoft.com/memberOf', admin));
    const types = new Set((all.value as { '@odata.type': string }[]).map((m) => m['@odata.type']));
    assert.deepEqual([...types].sort(), ['#microsoft.graph.directoryRole', '#microsoft.graph.group']);
    const groups = await json(
      await h.get(
        '/v1.0/users/admin@contoso.onmicrosoft.com/memberOf/microsoft.graph.group?$select=displayName',
        admin,
      ),
    );
    assert.ok((groups.value as { displayName: string }[]).some((g) => g.displayName === 'IT Admins'));
    const alice = await h.userToken('alice', ['User.Read']);
    assert.equal((await h.get('/v1.0/me/memberOf', alice)).status, 200);
    assert.equal((await h.get('/v1.0/users/admin@contoso.onmicrosoft.com/memberOf', alice)).status, 403);
  });
});
