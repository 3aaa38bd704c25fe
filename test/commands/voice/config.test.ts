import assert from 'node:assert/strict';
import { CommandHarness, requestLine, requestParts } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { askSlow, roundTrips } from '../teams/_graph.js';

const SELECT =
  'id,userPrincipalName,accountType,isEnterpriseVoiceEnabled,featureTypes,modifiedDateTime,telephoneNumbers,effectivePolicyAssignments';
const EXPAND = 'user($select=id,displayName,accountEnabled)';

describe('command: teams config', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.teamsAdmin);
  });
  after(() => harness.close());

  it('reads a UPN in ONE round trip ($filter on the collection, $expand=user), with policies and their source', async () => {
    const answer = await askSlow(harness, `teams config ${DEMO.alice}`);
    assert.deepEqual(answer.problems, []);
    assert.equal(roundTrips(answer).length, 1);
    assert.deepEqual(requestParts(answer.graph[0]), {
      method: 'GET',
      path: '/v1.0/admin/teams/userConfigurations',
      query: { $filter: `userPrincipalName eq '${DEMO.alice}'`, $select: SELECT, $expand: EXPAND },
    });
    const sales = harness.dev.tenant.groups.find((g) => g.displayName === 'Sales')!;
    assert.match(answer.text, /Alice Anders/);
    assert.match(answer.text, /Teams user/);
    assert.match(answer.text, /TeamsMeetingPolicy\nAllOn · direct/);
    assert.match(answer.text, new RegExp(`TeamsMessagingPolicy\\nRestrictedAnonymousNoGiphy · from group ${sales.id}`));
    assert.match(answer.text, /Enterprise Voice\nDisabled/);
  });

  it('reads an object id as the entity (one GET) and shows numbers and Enterprise Voice', async () => {
    const tom = harness.dev.tenant.userByUpn(DEMO.teamsAdmin)!;
    const number = harness.dev.tenant.numberAssignments.find((n) => n.assignmentTargetId === tom.id)!;
    const answer = await askSlow(harness, `teams config ${tom.id}`);
    assert.deepEqual(answer.graph.map(requestLine), [
      `GET /v1.0/admin/teams/userConfigurations/${tom.id}?$select=${SELECT}&$expand=${EXPAND}`,
    ]);
    assert.match(answer.text, /Enterprise Voice\nEnabled/);
    assert.match(answer.text, new RegExp(`\\${number.telephoneNumber} \\(primary\\)`));
    assert.match(answer.text, /Global policies apply/);
  });

  it('resolves a display name first (two round trips)', async () => {
    const answer = await askSlow(harness, 'teams config "Alice Anders"');
    const trips = roundTrips(answer);
    assert.equal(trips.length, 2);
    assert.match(requestLine(trips[0]), /^GET \/v1.0\/users\?\$filter=startswith\(displayName,'Alice Anders'\)/);
    assert.match(
      requestLine(trips[1]),
      /^GET \/v1.0\/admin\/teams\/userConfigurations\/a0000000-0000-4000-8000-000000000005\?/,
    );
    assert.match(answer.text, /AllOn · direct/);
  });

  it('asks for evolvable enum members, so an unlicensed user reads "ineligibleUser", not unknownFutureValue', async () => {
    const unlicensed = [...harness.dev.tenant.liveUsers()].find((u) => u.teams.accountType === 'ineligibleUser')!;
    const answer = await askSlow(harness, `teams config ${unlicensed.id}`);
    assert.match(answer.text, /Account type\nineligibleUser/);
    assert.match(answer.text, /Not eligible \(no Teams licence\)/);
  });

  it('says so when no user has the UPN', async () => {
    const answer = await askSlow(harness, 'teams config nobody@contoso.onmicrosoft.com');
    assert.match(answer.text, /no such user in this tenant/);
    assert.equal(roundTrips(answer).length, 1);
  });

  it('answers an unknown object id with Graph 404 code and request-id', async () => {
    const answer = await askSlow(harness, 'teams config 00000000-0000-4000-8000-0000000000ee');
    assert.equal(answer.graph[0].status, 404);
    assert.match(answer.text, /NotFound/);
    assert.match(answer.text, new RegExp(answer.graph[0].requestId));
  });

  it('answers 403 for an admin whose role cannot read Teams configuration', async () => {
    harness.signIn(DEMO.userAdmin);
    try {
      const answer = await askSlow(harness, `teams config ${DEMO.alice}`);
      assert.equal(answer.graph[0].status, 403);
      assert.match(answer.text, /Authorization_RequestDenied/);
    } finally {
      harness.signIn(DEMO.teamsAdmin);
    }
  });

  it('wins over "teams <search>" and needs a user', async () => {
    const answer = await askSlow(harness, 'teams config');
    assert.match(answer.text, /<user> is required/);
    assert.equal(answer.graph.length, 0);
  });
});
