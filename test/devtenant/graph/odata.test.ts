import assert from 'node:assert/strict';
import { startHarness, json, ADMIN_SCOPES, type Harness } from './helpers.js';

const EVENTUAL = { ConsistencyLevel: 'eventual' };

describe('devtenant graph: OData as Graph does it', () => {
  let h: Harness;
  let t: string;
  before(async () => {
    h = await startHarness();
    t = await h.userToken('admin', ADMIN_SCOPES);
  });
  after(() => h.close());
  const err = async (path: string, headers?: Record<string, string>) => {
    const res = await h.get(path, t, headers);
    const body = await json(res);
    return { status: res.status, code: body.error?.code, message: body.error?.message };
  };

  it(
    'pages with an absolute @odata.nextLink carrying $skiptoken and the other options; following it reaches every ' +
      'user once',
    async () => {
      const seen = new Set<string>();
      let url: string | undefined = `${h.server.v1}/users?$select=id,userPrincipalName&$top=7`;
      let pages = 0;
      while (url) {
        const res = await fetch(url, { headers: { authorization: `Bearer ${t}` } });
        const body = (await json(res)) as {
          value: { id: string }[];
          '@odata.nextLink'?: string;
          '@odata.context': string;
        };
        if (pages === 0) assert.equal(body['@odata.context'], `${h.server.v1}/$metadata#users(id,userPrincipalName)`);
        for (const u of body.value) {
          assert.ok(!seen.has(u.id));
          seen.add(u.id);
          assert.deepEqual(Object.keys(u), ['id', 'userPrincipalName']);
        }
        url = body['@odata.nextLink'];
        if (url) {
          assert.match(
            url,
            /^http:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\?.*\$select=id,userPrincipalName.*\$top=7.*\$skiptoken=/,
          );
        }
        pages++;
      }
      assert.equal(seen.size, [...h.tenant.liveUsers()].length);
      assert.ok(pages >= 9);
    },
  );

  it('default page is 100; $top must be 1–999', async () => {
    assert.deepEqual(await err('/v1.0/users?$top=1000'), {
      status: 400,
      code: 'Request_BadRequest',
      message: "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.",
    });
    assert.equal((await err('/v1.0/users?$top=0')).status, 400);
    assert.equal((await err('/v1.0/users?$top=abc')).status, 400);
    assert.equal((await h.get('/v1.0/users?$top=999', t)).status, 200);
  });

  it('$select of an unknown property is 400; signInActivity comes only when selected', async () => {
    assert.deepEqual(await err('/v1.0/users?$select=id,shoeSize'), {
      status: 400,
      code: 'Request_BadRequest',
      message: "Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.",
    });
    const plain = await json(await h.get('/v1.0/users/alice@contoso.onmicrosoft.com', t));
    assert.equal('signInActivity' in plain, false);
    assert.equal('accountEnabled' in plain, false);
    const sel = await json(
      await h.get('/v1.0/users/alice@contoso.onmicrosoft.com?$select=displayName,signInActivity', t),
    );
    assert.ok(sel.signInActivity);
    assert.match(String(sel['@odata.context']), /#users\(displayName,signInActivity\)\/\$entity$/);
    const noAudit = await h.userToken('admin', ['User.Read.All']);
    assert.equal(
      (await h.get('/v1.0/users/alice@contoso.onmicrosoft.com?$select=signInActivity', noAudit)).status,
      403,
    );
    const alice = await h.userToken('alice', ADMIN_SCOPES);
    assert.equal((await h.get('/v1.0/users?$select=displayName,signInActivity', alice)).status, 403);
  });

  it("ne / not / endsWith need ConsistencyLevel: eventual and $count=true, with Graph's messages", async () => {
    assert.deepEqual(await err("/v1.0/users?$filter=endswith(mail,'@contoso.onmicrosoft.com')"), {
      status: 400,
      code: 'Request_UnsupportedQuery',
      message:
        "Operator 'endsWith' is not supported because the required parameters might be missing. Try adding " +
        '$count=true query parameter and ConsistencyLevel:eventual header. Refer to ' +
        'https://aka.ms/graph-docs/advanced-queries for more information',
    });
    assert.deepEqual(await err("/v1.0/users?$filter=userType ne 'Guest'"), {
      status: 400,
      code: 'Request_UnsupportedQuery',
      message: "Filter operator 'NotEqualsMatch' is not supported.",
    });
    assert.equal((await err("/v1.0/users?$filter=not(userType eq 'Guest')")).code, 'Request_UnsupportedQuery');
    // Header without $count=true is still not enough.
    assert.equal((await err("/v1.0/users?$filter=userType ne 'Guest'", EVENTUAL)).status, 400);
    const ok = await h.get(
      "/v1.0/users?$filter=userType ne 'Guest'&$count=true&$top=999&$select=userType",
      t,
      EVENTUAL,
    );
    assert.equal(ok.status, 200);
    const body = (await json(ok)) as { value: { userType: string }[]; '@odata.count': number };
    assert.ok(body.value.length > 0 && body.value.every((u) => u.userType === 'Member'));
    assert.equal(body['@odata.count'], body.value.length);
    const ends = await json(
      await h.get(
        "/v1.0/users?$filter=endswith(userPrincipalName,'@contoso.onmicrosoft.com')&$count=true",
        t,
        EVENTUAL,
      ),
    );
    assert.ok((ends['@odata.count'] as number) > 40);
  });

  it('$count=true without the header is silently ignored; @odata.count only on the first page; /$count rules', async () => {
    const silent = await json(await h.get('/v1.0/users?$count=true&$top=5', t));
    assert.equal('@odata.count' in silent, false);
    const first = await json(await h.get('/v1.0/users?$count=true&$top=5', t, EVENTUAL));
    assert.equal(first['@odata.count'], [...h.tenant.liveUsers()].length);
    const second = await json(
      await fetch(String(first['@odata.nextLink']), { headers: { authorization: `Bearer ${t}`, ...EVENTUAL } }),
    );
    assert.equal('@odata.count' in second, false);
    assert.deepEqual(await err('/v1.0/users/$count'), {
      status: 400,
      code: 'Request_BadRequest',
      message: '$count is not currently supported.',
    });
    const count = await h.get("/v1.0/users/$count?$filter=userType eq 'Guest'", t, EVENTUAL);
    assert.equal(count.status, 200);
    assert.equal(Number(await count.text()), [...h.tenant.liveUsers()].filter((u) => u.userType === 'Guest').length);
  });

  it('$search needs the header and double-quoted clauses; it prefix-matches words', async () => {
    assert.deepEqual(await err('/v1.0/users?$search="displayName:ali"'), {
      status: 400,
      code: 'Request_UnsupportedQuery',
      message:
        'Request with $search query parameter only works through MSGraph with a special request header: ' +
        "'ConsistencyLevel: eventual'",
    });
    assert.equal((await err('/v1.0/users?$search=displayName:ali', EVENTUAL)).status, 400);
    const found = await json(
      await h.get(
        '/v1.0/users?$search="displayName:ali" OR "userPrincipalName:ali"&$count=true&$select=userPrincipalName',
        t,
        EVENTUAL,
      ),
    );
    const upns = (found.value as { userPrincipalName: string }[]).map((u) => u.userPrincipalName);
    assert.ok(upns.includes('alice@contoso.onmicrosoft.com'));
    assert.equal(found['@odata.count'], upns.length);
  });

  it('string literals: doubled quotes match, injection attempts are 400 or match nothing', async () => {
    const oneils = [...h.tenant.liveUsers()].filter((u) => u.surname === "O'Neil").length;
    const res = await json(
      await h.get(`/v1.0/users?$filter=${encodeURIComponent("surname eq 'O''Neil'")}&$top=999`, t),
    );
    assert.equal((res.value as unknown[]).length, oneils);
    assert.ok(oneils > 0);
    assert.equal((await err(`/v1.0/users?$filter=${encodeURIComponent("displayName eq 'x' or 1 eq 1")}`)).status, 400);
    const sneaky = await json(
      await h.get(`/v1.0/users?$filter=${encodeURIComponent("displayName eq 'x'' or ''a''=''a'")}`, t),
    );
    assert.deepEqual(sneaky.value, []);
  });

  it('typed literals, unsupported properties and syntax errors use Graph codes', async () => {
    const quotedBool = await err("/v1.0/users?$filter=accountEnabled eq 'true'");
    assert.equal(quotedBool.code, 'BadRequest');
    assert.match(quotedBool.message ?? '', /^Invalid filter clause/);
    assert.deepEqual(await err("/v1.0/users?$filter=passwordPolicies eq 'x'"), {
      status: 400,
      code: 'Request_UnsupportedQuery',
      message:
        "Unsupported or invalid query filter clause specified for property 'passwordPolicies' of resource 'User'.",
    });
    assert.equal((await err('/v1.0/users?$filter=nosuch eq 1')).code, 'Request_BadRequest');
    assert.equal((await err("/v1.0/users?$filter=startswith(displayName,'a'")).code, 'BadRequest');
  });

  it('in, any(), startswith, and/or evaluate against the tenant', async () => {
    const skus = await json(
      await h.get(
        '/v1.0/users?$filter=assignedLicenses/any(x:x/skuId eq ' +
          'c7df2760-2c81-4ef7-b578-5b5392b571df)&$select=assignedLicenses&$top=999',
        t,
      ),
    );
    assert.ok(
      (skus.value as { assignedLicenses: { skuId: string }[] }[]).every((u) =>
        u.assignedLicenses.some((l) => l.skuId === 'c7df2760-2c81-4ef7-b578-5b5392b571df'),
      ),
    );
    const inList = await json(
      await h.get(
        '/v1.0/users?$filter=userPrincipalName in ' +
          "('alice@contoso.onmicrosoft.com','BOB@contoso.onmicrosoft.com')&$select=userPrincipalName",
        t,
      ),
    );
    assert.deepEqual((inList.value as { userPrincipalName: string }[]).map((u) => u.userPrincipalName).sort(), [
      'alice@contoso.onmicrosoft.com',
      'bob@contoso.onmicrosoft.com',
    ]);
    const teams = await json(
      await h.get("/v1.0/groups?$filter=resourceProvisioningOptions/Any(x:x eq 'Team')&$select=id&$top=999", t),
    );
    assert.equal((teams.value as unknown[]).length, h.tenant.teams.length);
  });

  it('$orderby sorts; with a filter it needs advanced query parameters', async () => {
    const sorted = await json(await h.get('/v1.0/users?$orderby=displayName&$select=displayName&$top=999', t));
    const names = (sorted.value as { displayName: string }[]).map((u) => u.displayName);
    assert.deepEqual(
      names,
      [...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })),
    );
    assert.equal(
      (await err("/v1.0/users?$filter=startswith(displayName,'a')&$orderby=displayName")).code,
      'Request_UnsupportedQuery',
    );
    assert.equal(
      (await h.get("/v1.0/users?$filter=startswith(displayName,'a')&$orderby=displayName&$count=true", t, EVENTUAL))
        .status,
      200,
    );
  });

  it('unknown or repeated $ options and $skip are rejected', async () => {
    assert.equal((await err('/v1.0/users?$frob=1')).status, 400);
    assert.equal((await err('/v1.0/users?$top=1&$top=2')).status, 400);
    assert.equal((await err('/v1.0/users?$skip=5')).message, "'$skip' is not supported by the service.");
    assert.equal((await err('/v1.0/users?$skiptoken=garbage!!')).status, 400);
  });

  it('$expand where the catalog uses it, with nested $select', async () => {
    const res = await json(
      await h.get(
        '/v1.0/roleManagement/directory/roleEligibilityScheduleInstances?$filter=principalId eq ' +
          "'a0000000-0000-4000-8000-000000000006'&$expand=roleDefinition($select=displayName)",
        t,
      ),
    );
    assert.deepEqual((res.value as { roleDefinition: unknown }[])[0].roleDefinition, {
      displayName: 'Teams Administrator',
    });
    assert.equal((await err('/v1.0/roleManagement/directory/roleAssignments?$expand=nonsense')).status, 400);
  });

  it('odata.metadata=none drops @odata.context', async () => {
    const res = await json(await h.get('/v1.0/users?$top=1', t, { accept: 'application/json;odata.metadata=none' }));
    assert.equal('@odata.context' in res, false);
  });
});
