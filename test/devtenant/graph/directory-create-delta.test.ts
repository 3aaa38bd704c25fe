// POST /users, POST /groups (required properties, Graph's texts, 201 + default projection) and GET /users/delta
// (full round with paging, then only the changes since the deltaLink, deleted users as @removed).
import assert from 'node:assert/strict';
import { ADMIN_SCOPES, json, startHarness, type Harness } from './helpers.js';

const SCOPES = [...ADMIN_SCOPES, 'Group.ReadWrite.All'];
const newUser = (n: string) => ({
  accountEnabled: true,
  displayName: `New ${n}`,
  mailNickname: `new${n}`,
  userPrincipalName: `new${n}@contoso.onmicrosoft.com`,
  passwordProfile: { forceChangePasswordNextSignIn: true, password: 'xWwvJ]6NMw+bWH-d' },
});

describe('devtenant Graph: POST /users, POST /groups, GET /users/delta', function () {
  this.timeout(60_000);
  let h: Harness;
  let token: string;
  before(async () => {
    h = await startHarness();
    token = await h.userToken('admin', SCOPES);
  });
  after(() => h.close());

  it('POST /users: 201 with Location and the default projection; the user is then readable', async () => {
    const res = await h.send('POST', '/v1.0/users', token, { ...newUser('a'), jobTitle: 'Analyst', city: 'Oslo' });
    assert.equal(res.status, 201);
    const body = await json(res);
    assert.match(String(body['@odata.context']), /\$metadata#users\/\$entity$/);
    assert.equal(res.headers.get('location'), `${h.server.v1}/users/${String(body.id)}`);
    assert.equal(body.userPrincipalName, 'newa@contoso.onmicrosoft.com');
    assert.equal(body.jobTitle, 'Analyst');
    assert.equal('city' in body, false, 'city is not in the default projection');
    const read = await json(await h.get(`/v1.0/users/newa@contoso.onmicrosoft.com?$select=city,mailNickname`, token));
    assert.equal(read.city, 'Oslo');
    assert.equal(read.mailNickname, 'newa');
  });

  it('POST /users refuses what Graph refuses, with its texts', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { ...newUser('b'), mailNickname: undefined },
        'Property mailNickname value is required but is empty or missing.',
      ],
      [
        { ...newUser('c'), passwordProfile: { forceChangePasswordNextSignIn: true } },
        'Property passwordProfile.password value is required but is empty or missing.',
      ],
      [
        { ...newUser('d'), userPrincipalName: 'newa@contoso.onmicrosoft.com' },
        'Another object with the same value for property userPrincipalName already exists.',
      ],
      [
        { ...newUser('e'), userPrincipalName: 'x@fabrikam.com' },
        'The domain portion of the userPrincipalName property is invalid. You must use one of the verified ' +
          'domain names in your organization.',
      ],
      [
        { ...newUser('f'), mailNickname: 'has space' },
        "Invalid value specified for property 'mailNickname' of resource 'User'.",
      ],
      [
        { ...newUser('g'), createdDateTime: '2020-01-01T00:00:00Z' },
        "Property 'createdDateTime' is read-only and cannot be set.",
      ],
    ];
    const before = h.tenant.users.length;
    for (const [body, message] of cases) {
      const res = await h.send('POST', '/v1.0/users', token, JSON.parse(JSON.stringify(body)));
      assert.equal(res.status, 400, message);
      assert.equal((await json(res)).error?.message, message);
    }
    assert.equal(h.tenant.users.length, before, 'nothing was created');
  });

  it('POST /users needs User.ReadWrite.All and a user-writing role', async () => {
    const alice = await h.userToken('alice', SCOPES);
    assert.equal((await h.send('POST', '/v1.0/users', alice, newUser('h'))).status, 403);
    const readOnly = await h.userToken('admin', ['User.Read.All']);
    assert.equal((await h.send('POST', '/v1.0/users', readOnly, newUser('i'))).status, 403);
  });

  it('POST /groups: 201 with members and owners bound, required properties enforced', async () => {
    const alice = h.tenant.userByKey('alice@contoso.onmicrosoft.com')!;
    const res = await h.send('POST', '/v1.0/groups', token, {
      displayName: 'Project Falcon',
      mailEnabled: false,
      mailNickname: 'falcon',
      securityEnabled: true,
      'members@odata.bind': [`https://graph.microsoft.com/v1.0/users/${alice.id}`],
    });
    assert.equal(res.status, 201);
    const body = await json(res);
    assert.equal(body.displayName, 'Project Falcon');
    assert.equal(body.securityEnabled, true);
    assert.deepEqual(body.groupTypes, []);
    assert.ok('membershipRule' in body, 'default group projection');
    const members = await json(await h.get(`/v1.0/groups/${String(body.id)}/members?$select=id`, token));
    assert.deepEqual(
      (members.value as { id: string }[]).map((m) => m.id),
      [alice.id],
    );
    const missing = await h.send('POST', '/v1.0/groups', token, {
      displayName: 'x',
      mailEnabled: false,
      mailNickname: 'x',
    });
    assert.equal(missing.status, 400);
    assert.equal(
      (await json(missing)).error?.message,
      'Property securityEnabled value is required but is empty or missing.',
    );
  });

  it('GET /users/delta: pages every user, then returns only what changed since the deltaLink', async () => {
    const prefer = { Prefer: 'odata.maxpagesize=25' };
    let url = '/v1.0/users/delta?$select=displayName,jobTitle';
    const seen = new Set<string>();
    let deltaLink = '';
    for (let pages = 0; pages < 50 && !deltaLink; pages++) {
      const body = await json(await h.get(url, token, prefer));
      for (const u of body.value as { id: string; displayName: string }[]) {
        assert.deepEqual(Object.keys(u).sort(), ['displayName', 'id', 'jobTitle']);
        seen.add(u.id);
      }
      if (typeof body['@odata.nextLink'] === 'string') url = String(body['@odata.nextLink']).replace(h.server.url, '');
      else deltaLink = String(body['@odata.deltaLink']);
    }
    assert.equal(seen.size, [...h.tenant.liveUsers()].length);
    assert.match(deltaLink, /\/users\/delta\?\$deltatoken=/);

    const [changed, removed] = [...h.tenant.liveUsers()].filter(
      (u) => u.userType === 'Member' && h.tenant.activeRoleTemplateIds(u.id).length === 0,
    );
    assert.equal((await h.send('PATCH', `/v1.0/users/${changed!.id}`, token, { jobTitle: 'Changed' })).status, 204);
    assert.equal((await h.send('DELETE', `/v1.0/users/${removed!.id}`, token)).status, 204);
    const created = await json(await h.send('POST', '/v1.0/users', token, newUser('delta')));

    const changes = await json(await h.get(deltaLink.replace(h.server.url, ''), token));
    assert.deepEqual(changes.value, [
      { id: changed!.id, displayName: changed!.displayName, jobTitle: 'Changed' },
      { id: removed!.id, '@removed': { reason: 'changed' } },
      { id: String(created.id), displayName: 'New delta', jobTitle: null },
    ]);
    const next = await json(await h.get(String(changes['@odata.deltaLink']).replace(h.server.url, ''), token));
    assert.deepEqual(next.value, [], 'nothing changed since the second deltaLink');
    const bad = await h.get('/v1.0/users/delta?$deltatoken=not-a-token', token);
    assert.equal(bad.status, 400);
  });
});
