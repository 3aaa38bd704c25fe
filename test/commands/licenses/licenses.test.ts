import assert from 'node:assert/strict';
import type { RequestLogEntry } from '../../../devtenant/graph/request-log.js';
import { CommandHarness, requestLine } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';

const SKU_SELECT = '$select=skuId,skuPartNumber,capabilityStatus,consumedUnits,prepaidUnits,servicePlans';
const E3 = '6fd2c87f-b296-42f0-b197-1e91e994b900';
const TEAMS1 = '57ff2da0-773e-42df-b2af-ffb7a2317929';
/** Round trips are the requests the bot sent itself; steps inside a $batch ride in one. */
const roundTrips = (log: RequestLogEntry[]) => log.filter((e) => !e.viaBatch).map(requestLine);
const batched = (log: RequestLogEntry[]) => log.filter((e) => e.viaBatch).map(requestLine);

describe('commands: licenses / license assign / license remove', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
  });
  beforeEach(() => harness.signIn(DEMO.admin));
  after(() => harness.close());

  const licencesOf = (upn: string) => harness.dev.tenant.userByUpn(upn)!.assignedLicenses;

  it('licenses: one round trip, product names, seats used of bought, free seats and plans', async () => {
    const answer = await harness.ask('licenses');
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.graph.map(requestLine), [`GET /v1.0/subscribedSkus?${SKU_SELECT}`]);
    const e5Users = [...harness.dev.tenant.liveUsers()].filter((u) =>
      u.assignedLicenses.some((l) => l.skuId === 'c7df2760-2c81-4ef7-b578-5b5392b571df'),
    );
    assert.match(answer.text, /Office 365 E5 \(ENTERPRISEPREMIUM\)/);
    assert.match(answer.text, new RegExp(`${e5Users.length} of 100 seats used`));
    assert.match(answer.text, new RegExp(`${100 - e5Users.length} free`));
    assert.match(answer.text, /Microsoft Teams Phone Standard \(MCOEV\)/);
    assert.match(answer.text, /plans: TEAMS1/);
  });

  it('license assign: SKUs and user in one $batch, then the write with the named plans off; the tenant shows it', async () => {
    const bobId = harness.dev.tenant.userByUpn(DEMO.bob)!.id;
    const answer = await harness.ask(`license assign ${DEMO.bob} enterprisepack --disable TEAMS1`);
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(roundTrips(answer.graph), ['POST /v1.0/$batch', `POST /v1.0/users/${bobId}/assignLicense`]);
    assert.deepEqual(batched(answer.graph).sort(), [
      `GET /v1.0/subscribedSkus?${SKU_SELECT}`,
      `GET /v1.0/users('${DEMO.bob}')?$select=id,displayName,userPrincipalName,accountEnabled,userType,usageLocation`,
    ]);
    assert.equal(answer.graph.at(-1)!.status, 200);
    assert.match(answer.text, /Office 365 E3 \(ENTERPRISEPACK\) assigned/);
    assert.match(answer.text, /Bob Berg/);
    assert.match(answer.text, /TEAMS1 turned off/);
    assert.ok(answer.text.includes(answer.graph.at(-1)!.requestId));
    assert.deepEqual(
      licencesOf(DEMO.bob).find((l) => l.skuId === E3),
      { skuId: E3, disabledPlans: [TEAMS1] },
    );
  });

  it('license assign: a display name is resolved in the same $batch as the SKU list', async () => {
    const answer = await harness.ask('license assign "Bob Berg" ENTERPRISEPACK');
    assert.equal(roundTrips(answer.graph).length, 2);
    assert.ok(
      batched(answer.graph).some((line) =>
        line.startsWith("GET /v1.0/users?$filter=startswith(displayName,'Bob Berg')"),
      ),
    );
    assert.deepEqual(
      licencesOf(DEMO.bob).find((l) => l.skuId === E3),
      { skuId: E3, disabledPlans: [] },
      'all plans on again',
    );
  });

  it('license assign: an unknown plan or SKU is refused before any write', async () => {
    const plan = await harness.ask(`license assign ${DEMO.bob} ENTERPRISEPACK --disable NOPE`);
    assert.match(plan.text, /"NOPE" is not a service plan of ENTERPRISEPACK/);
    assert.match(plan.text, /EXCHANGE_S_ENTERPRISE/);
    const sku = await harness.ask(`license assign ${DEMO.bob} VISIO`);
    assert.match(sku.text, /No license "VISIO" is bought in this tenant/);
    assert.match(sku.text, /ENTERPRISEPREMIUM/);
    assert.deepEqual(
      [...roundTrips(plan.graph), ...roundTrips(sku.graph)],
      ['POST /v1.0/$batch', 'POST /v1.0/$batch'],
      'no write',
    );
  });

  it("license assign: a user without usage location gets Graph's 400, explained", async () => {
    const user = harness.dev.tenant.userByUpn(DEMO.alice)!;
    const saved = user.usageLocation;
    user.usageLocation = null;
    try {
      const answer = await harness.ask(`license assign ${DEMO.alice} ENTERPRISEPACK`);
      assert.deepEqual(answer.problems, []);
      assert.equal(answer.graph.at(-1)!.status, 400);
      assert.match(answer.text, /Request_BadRequest/);
      assert.match(answer.text, /has no usage location/);
      assert.match(answer.text, /invalid usage location/);
      assert.ok(answer.text.includes(answer.graph.at(-1)!.requestId));
      assert.equal(
        user.assignedLicenses.some((l) => l.skuId === E3),
        false,
      );
    } finally {
      user.usageLocation = saved;
    }
  });

  it("license assign: an admin whose role cannot assign licences gets Graph's 403, nothing changes", async () => {
    harness.signIn(DEMO.teamsAdmin);
    const answer = await harness.ask(`license assign ${DEMO.alice} ENTERPRISEPACK`);
    assert.equal(answer.graph.at(-1)!.status, 403);
    assert.match(answer.text, /Authorization_RequestDenied/);
    assert.equal(
      licencesOf(DEMO.alice).some((l) => l.skuId === E3),
      false,
    );
  });

  it('license assign: usage errors call no Graph', async () => {
    const answer = await harness.ask(`license assign ${DEMO.bob}`);
    assert.match(answer.text, /<sku> is required/);
    assert.equal(answer.graph.length, 0);
  });

  it("license remove: finds the SKU among the user's licences and removes it (2 round trips)", async () => {
    assert.ok(
      licencesOf(DEMO.bob).some((l) => l.skuId === E3),
      'assigned by the tests above',
    );
    const answer = await harness.ask(`license remove ${DEMO.bob} ENTERPRISEPACK`);
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.graph.map(requestLine), [
      `GET /v1.0/users('${DEMO.bob}')/licenseDetails?$select=skuId,skuPartNumber`,
      `POST /v1.0/users('${DEMO.bob}')/assignLicense`,
    ]);
    assert.match(answer.text, /Office 365 E3 \(ENTERPRISEPACK\) removed/);
    assert.match(answer.text, /ENTERPRISEPREMIUM/, 'the licences left');
    assert.ok(answer.text.includes(answer.graph[1].requestId));
    assert.equal(
      licencesOf(DEMO.bob).some((l) => l.skuId === E3),
      false,
    );
  });

  it("license remove: a licence the user does not have is named, with no write; an unknown user is Graph's 404", async () => {
    const missing = await harness.ask(`license remove ${DEMO.bob} MCOEV`);
    assert.match(missing.text, new RegExp(`No license "MCOEV" is assigned to ${DEMO.bob}`));
    assert.equal(missing.graph.length, 1);
    const nobody = await harness.ask('license remove nobody@contoso.onmicrosoft.com ENTERPRISEPACK');
    assert.equal(nobody.graph[0].status, 404);
    assert.match(nobody.text, /Request_ResourceNotFound/);
  });
});
