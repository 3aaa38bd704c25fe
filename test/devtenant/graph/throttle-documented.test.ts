// Graph's documented throttling (learn.microsoft.com/graph/throttling-limits), per app per tenant, with a fake clock:
// a client that ignores Retry-After is held to the documented rate; one that honours it is never refused twice in a
// row; $batch counts each request inside it; identity costs and x-ms-* headers as documented.
import assert from 'node:assert/strict';
import { identityResourceUnitQuota, requestCost } from '../../../devtenant/graph/throttle-limits.js';
import type { DocumentedThrottleOptions } from '../../../devtenant/graph/throttle.js';
import { ADMIN_SCOPES, json, startHarness, type Harness } from './helpers.js';

const SCOPES = [...ADMIN_SCOPES, 'Team.ReadBasic.All', 'Directory.ReadWrite.All'];

describe('devtenant Graph: documented throttling', function () {
  this.timeout(60_000);
  let clock = 0;
  let h: Harness;
  let token: string;
  const start = async (limits: DocumentedThrottleOptions['limits'] = {}) => {
    clock = 1_000_000;
    h = await startHarness({ server: { throttle: { mode: 'documented', limits, now: () => clock } } });
    token = await h.userToken('admin', SCOPES);
  };
  afterEach(() => h?.close());

  it('identity and access reports (5 per 10 s): a client ignoring Retry-After is held to the documented rate', async () => {
    await start();
    let admitted = 0;
    let refused = 0;
    // One request every 200 ms for 60 s, never waiting.
    for (let t = 0; t < 300; t++) {
      clock = 1_000_000 + t * 200;
      const res = await h.get('/v1.0/auditLogs/signIns?$top=1', token);
      if (res.status === 200) admitted++;
      else {
        assert.equal(res.status, 429);
        const retryAfter = Number(res.headers.get('retry-after'));
        assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1);
        assert.equal((await json(res)).error?.code, 'TooManyRequests');
        refused++;
      }
    }
    // Bucket of 5, refilled at 0.5 per second: at most 5 + 0.5 × 60 = 35 in 60 s.
    assert.ok(admitted <= 35 && admitted >= 34, `admitted ${admitted}`);
    assert.equal(admitted + refused, 300);
  });

  it('a client honouring Retry-After is never refused twice in a row', async () => {
    await start();
    let previousRefused = false;
    let refusals = 0;
    for (let i = 0; i < 100; i++) {
      const res = await h.get('/v1.0/auditLogs/directoryAudits?$top=1', token);
      if (res.status === 429) {
        assert.equal(previousRefused, false, `request ${i} refused twice in a row`);
        previousRefused = true;
        refusals++;
        clock += Number(res.headers.get('retry-after')) * 1000;
      } else {
        assert.equal(res.status, 200);
        previousRefused = false;
        clock += 10; // the client's own think time
      }
    }
    assert.ok(refusals > 0, 'the test must reach the limit');
  });

  it('identity request costs: base cost per path, $select −1, $top < 20 −1, never below 1 (x-ms-resource-unit)', async () => {
    await start();
    const user = h.tenant.userByKey('alice@contoso.onmicrosoft.com')!;
    const group = h.tenant.groups.find((g) => g.memberIds.size > 0)!;
    const cost = async (path: string) => (await h.get(path, token)).headers.get('x-ms-resource-unit');
    assert.equal(await cost('/v1.0/users'), '2');
    assert.equal(await cost('/v1.0/users?$select=id'), '1');
    assert.equal(await cost('/v1.0/users?$top=5'), '1');
    assert.equal(await cost('/v1.0/users?$top=5&$select=id'), '1');
    assert.equal(await cost(`/v1.0/users/${user.id}`), '1');
    assert.equal(await cost(`/v1.0/groups/${group.id}/members`), '3');
    assert.equal(await cost(`/v1.0/users/${user.id}/memberOf`), '2');
    assert.equal(await cost('/v1.0/subscribedSkus'), '3');
    const q = new URLSearchParams('$expand=members');
    assert.deepEqual(requestCost({ method: 'GET', path: '/groups/{id}', query: q, appId: 'a', tenantId: 't' }), {
      resourceUnits: 2,
      writes: 0,
    });
    assert.equal(identityResourceUnitQuota(10), 3_500);
    assert.equal(identityResourceUnitQuota(60), 5_000);
    assert.equal(identityResourceUnitQuota(50_000), 8_000);
  });

  it('x-ms-throttle-limit-percentage from 80 % used; 429 names scope and reason; x-ms-throttle-priority accepted', async () => {
    await start({ identityResourceUnits: { quota: 10, windowSeconds: 10 } });
    const user = h.tenant.userByKey('alice@contoso.onmicrosoft.com')!;
    const percentages: (string | null)[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await h.get(`/v1.0/users/${user.id}`, token, { 'x-ms-throttle-priority': i % 2 ? 'Low' : 'High' });
      assert.equal(res.status, 200);
      percentages.push(res.headers.get('x-ms-throttle-limit-percentage'));
    }
    assert.deepEqual(percentages, [null, null, null, null, null, null, null, null, '0.90', '1.00']);
    const refused = await h.get(`/v1.0/users/${user.id}`, token);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.equal(
      refused.headers.get('x-ms-throttle-scope'),
      `Tenant_Application/ReadWrite/${h.tenant.applications.find((a) => a.kind === 'bot')!.appId}/${h.tenant.id}`,
    );
    assert.equal(refused.headers.get('x-ms-throttle-information'), 'ResourceUnitLimitExceeded');
    clock += 1000;
    assert.equal((await h.get(`/v1.0/users/${user.id}`, token)).status, 200);
  });

  it('$batch counts each request inside it (the batch itself costs nothing)', async () => {
    await start({ identityResourceUnits: { quota: 10, windowSeconds: 10 } });
    const user = h.tenant.userByKey('alice@contoso.onmicrosoft.com')!;
    const requests = Array.from({ length: 12 }, (_, i) => ({
      id: String(i + 1),
      method: 'GET',
      url: `/users/${user.id}`,
    }));
    const res = await h.send('POST', '/v1.0/$batch', token, { requests });
    assert.equal(res.status, 200);
    const statuses = ((await json(res)).responses as { status: number }[]).map((r) => r.status).sort();
    assert.deepEqual(statuses, [...Array(10).fill(200), 429, 429]);
  });

  it('writes have their own quota (WriteLimitExceeded)', async () => {
    await start({ identityWrites: { quota: 2, windowSeconds: 150 } });
    const user = h.tenant.users.find(
      (u) => u.userType === 'Member' && h.tenant.activeRoleTemplateIds(u.id).length === 0,
    )!;
    for (let i = 0; i < 2; i++)
      assert.equal((await h.send('PATCH', `/v1.0/users/${user.id}`, token, { jobTitle: `t${i}` })).status, 204);
    const refused = await h.send('PATCH', `/v1.0/users/${user.id}`, token, { jobTitle: 'x' });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('x-ms-throttle-information'), 'WriteLimitExceeded');
    assert.equal(refused.headers.get('retry-after'), '75');
    assert.equal(user.jobTitle, 't1', 'a refused write changes nothing');
    // Reads are still served: the resource-unit quota is separate.
    assert.equal((await h.get(`/v1.0/users/${user.id}`, token)).status, 200);
  });

  it('Microsoft Teams: 30 requests per second per app per tenant for GET team', async () => {
    await start();
    const team = h.tenant.teams[0]!;
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await h.get(`/v1.0/teams/${team.id}`, token)).status);
    assert.deepEqual(statuses, [...Array(30).fill(200), 429]);
    clock += 1000;
    assert.equal((await h.get(`/v1.0/teams/${team.id}`, token)).status, 200);
  });
});
