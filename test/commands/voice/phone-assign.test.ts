import assert from 'node:assert/strict';
import { OPERATION_TIMING } from '../../../devtenant/graph/routes/teams-operations.js';
import { ROLE, SKU } from '../../../devtenant/seed/index.js';
import { CommandHarness, requestLine, assertDenied } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { askSlow, batchedLines, cardCommands, roundTrips, upnWithRole } from '../teams/_graph.js';

describe('command: phone assign', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.teamsAdmin);
  });
  after(() => harness.close());

  const freeNumbers = () =>
    harness.dev.tenant.numberAssignments.filter(
      (n) => n.assignmentStatus === 'unassigned' && n.activationState === 'activated',
    );

  it(
    'reads user and number in one $batch, orders the number (202 + Location), polls until it succeeds; tenant ' +
      'changed',
    async () => {
      const alice = harness.dev.tenant.userByUpn(DEMO.alice)!;
      const number = freeNumbers()[0];
      const answer = await askSlow(
        harness,
        `phone assign ${DEMO.alice} ${number.telephoneNumber} --type ${number.numberType}`,
      );
      assert.deepEqual(answer.problems, []);
      const trips = roundTrips(answer);
      assert.equal(requestLine(trips[0]), 'POST /v1.0/$batch');
      assert.deepEqual(batchedLines(answer), [
        `GET /v1.0/admin/teams/telephoneNumberManagement/numberAssignments?$filter=telephoneNumber eq ` +
          `'${number.telephoneNumber}'&$select=telephoneNumber,numberType,assignmentStatus,activationState,assignmentTargetId,assignmentCategory`,
        `GET /v1.0/users('${DEMO.alice}')?$select=id,displayName,userPrincipalName,accountEnabled,userType`,
      ]);
      assert.equal(
        requestLine(trips[1]),
        'POST /v1.0/admin/teams/telephoneNumberManagement/numberAssignments/assignNumber',
      );
      assert.equal(trips[1].status, 202);
      const polls = trips.slice(2);
      assert.ok(polls.length >= 1 && polls.length <= 4, `bounded polling, got ${polls.length}`);
      for (const poll of polls)
        assert.match(
          requestLine(poll),
          /^GET \/v1.0\/admin\/teams\/telephoneNumberManagement\/operations\/[0-9a-f-]+$/,
        );
      assert.equal(number.assignmentStatus, 'userAssigned');
      assert.equal(number.assignmentTargetId, alice.id);
      assert.match(answer.text, /Number assigned/);
      assert.match(answer.text, new RegExp(trips[1].requestId));
      assert.ok(cardCommands(answer).includes(`phone unassign ${number.telephoneNumber}`));
    },
  );

  it('sends no order when the user already has the number, or someone else does', async () => {
    const alice = harness.dev.tenant.userByUpn(DEMO.alice)!;
    const hers = harness.dev.tenant.numberAssignments.find((n) => n.assignmentTargetId === alice.id)!;
    const again = await askSlow(
      harness,
      `phone assign ${DEMO.alice} ${hers.telephoneNumber} --type ${hers.numberType}`,
    );
    assert.deepEqual(again.problems, []);
    assert.equal(roundTrips(again).length, 1);
    assert.match(again.text, /Already assigned/);
    const taken = await askSlow(
      harness,
      `phone assign ${DEMO.admin} ${hers.telephoneNumber} --type ${hers.numberType}`,
    );
    assert.equal(roundTrips(taken).length, 1);
    assert.match(taken.text, /Number is taken/);
    assert.match(taken.text, new RegExp(`phone unassign \\${hers.telephoneNumber}`));
    assert.equal(hers.assignmentTargetId, alice.id);
  });

  it('says so for a number the tenant does not have, without an order', async () => {
    const answer = await askSlow(harness, `phone assign ${DEMO.alice} +19995550100 --type callingPlan`);
    assert.match(answer.text, /is not a telephone number of this tenant/);
    assert.equal(roundTrips(answer).length, 1);
  });

  it('says "still running" with how to check when the order outlasts the polling budget', async () => {
    const number = freeNumbers()[0];
    const saved = { ...OPERATION_TIMING };
    OPERATION_TIMING.startAfterMs = 10;
    OPERATION_TIMING.completeAfterMs = 60_000;
    try {
      const answer = await askSlow(
        harness,
        `phone assign ${DEMO.admin} ${number.telephoneNumber} --type ${number.numberType}`,
      );
      assert.deepEqual(answer.problems, []);
      assert.equal(roundTrips(answer).length, 2 + 4, 'user, order, then exactly four polls');
      assert.match(answer.text, /Still running/);
      assert.match(answer.text, new RegExp(`Check with: phone numbers \\${number.telephoneNumber}`));
      assert.equal(number.assignmentStatus, 'unassigned');
    } finally {
      Object.assign(OPERATION_TIMING, saved);
    }
  });

  it('shows Graph’s 400 when the number type does not match, and nothing changes', async () => {
    const number = freeNumbers().find((n) => n.numberType !== 'operatorConnect')!;
    const answer = await askSlow(
      harness,
      `phone assign ${DEMO.alice} ${number.telephoneNumber} --type operatorConnect`,
    );
    const order = roundTrips(answer)[1];
    assert.equal(order.status, 400);
    assert.match(answer.text, /BadRequest/);
    assert.match(answer.text, new RegExp(order.requestId));
    assert.equal(number.assignmentStatus, 'unassigned');
  });

  it('shows Graph’s 400 for a user without a Teams Phone licence', async () => {
    const unlicensed = [...harness.dev.tenant.liveUsers()].find(
      (u) =>
        u.accountEnabled &&
        u.assignedLicenses.length > 0 &&
        u.assignedLicenses.every((l) => l.skuId === SKU.officeE3.skuId),
    )!;
    const number = freeNumbers()[0];
    const answer = await askSlow(
      harness,
      `phone assign ${unlicensed.id} ${number.telephoneNumber} --type ${number.numberType}`,
    );
    assert.equal(roundTrips(answer)[1].status, 400);
    assert.match(answer.text, /not licensed for Teams Phone/);
  });

  it('answers 403 from the batch for a user administrator (cannot read numbers) and orders nothing', async () => {
    const number = freeNumbers()[0];
    harness.signIn(DEMO.userAdmin);
    try {
      const answer = await askSlow(
        harness,
        `phone assign ${DEMO.alice} ${number.telephoneNumber} --type ${number.numberType}`,
      );
      assert.match(answer.text, /Authorization_RequestDenied/);
      assert.ok(answer.graph.every((g) => !g.url.includes('assignNumber')));
    } finally {
      harness.signIn(DEMO.teamsAdmin);
    }
  });

  it('answers 403 at the order for a Global Reader (can read numbers, not assign them) and nothing changes', async () => {
    const number = freeNumbers()[0];
    harness.signIn(upnWithRole(harness.dev.tenant, ROLE.globalReader));
    try {
      const answer = await askSlow(
        harness,
        `phone assign ${DEMO.alice} ${number.telephoneNumber} --type ${number.numberType}`,
      );
      const order = roundTrips(answer)[1];
      assertDenied(answer, order);
      assert.equal(number.assignmentStatus, 'unassigned');
    } finally {
      harness.signIn(DEMO.teamsAdmin);
    }
  });

  it('validates the number, the type and the location before calling Graph', async () => {
    for (const [text, message] of [
      [`phone assign ${DEMO.alice} 4255550100 --type callingPlan`, /E.164/],
      [`phone assign ${DEMO.alice} +14255550100 --type pstn`, /is one of callingPlan, directRouting, operatorConnect/],
      [`phone assign ${DEMO.alice} +14255550100`, /--type is required/],
      [`phone assign ${DEMO.alice} +14255550100 --type callingPlan --location here`, /emergency location id/],
    ] as const) {
      const answer = await askSlow(harness, text);
      assert.match(answer.text, message, text);
      assert.equal(answer.graph.length, 0, text);
    }
  });
});
