import assert from 'node:assert/strict';
import { startHarness, json, type Harness } from './helpers.js';
import { membershipId } from '../../../devtenant/graph/routes/teams-model.js';
import { FIXED_ACCOUNTS, type SeedTeam, type SeedUser } from '../../../devtenant/seed/index.js';

const TEAMS_SCOPES = ['Team.ReadBasic.All', 'TeamMember.ReadWrite.All', 'TeamSettings.ReadWrite.All'];
type Member = {
  '@odata.type': string;
  id: string;
  roles: string[];
  userId: string;
  displayName: string;
  email: string | null;
};

describe('devtenant graph: /teams and /teams/{id}/members', () => {
  let h: Harness;
  let teamsAdmin: string;
  let phoenix: SeedTeam;
  /** An enabled member account that is not yet in Project Phoenix. */
  let newcomer: SeedUser;
  before(async () => {
    h = await startHarness();
    teamsAdmin = await h.userToken('teamsadmin', TEAMS_SCOPES);
    phoenix = h.tenant.teams.find((t) => t.displayName === 'Project Phoenix')!;
    const group = h.tenant.groupById(phoenix.id)!;
    newcomer = h.tenant.users.find(
      (u) => u.accountEnabled && u.userType === 'Member' && !group.memberIds.has(u.id) && !group.ownerIds.has(u.id),
    )!;
  });
  after(() => h.close());

  const user = (key: string) => h.tenant.userByUpn(`${key}@${h.tenant.domain}`)!;
  const bind = (id: string) => `https://graph.microsoft.com/v1.0/users('${id}')`;
  const members = async (teamId: string): Promise<Member[]> =>
    (await json(await h.get(`/v1.0/teams/${teamId}/members`, teamsAdmin))).value as Member[];

  it('lists teams with $filter=startswith(displayName,…) and $select, with the selection in @odata.context', async () => {
    const res = await h.get(
      "/v1.0/teams?$filter=startswith(displayName,'Pro')&$select=id,displayName,isArchived,visibility",
      teamsAdmin,
    );
    assert.equal(res.status, 200);
    const body = await json(res);
    assert.match(String(body['@odata.context']), /\/v1\.0\/\$metadata#teams\(id,displayName,isArchived,visibility\)$/);
    // As in Graph, the list populates only id, displayName and description: the rest is null even when selected.
    assert.deepEqual(body.value, [
      { id: phoenix.id, displayName: 'Project Phoenix', isArchived: null, visibility: null },
    ]);
    const plain = await json(await h.get('/v1.0/teams?$top=2&$count=true', teamsAdmin));
    assert.deepEqual(Object.keys((plain.value as object[])[0]!).sort(), ['description', 'displayName', 'id']);
    assert.equal(plain['@odata.count'], h.tenant.teams.length);
    assert.ok(String(plain['@odata.nextLink']).includes('$skiptoken='));
  });

  it('rejects filters Graph does not support on teams', async () => {
    const res = await h.get("/v1.0/teams?$filter=webUrl eq 'x'", teamsAdmin);
    assert.equal(res.status, 400);
  });

  it('gets one team with its settings and summary; unknown team → 404 NotFound', async () => {
    const body = await json(await h.get(`/v1.0/teams/${phoenix.id}`, teamsAdmin));
    assert.equal(body.displayName, 'Project Phoenix');
    assert.equal(typeof (body.summary as { ownersCount: number }).ownersCount, 'number');
    assert.ok(body.memberSettings && body.funSettings);
    const missing = await h.get('/v1.0/teams/00000000-0000-4000-8000-00000000dead', teamsAdmin);
    assert.equal(missing.status, 404);
    assert.equal((await json(missing)).error?.code, 'NotFound');
  });

  it('lists members as aadUserConversationMember with roles owner / guest / []', async () => {
    const list = await members(phoenix.id);
    const teamsadmin = list.find((m) => m.userId === user('teamsadmin').id)!;
    assert.deepEqual(teamsadmin.roles, ['owner']);
    assert.equal(teamsadmin['@odata.type'], '#microsoft.graph.aadUserConversationMember');
    for (const m of list) {
      const u = h.tenant.userById(m.userId)!;
      if (!m.roles.includes('owner')) assert.deepEqual(m.roles, u.userType === 'Guest' ? ['guest'] : []);
    }
    const owners = await json(
      await h.get(`/v1.0/teams/${phoenix.id}/members?$filter=roles/any(r:r eq 'owner')`, teamsAdmin),
    );
    assert.deepEqual(
      (owners.value as Member[]).map((m) => m.userId),
      [user('teamsadmin').id],
    );
    // The documented way to find one user's membership filters through the derived type.
    const filter = `(microsoft.graph.aadUserConversationMember/userId eq '${user('teamsadmin').id}')`;
    const one = await json(
      await h.get(
        `/v1.0/teams/${phoenix.id}/members?$filter=${encodeURIComponent(filter)}&$select=id,roles`,
        teamsAdmin,
      ),
    );
    assert.deepEqual(one.value, [
      { '@odata.type': '#microsoft.graph.aadUserConversationMember', id: teamsadmin.id, roles: ['owner'] },
    ]);
  });

  it('adds a member → 201 with the membership, audited; adding again is idempotent (201, unchanged)', async () => {
    const bob = newcomer;
    assert.ok(!(await members(phoenix.id)).some((m) => m.userId === bob.id));
    const audits = h.tenant.directoryAudits.length;
    const body = {
      '@odata.type': '#microsoft.graph.aadUserConversationMember',
      roles: [],
      'user@odata.bind': bind(bob.id),
    };
    const res = await h.send('POST', `/v1.0/teams/${phoenix.id}/members`, teamsAdmin, body);
    assert.equal(res.status, 201);
    const created = await json(res);
    assert.equal(created.userId, bob.id);
    assert.deepEqual(created.roles, []);
    assert.match(String(created['@odata.context']), /#teams\('[^']+'\)\/members\/\$entity$/);
    assert.equal(h.tenant.directoryAudits.length, audits + 1);
    assert.equal(h.tenant.directoryAudits.at(-1)!.activityDisplayName, 'Add member to group');
    const again = await h.send('POST', `/v1.0/teams/${phoenix.id}/members`, teamsAdmin, body);
    assert.equal(again.status, 201);
    assert.equal((await json(again)).id, created.id);
    assert.equal((await members(phoenix.id)).filter((m) => m.userId === bob.id).length, 1);
  });

  it('answers 404 for a disabled or unknown user, 400 for a missing @odata.type or bind', async () => {
    // Block an account the way an admin would (the Graph stand-in and the tenant share the object).
    const disabled = h.tenant.users.find(
      (u) =>
        u.accountEnabled &&
        u.userType === 'Member' &&
        u.id !== newcomer.id &&
        !FIXED_ACCOUNTS.some((a) => a.id === u.id),
    )!;
    disabled.accountEnabled = false;
    const post = (body: unknown) => h.send('POST', `/v1.0/teams/${phoenix.id}/members`, teamsAdmin, body);
    const base = { '@odata.type': '#microsoft.graph.aadUserConversationMember', roles: [] };
    const r1 = await post({ ...base, 'user@odata.bind': bind(disabled.id) });
    assert.equal(r1.status, 404);
    assert.equal((await json(r1)).error?.code, 'NotFound');
    assert.equal(
      (await post({ ...base, 'user@odata.bind': bind('00000000-0000-4000-8000-000000000bad') })).status,
      404,
    );
    assert.equal((await post({ roles: [], 'user@odata.bind': bind(user('alice').id) })).status, 400);
    assert.equal((await post(base)).status, 400);
    assert.equal((await post({ ...base, roles: ['admin'], 'user@odata.bind': bind(user('alice').id) })).status, 400);
  });

  it('needs TeamMember.ReadWrite.All to add an owner (NonOwnerRole is not enough), and the Teams Administrator role', async () => {
    const nonOwnerScope = await h.userToken('teamsadmin', ['TeamMember.ReadWriteNonOwnerRole.All']);
    const body = {
      '@odata.type': '#microsoft.graph.aadUserConversationMember',
      roles: ['owner'],
      'user@odata.bind': bind(user('useradmin').id),
    };
    assert.equal((await h.send('POST', `/v1.0/teams/${phoenix.id}/members`, nonOwnerScope, body)).status, 403);
    const alice = await h.userToken('alice', TEAMS_SCOPES);
    const denied = await h.send('POST', `/v1.0/teams/${phoenix.id}/members`, alice, body);
    assert.equal(denied.status, 403);
    assert.equal((await json(denied)).error?.code, 'Authorization_RequestDenied');
    const ok = await h.send('POST', `/v1.0/teams/${phoenix.id}/members`, teamsAdmin, body);
    assert.equal(ok.status, 201);
    assert.deepEqual((await json(ok)).roles, ['owner']);
  });

  it('removes a member by membership id → 204, then 404 for the same id', async () => {
    const bob = newcomer;
    const id = membershipId(h.tenant.id, phoenix.id, bob.id);
    assert.ok(
      (await members(phoenix.id)).some((m) => m.id === id),
      'the newcomer was added by an earlier test',
    );
    const res = await h.send('DELETE', `/v1.0/teams/${phoenix.id}/members/${encodeURIComponent(id)}`, teamsAdmin);
    assert.equal(res.status, 204);
    assert.ok(!(await members(phoenix.id)).some((m) => m.userId === bob.id));
    assert.equal(h.tenant.directoryAudits.at(-1)!.activityDisplayName, 'Remove member from group');
    assert.equal(
      (await h.send('DELETE', `/v1.0/teams/${phoenix.id}/members/${encodeURIComponent(id)}`, teamsAdmin)).status,
      404,
    );
  });

  it('lets app-only callers read teams with Team.ReadBasic.All', async () => {
    const app = await h.appToken(['Team.ReadBasic.All']);
    assert.equal((await h.get(`/v1.0/teams/${phoenix.id}`, app)).status, 200);
    assert.equal((await h.get(`/v1.0/teams/${phoenix.id}/members`, app)).status, 403);
  });
});
