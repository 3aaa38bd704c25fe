import assert from 'node:assert/strict';
import { CommandHarness, requestLine, requestParts } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { askSlow, roundTrips } from '../teams/_graph.js';

describe('command: phone unassign', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.teamsAdmin);
  });
  after(() => harness.close());

  it('reads the number, orders its release with its type, polls until done; tenant changed', async () => {
    const tom = harness.dev.tenant.userByUpn(DEMO.teamsAdmin)!;
    const number = harness.dev.tenant.numberAssignments.find((n) => n.assignmentTargetId === tom.id)!;
    const answer = await askSlow(harness, `phone unassign ${number.telephoneNumber}`);
    assert.deepEqual(answer.problems, []);
    const trips = roundTrips(answer);
    assert.equal(requestParts(trips[0]).query.$filter, `telephoneNumber eq '${number.telephoneNumber}'`);
    assert.equal(
      requestLine(trips[1]),
      'POST /v1.0/admin/teams/telephoneNumberManagement/numberAssignments/unassignNumber',
    );
    assert.equal(trips[1].status, 202);
    assert.ok(trips.length >= 3 && trips.length <= 6, 'read, order, 1–4 polls');
    assert.equal(number.assignmentStatus, 'unassigned');
    assert.equal(number.assignmentTargetId, null);
    assert.match(answer.text, /Number released/);
    assert.match(answer.text, new RegExp(`Was assigned to\\n${tom.id}`));
    assert.match(answer.text, new RegExp(trips[1].requestId));
  });

  it('sends no order for a number that is already free', async () => {
    const free = harness.dev.tenant.numberAssignments.find((n) => n.assignmentStatus === 'unassigned')!;
    const answer = await askSlow(harness, `phone unassign ${free.telephoneNumber}`);
    assert.deepEqual(answer.problems, []);
    assert.equal(answer.graph.length, 1);
    assert.match(answer.text, /Already free/);
  });

  it('says so for a number the tenant does not have', async () => {
    const answer = await askSlow(harness, 'phone unassign +19995550100');
    assert.match(answer.text, /is not a telephone number of this tenant/);
    assert.equal(answer.graph.length, 1);
  });

  it('answers 403 for a user administrator', async () => {
    harness.signIn(DEMO.userAdmin);
    try {
      const answer = await askSlow(harness, 'phone unassign +14255550101');
      assert.equal(answer.graph[0].status, 403);
      assert.match(answer.text, /Authorization_RequestDenied/);
    } finally {
      harness.signIn(DEMO.teamsAdmin);
    }
  });

  it('refuses a number not in E.164 form (no Graph call)', async () => {
    const answer = await askSlow(harness, 'phone unassign 555-0100');
    assert.match(answer.text, /E.164/);
    assert.equal(answer.graph.length, 0);
  });
});
