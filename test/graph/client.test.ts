import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startGraphServer } from '../../devtenant/graph/server.js';
import { ensureTlsMaterial } from '../../devtenant/identity/key-material.js';
import { loadTrustAnchors } from '../../bot/net/trust.js';
import type { DevTenant } from '../../devtenant/index.js';
import { GraphApi } from '../../bot/graph/client.js';
import { GraphRequestError } from '../../bot/graph/errors.js';
import { userPath, withQuery } from '../../bot/graph/odata.js';
import { DEMO, startTestDevTenant } from '../helpers/devtenant.js';

interface User {
  id: string;
  userPrincipalName: string;
}

describe('Graph client (bot/graph) against the Graph stand-in', () => {
  let dev: DevTenant;
  let adminToken: string;

  before(async () => {
    dev = await startTestDevTenant();
    adminToken = await dev.identity.issueToken({ user: DEMO.admin, scopes: 'User.Read.All', amr: ['pwd', 'mfa'] });
  });
  after(() => dev.close());
  beforeEach(() => dev.graph.clearLog());

  const client = (token = adminToken, baseUrl = dev.graph.url, extra = {}) =>
    new GraphApi({
      baseUrl,
      accessToken: async () => token,
      trust: loadTrustAnchors(dev.identity.caCertPath),
      ...extra,
    });

  it('reads a user by UPN in one round trip and keeps the request-id', async () => {
    const graph = client();
    const response = await graph.get<User>(withQuery(userPath(DEMO.alice), { $select: ['id', 'userPrincipalName'] }));
    assert.equal(response.status, 200);
    assert.equal(response.body.userPrincipalName, DEMO.alice);
    assert.equal(dev.graph.requestLog.length, 1);
    assert.match(
      dev.graph.requestLog[0].url,
      /\/v1\.0\/users\('alice%40contoso\.onmicrosoft\.com'\)\?\$select=id%2CuserPrincipalName$/,
    );
    assert.deepEqual(graph.requestIds, [response.requestId]);
  });

  it('escapes quotes so a UPN cannot break out of its literal', async () => {
    await assert.rejects(client().get(userPath("x') or true or ('")), (err: unknown) => {
      assert.ok(err instanceof GraphRequestError);
      assert.equal(err.status, 404);
      assert.equal(err.graphCode, 'Request_ResourceNotFound');
      assert.ok(err.requestId);
      return true;
    });
  });

  it('follows @odata.nextLink pages through relative links', async () => {
    const graph = client();
    const first = await graph.get<{ value: User[]; '@odata.nextLink'?: string }>('/users?$top=5&$select=id');
    assert.equal(first.body.value.length, 5);
    assert.ok(first.body['@odata.nextLink']);
    const second = await graph.get<{ value: User[] }>(graph.relativeLink(first.body['@odata.nextLink']!));
    assert.equal(second.body.value.length, 5);
    assert.notEqual(second.body.value[0].id, first.body.value[0].id);
  });

  it('refuses to follow a nextLink to another host', () => {
    assert.throws(() => client().relativeLink('https://evil.example/v1.0/users?$skiptoken=x'), /another host/);
  });

  it('sends a $batch and returns results by id', async () => {
    const graph = client();
    const results = await graph.batch([
      { id: '1', method: 'GET', url: `${userPath(DEMO.alice)}?$select=id` },
      { id: '2', method: 'GET', url: `/users/00000000-0000-0000-0000-000000000000` },
    ]);
    assert.equal(results.get('1')?.status, 200);
    assert.equal(results.get('2')?.status, 404);
    assert.equal(dev.graph.requestLog.filter((r) => !r.viaBatch).length, 1, 'one round trip');
    await assert.rejects(
      graph.batch(Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET' as const, url: '/me' }))),
    );
  });

  it('maps a permission failure to a coded error with Graph code and request-id', async () => {
    const weak = await dev.identity.issueToken({ user: DEMO.alice, scopes: 'User.Read' });
    await assert.rejects(client(weak).get('/users?$top=1'), (err: unknown) => {
      assert.ok(err instanceof GraphRequestError);
      assert.equal(err.status, 403);
      assert.equal(err.graphCode, 'Authorization_RequestDenied');
      assert.match(err.message, /do not allow this operation/);
      return true;
    });
  });

  describe('throttling', () => {
    let throttled: Awaited<ReturnType<typeof startGraphServer>>;
    before(async () => {
      const tls = await ensureTlsMaterial(join(process.cwd(), 'test-results', 'devtenant'));
      throttled = await startGraphServer({
        tenant: dev.tenant,
        trust: { issuer: dev.identity.issuer, getKey: dev.identity.getKey },
        throttle: { capacity: 2, refillPerSecond: 2 },
        tls: { key: tls.serverKeyPem, cert: tls.serverCertPem },
      });
    });
    after(() => throttled.close());

    it('retries a throttled read after Retry-After and succeeds', async () => {
      const graph = client(adminToken, throttled.url);
      for (let i = 0; i < 4; i++) assert.equal((await graph.get('/users?$top=1&$select=id')).status, 200);
      assert.ok(
        throttled.requestLog.some((r) => r.status === 429),
        'the stand-in throttled at least once',
      );
    });

    it('gives up at once when Graph asks for a longer wait than allowed, and says how long', async () => {
      const graph = client(adminToken, throttled.url, { maxRetryAfterSeconds: 0 });
      const attempts = Array.from({ length: 6 }, () => graph.get('/users?$top=1&$select=id'));
      const results = await Promise.allSettled(attempts);
      const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      assert.ok(refused.length > 0);
      const error = refused[0].reason as GraphRequestError;
      assert.equal(error.graphCode, 'TooManyRequests');
      assert.ok((error.retryAfterSeconds ?? 0) >= 1);
    });
  });
});
