import assert from 'node:assert/strict';
import { startHarness, json, ADMIN_SCOPES, type Harness } from './helpers.js';
import { STANDARD_AUTH_CONTEXT_RULES } from '../../../devtenant/graph/server.js';

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: { error?: { code: string }; value?: unknown[] };
}

describe('devtenant graph: $batch', () => {
  let h: Harness;
  let admin: string;
  before(async () => {
    h = await startHarness();
    admin = await h.userToken('admin', ADMIN_SCOPES);
  });
  after(() => h.close());
  const batch = (requests: unknown[]) => h.send('POST', '/v1.0/$batch', admin, { requests });

  it('runs up to 20 requests in one round trip; responses carry ids, statuses, bodies, not necessarily in order', async () => {
    h.server.clearLog();
    const requests = Array.from({ length: 20 }, (_, i) => ({
      id: i + 1,
      method: 'GET',
      url: i === 3 ? '/users/ghost@contoso.onmicrosoft.com' : `/users?$top=1&$select=id`,
    }));
    const res = await batch(requests);
    assert.equal(res.status, 200);
    const { responses } = (await json(res)) as unknown as { responses: BatchResponse[] };
    assert.equal(responses.length, 20);
    assert.deepEqual(
      responses.map((r) => r.id).sort((a, b) => Number(a) - Number(b)),
      requests.map((r) => String(r.id)),
    );
    assert.notDeepEqual(
      responses.map((r) => r.id),
      requests.map((r) => String(r.id)),
    );
    assert.equal(responses.find((r) => r.id === '4')?.status, 404);
    assert.equal(responses.find((r) => r.id === '4')?.body?.error?.code, 'Request_ResourceNotFound');
    assert.equal(h.server.requestLog.filter((e) => !e.viaBatch).length, 1);
    assert.equal(h.server.requestLog.filter((e) => e.viaBatch).length, 20);
  });

  it('more than 20 requests, duplicate ids, unknown dependsOn and bodies without Content-Type are 400', async () => {
    const get = (id: string) => ({ id, method: 'GET', url: '/me' });
    assert.equal((await batch(Array.from({ length: 21 }, (_, i) => get(String(i))))).status, 400);
    assert.equal((await batch([get('1'), get('1')])).status, 400);
    assert.equal((await batch([{ ...get('1'), dependsOn: ['9'] }])).status, 400);
    assert.equal((await batch([{ id: '1', method: 'PATCH', url: '/me', body: { jobTitle: 'x' } }])).status, 400);
    assert.equal((await h.send('POST', '/v1.0/$batch', admin, '{"requests": [')).status, 400);
  });

  it('a step depending on a failed step gets 424; dependants of successes run after them', async () => {
    const res = await batch([
      { id: 'a', method: 'GET', url: '/users/ghost@contoso.onmicrosoft.com' },
      { id: 'b', method: 'GET', url: '/me', dependsOn: ['a'] },
      {
        id: 'c',
        method: 'PATCH',
        url: '/users/bob@contoso.onmicrosoft.com',
        headers: { 'Content-Type': 'application/json' },
        body: { jobTitle: 'Lead' },
      },
      { id: 'd', method: 'GET', url: '/users/bob@contoso.onmicrosoft.com?$select=jobTitle', dependsOn: ['c'] },
    ]);
    const { responses } = (await json(res)) as unknown as { responses: BatchResponse[] };
    const by = (id: string) => responses.find((r) => r.id === id)!;
    assert.equal(by('b').status, 424);
    assert.equal(by('c').status, 204);
    assert.equal((by('d').body as unknown as { jobTitle: string }).jobTitle, 'Lead');
  });

  it('each step uses its own ConsistencyLevel header', async () => {
    const res = await batch([
      {
        id: '1',
        method: 'GET',
        url: "/users?$filter=userType ne 'Guest'&$count=true",
        headers: { ConsistencyLevel: 'eventual' },
      },
      { id: '2', method: 'GET', url: "/users?$filter=userType ne 'Guest'&$count=true" },
    ]);
    const { responses } = (await json(res)) as unknown as { responses: BatchResponse[] };
    assert.equal(responses.find((r) => r.id === '1')?.status, 200);
    assert.equal(responses.find((r) => r.id === '2')?.status, 400);
  });
});

describe('devtenant graph: throttling', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ server: { throttle: { capacity: 3, refillPerSecond: 0.5 } } });
  });
  after(() => h.close());

  it('429 TooManyRequests with Retry-After once the app bucket is empty; other apps are unaffected', async () => {
    const t = await h.userToken('admin', ADMIN_SCOPES);
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 5; i++) {
      const r = await h.get('/v1.0/me', t);
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    assert.deepEqual(statuses.slice(0, 3), [200, 200, 200]);
    assert.ok(limited);
    assert.match(limited.headers.get('retry-after') ?? '', /^\d+$/);
    const body = await json(limited);
    assert.equal(body.error?.code, 'TooManyRequests');
    assert.deepEqual(
      [body.error?.innerError.code, body.error?.innerError.status, body.error?.innerError.message],
      ['429', '429', 'Please retry after'],
    );
    const other = await h.appToken(['User.Read.All']);
    assert.equal((await h.get('/v1.0/users?$top=1', other)).status, 200);
  });

  it('throttles each $batch step separately: the batch is 200, inner steps may be 429', async () => {
    const app = await h.appToken(['User.Read.All'], { appid: '11111111-2222-4333-8444-555555555555' });
    const res = await h.send('POST', '/v1.0/$batch', app, {
      requests: Array.from({ length: 6 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users?$top=1' })),
    });
    assert.equal(res.status, 200);
    const { responses } = (await json(res)) as unknown as { responses: BatchResponse[] };
    const statuses = responses.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 429, 429, 429]);
    assert.match(responses.find((r) => r.status === 429)!.headers['Retry-After'], /^\d+$/);
  });
});

describe('devtenant graph: authentication-context claims challenge', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ server: { authContextRules: STANDARD_AUTH_CONTEXT_RULES } });
  });
  after(() => h.close());

  it('CP1 clients get 401 insufficient_claims with base64 claims; others get 403; acrs c1 passes', async () => {
    const cp1 = await h.userToken('admin', ADMIN_SCOPES, { xms_cc: ['cp1'] });
    const res = await h.send('DELETE', '/v1.0/users/bob@contoso.onmicrosoft.com', cp1);
    assert.equal(res.status, 401);
    const header = res.headers.get('www-authenticate') ?? '';
    assert.match(
      header,
      /^Bearer realm="", authorization_uri="[^"]+", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="[^"]+"$/,
    );
    const claims = JSON.parse(Buffer.from(/claims="([^"]+)"/.exec(header)![1], 'base64').toString('utf8'));
    assert.deepEqual(claims, { access_token: { acrs: { essential: true, value: 'c1' } } });
    const legacy = await h.userToken('admin', ADMIN_SCOPES);
    assert.equal((await h.send('DELETE', '/v1.0/users/bob@contoso.onmicrosoft.com', legacy)).status, 403);
    const stepped = await h.userToken('admin', ADMIN_SCOPES, { xms_cc: ['cp1'], acrs: ['c1'] });
    assert.equal((await h.send('DELETE', '/v1.0/users/bob@contoso.onmicrosoft.com', stepped)).status, 204);
    // Reads are not protected.
    assert.equal((await h.get('/v1.0/me', cp1)).status, 200);
  });
});

describe('devtenant graph: continuous access evaluation after revokeSignInSessions', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('challenges CP1 tokens issued before the revocation with an nbf claims request; other tokens keep working', async () => {
    const cp1 = await h.userToken('alice', ['User.Read'], {
      xms_cc: ['cp1'],
      iat: Math.floor(Date.now() / 1000) - 120,
    });
    const plain = await h.userToken('alice', ['User.Read'], { iat: Math.floor(Date.now() / 1000) - 120 });
    assert.equal((await h.get('/v1.0/me', cp1)).status, 200);
    const admin = await h.userToken('admin', ADMIN_SCOPES);
    assert.equal(
      (await h.send('POST', '/v1.0/users/alice@contoso.onmicrosoft.com/revokeSignInSessions', admin)).status,
      200,
    );
    const res = await h.get('/v1.0/me', cp1);
    assert.equal(res.status, 401);
    const header = res.headers.get('www-authenticate') ?? '';
    assert.match(header, /error="insufficient_claims"/);
    assert.match(header, /TokenIssuedBeforeRevocationTimestamp/);
    const claims = JSON.parse(Buffer.from(/claims="([^"]+)"/.exec(header)![1], 'base64').toString('utf8'));
    assert.equal(claims.access_token.nbf.essential, true);
    assert.equal((await h.get('/v1.0/me', plain)).status, 200);
  });
});
