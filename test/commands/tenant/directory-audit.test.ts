import assert from 'node:assert/strict';
import { CommandHarness, requestLine, requestParts } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';

const HOUR = 3_600_000;
const STAMP = /\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/g;

describe('command: directory audit', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
  });
  beforeEach(() => harness.signIn(DEMO.admin));
  after(() => harness.close());

  /** The `activityDateTime ge …` bound of a logged request, in ms. */
  const sinceOf = (filter: string) => Date.parse(/activityDateTime ge (\S+)/.exec(filter)![1]);

  it('asks for the last 24 h, newest first, 25 per page, in one round trip', async () => {
    const answer = await harness.ask('directory audit');
    assert.deepEqual(answer.problems, []);
    assert.equal(answer.graph.length, 1);
    const { path, query } = requestParts(answer.graph[0]);
    assert.equal(path, '/v1.0/auditLogs/directoryAudits');
    assert.deepEqual(Object.keys(query).sort(), ['$filter', '$orderby', '$top']);
    assert.equal(query.$orderby, 'activityDateTime desc');
    assert.equal(query.$top, '25');
    assert.ok(Math.abs(sinceOf(query.$filter) - (Date.now() - 24 * HOUR)) < 60_000);
    const expected = harness.dev.tenant.directoryAudits
      .filter((a) => Date.parse(a.activityDateTime) >= sinceOf(query.$filter))
      .map((a) => a.activityDateTime)
      .sort()
      .reverse()
      .slice(0, 25)
      .map((t) => `${t.slice(0, 16).replace('T', ' ')} UTC`);
    assert.ok(expected.length > 0, 'the demo tenant has audits in the last day');
    assert.deepEqual(JSON.stringify(answer.card).match(STAMP) ?? [], expected);
  });

  it('--user filters on the initiator; --since widens the window', async () => {
    const answer = await harness.ask(`directory audit --user ${DEMO.admin} --since 7d`);
    const { query } = requestParts(answer.graph[0]);
    assert.match(
      query.$filter,
      new RegExp(`^activityDateTime ge \\S+ and initiatedBy/user/userPrincipalName eq '${DEMO.admin}'$`),
    );
    assert.ok(Math.abs(sinceOf(query.$filter) - (Date.now() - 7 * 24 * HOUR)) < 60_000);
    const initiators = (JSON.stringify(answer.card).match(/by [^\s·"]+/g) ?? []).filter((b) => b.includes('@'));
    assert.ok(initiators.length > 0, 'the demo tenant has changes by the admin in the last week');
    assert.ok(initiators.every((b) => b === `by ${DEMO.admin}`));
    assert.match(answer.text, /Directory changes by admin@contoso.onmicrosoft.com in the last 7 d/);
    assert.match(
      JSON.stringify(answer.card),
      new RegExp(`directory audit --user ${DEMO.admin} --since 7d`),
      'rows narrow to the same window',
    );
  });

  it('--user by display name resolves the UPN first (2 round trips); a quote is escaped', async () => {
    const answer = await harness.ask('directory audit --user "Adele Admin"');
    assert.equal(answer.graph.length, 2);
    assert.match(
      requestParts(answer.graph[1]).query.$filter,
      /initiatedBy\/user\/userPrincipalName eq 'admin@contoso.onmicrosoft.com'/,
    );
    const quoted = await harness.ask(`directory audit --user "o'brien@contoso.onmicrosoft.com"`);
    assert.match(requestParts(quoted.graph[0]).query.$filter, /eq 'o''brien@contoso.onmicrosoft.com'/);
    assert.equal(quoted.graph[0].status, 200);
  });

  it("shows the bot's own writes (read back through Graph)", async () => {
    const sales = harness.dev.tenant.groups.find((g) => g.displayName === 'Sales')!;
    sales.memberIds.delete(harness.dev.tenant.userByUpn(DEMO.bob)!.id);
    await harness.ask(`group add Sales ${DEMO.bob}`);
    const answer = await harness.ask(`directory audit --since 5m --user ${DEMO.admin}`);
    assert.match(answer.text, /Add member to group/);
  });

  it('pages with "More" through the cursor', async () => {
    const first = await harness.ask('directory audit --since 30d');
    const more = JSON.stringify(first.card.actions ?? []).match(
      /directory audit --since 30d --cursor [A-Za-z0-9_-]+/,
    )?.[0];
    assert.ok(more, 'a More action (the demo tenant has 80 audits over 30 days)');
    const second = await harness.ask(more);
    assert.equal(second.graph.length, 1, `one Graph request for page 2 of "${more}"; the answer: ${second.text}`);
    assert.match(requestLine(second.graph[0]), /\$skiptoken=/);
    assert.match(second.text, /page 2/);
  });

  it('bad --since values are usage errors without Graph calls', async () => {
    for (const [text, message] of [
      ['directory audit --since 2x', /--since: "2x" is not a duration/],
      ['directory audit --since 40d', /--since: must be between 1 min and 30 d/],
    ] as const) {
      const answer = await harness.ask(text);
      assert.match(answer.text, message);
      assert.equal(answer.graph.length, 0);
    }
  });

  it("a user without an audit-reading role gets Graph's 403 with code and request-id", async () => {
    harness.signIn(DEMO.alice);
    const answer = await harness.ask('directory audit');
    assert.equal(answer.graph[0].status, 403);
    assert.match(answer.text, /Authorization_RequestDenied/);
    assert.ok(answer.text.includes(answer.graph[0].requestId));
  });
});
