import assert from 'node:assert/strict';
import { CommandHarness, requestParts, assertDenied } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';
import { askSlow, cardCommands } from '../teams/_graph.js';

const SELECT =
  'telephoneNumber,numberType,assignmentStatus,activationState,assignmentTargetId,assignmentCategory,city,isoCountryCode,locationId';

describe('command: phone numbers', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.teamsAdmin);
  });
  after(() => harness.close());

  it('lists one page of numbers in one GET, with who holds each', async () => {
    const answer = await askSlow(harness, 'phone numbers');
    assert.deepEqual(answer.problems, []);
    assert.equal(answer.graph.length, 1);
    assert.deepEqual(requestParts(answer.graph[0]), {
      method: 'GET',
      path: '/v1.0/admin/teams/telephoneNumberManagement/numberAssignments',
      query: { $select: SELECT, $top: '25' },
    });
    const numbers = harness.dev.tenant.numberAssignments;
    assert.match(answer.text, new RegExp(`${Math.min(25, numbers.length)} numbers · page 1`));
    const held = numbers.find((n) => n.assignmentTargetId)!;
    assert.ok(
      cardCommands(answer).includes(`teams config ${held.assignmentTargetId}`),
      'an assigned number opens its user',
    );
  });

  it('filters free numbers on the server with --unassigned', async () => {
    const answer = await askSlow(harness, 'phone numbers --unassigned');
    assert.equal(requestParts(answer.graph[0]).query.$filter, "assignmentStatus eq 'unassigned'");
    const free = harness.dev.tenant.numberAssignments.filter((n) => n.assignmentStatus === 'unassigned');
    assert.match(answer.text, new RegExp(`${free.length} numbers`));
    assert.doesNotMatch(answer.text, /userAssigned/);
  });

  it('narrows to a number or prefix, combined with --unassigned', async () => {
    const answer = await askSlow(harness, 'phone numbers 1425555010 --unassigned');
    assert.equal(
      requestParts(answer.graph[0]).query.$filter,
      "assignmentStatus eq 'unassigned' and startswith(telephoneNumber,'+1425555010')",
    );
    assert.equal(answer.graph[0].status, 200);
  });

  it('refuses text that is not a number before calling Graph', async () => {
    const answer = await askSlow(harness, 'phone numbers "+1\' or 1 eq 1"');
    assert.match(answer.text, /is a phone number or its first digits/);
    assert.equal(answer.graph.length, 0);
  });

  it('answers 403 for a user administrator', async () => {
    harness.signIn(DEMO.userAdmin);
    try {
      const answer = await askSlow(harness, 'phone numbers');
      assertDenied(answer, answer.graph[0]);
    } finally {
      harness.signIn(DEMO.teamsAdmin);
    }
  });
});
