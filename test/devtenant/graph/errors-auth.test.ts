import assert from 'node:assert/strict';
import { generateKeyPair } from 'jose';
import { startHarness, json, ADMIN_SCOPES, type Harness } from './helpers.js';
import { APP_IDS } from '../../../devtenant/seed/index.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('devtenant graph: error envelope, tokens, permissions', () => {
  let h: Harness;
  let admin: string;
  before(async () => {
    h = await startHarness();
    admin = await h.userToken('admin', ADMIN_SCOPES);
  });
  after(() => h.close());

  it('404 Request_ResourceNotFound with request-id headers and a Graph innerError', async () => {
    const res = await h.get('/v1.0/users/ghost@contoso.onmicrosoft.com', admin, {
      'client-request-id': 'c0ffee00-0000-4000-8000-000000000000',
    });
    assert.equal(res.status, 404);
    assert.match(res.headers.get('request-id') ?? '', GUID);
    assert.equal(res.headers.get('client-request-id'), 'c0ffee00-0000-4000-8000-000000000000');
    const body = await json(res);
    assert.equal(body.error?.code, 'Request_ResourceNotFound');
    assert.equal(
      body.error?.message,
      "Resource 'ghost@contoso.onmicrosoft.com' does not exist or one of its queried reference-property objects " +
        'are not present.',
    );
    assert.match(body.error!.innerError.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.equal(body.error!.innerError['request-id'], res.headers.get('request-id'));
    assert.equal(body.error!.innerError['client-request-id'], 'c0ffee00-0000-4000-8000-000000000000');
  });

  it('401 InvalidAuthenticationToken: missing, expired, wrong audience, wrong issuer, foreign key, malformed', async () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'Access token is empty.'],
      [
        await h.sign({ tid: h.tenant.id, scp: 'User.Read' }, { expiresIn: Math.floor(Date.now() / 1000) - 3600 }),
        'Lifetime validation failed, the token is expired.',
      ],
      [
        await h.sign({ tid: h.tenant.id, scp: 'User.Read', aud: 'api://someone-else' }),
        'Access token validation failure. Invalid audience.',
      ],
      [
        await h.sign({ tid: h.tenant.id, scp: 'User.Read', iss: 'https://evil.example/' }),
        'Access token validation failure. Invalid issuer.',
      ],
      [
        await h.sign({ tid: h.tenant.id, scp: 'User.Read' }, { key: (await generateKeyPair('RS256')).privateKey }),
        'Access token validation failure. Invalid signature.',
      ],
      ['not-a-jwt', 'Invalid JWT token. The token is malformed.'],
    ];
    for (const [token, message] of cases) {
      const res = await fetch(`${h.server.v1}/me`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      assert.equal(res.status, 401, message);
      assert.match(
        res.headers.get('www-authenticate') ?? '',
        /^Bearer realm="", authorization_uri="[^"]+", client_id="00000003-0000-0000-c000-000000000000"$/,
      );
      const body = await json(res);
      assert.equal(body.error?.code, 'InvalidAuthenticationToken');
      assert.equal(body.error?.message, message);
    }
  });

  it('accepts both Graph audiences', async () => {
    const token = await h.sign({
      tid: h.tenant.id,
      aud: '00000003-0000-0000-c000-000000000000',
      oid: h.tenant.userByUpn('alice@contoso.onmicrosoft.com')!.id,
      scp: 'User.Read',
    });
    assert.equal((await h.get('/v1.0/me', token)).status, 200);
  });

  it('403 Authorization_RequestDenied when the scope is missing, and when the signed-in user lacks a directory role', async () => {
    const noScope = await h.userToken('admin', ['User.Read']);
    const r1 = await h.get('/v1.0/auditLogs/signIns', noScope);
    assert.equal(r1.status, 403);
    const b1 = await json(r1);
    assert.equal(b1.error?.code, 'Authorization_RequestDenied');
    assert.equal(b1.error?.message, 'Insufficient privileges to complete the operation.');
    // alice has the scope but no admin role: Entra refuses.
    const alice = await h.userToken('alice', ADMIN_SCOPES);
    assert.equal((await h.get('/v1.0/auditLogs/signIns', alice)).status, 403);
    // The Teams Administrator may not disable users.
    const teams = await h.userToken('teamsadmin', ADMIN_SCOPES);
    assert.equal(
      (await h.send('PATCH', '/v1.0/users/alice@contoso.onmicrosoft.com', teams, { accountEnabled: false })).status,
      403,
    );
  });

  it('higher scopes imply lower ones; directoryAudits need AuditLog.Read.All and Directory.Read.All', async () => {
    const both = await h.userToken('admin', ['AuditLog.Read.All', 'Directory.ReadWrite.All']);
    assert.equal((await h.get('/v1.0/auditLogs/directoryAudits?$top=1', both)).status, 200);
    const auditOnly = await h.userToken('admin', ['AuditLog.Read.All']);
    assert.equal((await h.get('/v1.0/auditLogs/directoryAudits?$top=1', auditOnly)).status, 403);
  });

  it('app-only tokens use roles; /me is 400 for them', async () => {
    const app = await h.appToken(['User.Read.All']);
    assert.equal((await h.get('/v1.0/users?$top=1', app)).status, 200);
    assert.equal((await h.get('/v1.0/auditLogs/signIns', app)).status, 403);
    const me = await h.get('/v1.0/me', app);
    assert.equal(me.status, 400);
    assert.equal((await json(me)).error?.message, '/me request is only valid with delegated authentication flow.');
    const log = h.server.requestLog.find((e) => e.url === '/v1.0/me' && e.status === 400);
    assert.equal(log?.appId, APP_IDS.reports);
  });

  it('unknown segments, versions and methods get Graph 400/405 shapes', async () => {
    const seg = await h.get('/v1.0/users/alice@contoso.onmicrosoft.com/nonsense', admin);
    assert.equal(seg.status, 400);
    assert.deepEqual([(await json(seg)).error?.code], ['BadRequest']);
    const top = await json(await h.get('/v1.0/frobnicate', admin));
    assert.equal(top.error?.message, "Resource not found for the segment 'frobnicate'.");
    assert.equal((await h.get('/v2.0/users', admin)).status, 400);
    const root = await json(await h.get('/v1.0', admin));
    assert.ok(
      (root.value as { name: string; kind: string }[]).some((e) => e.name === 'users' && e.kind === 'EntitySet'),
    );
    assert.equal((await h.send('PUT', '/v1.0/users', admin, {})).status, 405);
  });

  it('malformed JSON and invalid GUIDs are 400, never a crash', async () => {
    const bad = await h.send('PATCH', '/v1.0/users/alice@contoso.onmicrosoft.com', admin, '{"accountEnabled": fal');
    assert.equal(bad.status, 400);
    assert.equal(
      (await json(bad)).error?.message,
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid ' +
        'JSON format.',
    );
    const guid = await json(await h.get('/v1.0/groups/not-a-guid', admin));
    assert.deepEqual(
      [guid.error?.code, guid.error?.message],
      ['Request_BadRequest', "Invalid object identifier 'not-a-guid'."],
    );
    const unknownProp = await h.send('PATCH', '/v1.0/users/alice@contoso.onmicrosoft.com', admin, { shoeSize: 44 });
    assert.equal(unknownProp.status, 400);
    const wrongType = await h.send('PATCH', '/v1.0/users/alice@contoso.onmicrosoft.com', admin, {
      accountEnabled: 'false',
    });
    assert.equal(wrongType.status, 400);
    const dollar = await h.get('/v1.0/users/$weird@contoso.onmicrosoft.com', admin);
    assert.equal(
      (await json(dollar)).error?.message,
      "Resource not found for the segment '$weird@contoso.onmicrosoft.com'.",
    );
    assert.equal((await h.get("/v1.0/users('$weird@contoso.onmicrosoft.com')", admin)).status, 404);
    const badUri = await h.get('/v1.0/users/%E0%A4%A', admin);
    assert.equal(badUri.status, 400);
  });

  it('413 for bodies over the limit, with Graph headers', async () => {
    const big = { jobTitle: 'x'.repeat(5 * 1024 * 1024) };
    const res = await h.send('PATCH', '/v1.0/users/alice@contoso.onmicrosoft.com', admin, big);
    assert.equal(res.status, 413);
    assert.match(res.headers.get('request-id') ?? '', GUID);
  });

  it('logs every request with method, url, status and caller', async () => {
    h.server.clearLog();
    await h.get('/v1.0/me?$select=id', admin);
    assert.equal(h.server.requestLog.length, 1);
    const [entry] = h.server.requestLog;
    assert.deepEqual(
      [entry.method, entry.url, entry.status, entry.upn, entry.viaBatch],
      ['GET', '/v1.0/me?$select=id', 200, 'admin@contoso.onmicrosoft.com', false],
    );
  });
});
