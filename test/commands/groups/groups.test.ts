import assert from 'node:assert/strict';
import type { RequestLogEntry } from '../../../devtenant/graph/request-log.js';
import { CommandHarness, requestLine, requestParts } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';

const SUMMARY_SELECT = 'id,displayName,mail,groupTypes,securityEnabled,mailEnabled';
/** Round trips are the requests the bot sent itself; steps inside a $batch ride in one. */
const roundTrips = (log: RequestLogEntry[]) => log.filter((e) => !e.viaBatch);
const batched = (log: RequestLogEntry[]) => log.filter((e) => e.viaBatch);

describe('commands: group / group members / group add / group remove', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
  });
  beforeEach(() => harness.signIn(DEMO.admin));
  after(() => harness.close());

  const group = (name: string) => harness.dev.tenant.groups.find((g) => g.displayName === name)!;
  const bobId = () => harness.dev.tenant.userByUpn(DEMO.bob)!.id;

  it('group: exact and prefix lookups in one $batch round trip; the exact name wins over "Sales …" prefixes', async () => {
    const answer = await harness.ask('group "Sales"');
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(roundTrips(answer.graph).map(requestLine), ['POST /v1.0/$batch']);
    const select = `${SUMMARY_SELECT},description,visibility,createdDateTime,resourceProvisioningOptions`;
    assert.deepEqual(
      batched(answer.graph)
        .map(requestParts)
        .map((p) => p.query)
        .sort((a, b) => a.$filter.localeCompare(b.$filter)),
      [
        { $filter: "displayName eq 'Sales'", $top: '6', $select: select },
        { $filter: "startswith(displayName,'Sales')", $top: '6', $select: select },
      ],
    );
    assert.match(answer.text, /Microsoft 365 group/);
    assert.match(answer.text, new RegExp(group('Sales').id));
    assert.match(JSON.stringify(answer.card.actions), /group members \\"Sales\\"/);
  });

  it('group: a team says so and links to the team command; an id is read directly', async () => {
    const team = await harness.ask('group Project Phoenix');
    assert.match(team.text, /Team/);
    assert.match(JSON.stringify(team.card.actions), /team \\"Project Phoenix\\"/);
    const id = group('IT Admins').id;
    const byId = await harness.ask(`group ${id}`);
    assert.equal(roundTrips(byId.graph).length, 1);
    assert.deepEqual(
      byId.graph.filter((e) => e.method === 'GET').map((e) => requestParts(e).path),
      [`/v1.0/groups/${id}`],
      'one read, alone or batched',
    );
    assert.match(byId.text, /Security group/);
  });

  it('group: an ambiguous prefix gives a choice card, an unknown name a clear not-found', async () => {
    const ambiguous = await harness.ask('group Sal');
    assert.deepEqual(ambiguous.problems, []);
    assert.match(ambiguous.text, /Which one did you mean\?/);
    assert.match(JSON.stringify(ambiguous.card), /group \\"Sales EMEA\\"/);
    const unknown = await harness.ask('group "No Such Group"');
    assert.match(unknown.text, /No group's name starts with "No Such Group"/);
  });

  it('group: a quote in the name is escaped in both filters', async () => {
    const answer = await harness.ask(`group "O'Neil fans"`);
    assert.deepEqual(
      batched(answer.graph).map((e) => e.status),
      [200, 200],
    );
    assert.ok(batched(answer.graph).every((e) => /'O''Neil fans'/.test(decodeURIComponent(e.url))));
  });

  it('group members: resolve, then one counted page (ConsistencyLevel) — 2 round trips', async () => {
    const answer = await harness.ask('group members "IT Admins"');
    assert.deepEqual(answer.problems, []);
    const trips = roundTrips(answer.graph);
    assert.equal(trips.length, 2);
    assert.deepEqual(requestParts(trips[1]), {
      method: 'GET',
      path: `/v1.0/groups/${group('IT Admins').id}/members`,
      query: { $select: 'id,displayName,userPrincipalName,accountEnabled', $top: '25', $count: 'true' },
    });
    assert.match(
      answer.text,
      new RegExp(`of ${group('IT Admins').memberIds.size} members`),
      'the total came back: ConsistencyLevel was sent',
    );
    assert.match(answer.text, new RegExp(DEMO.admin));
  });

  it("group members --transitive: nested groups' members through transitiveMembers", async () => {
    const answer = await harness.ask('group members "IT Admins" --transitive');
    assert.deepEqual(answer.problems, []);
    assert.equal(
      requestParts(roundTrips(answer.graph)[1]).path,
      `/v1.0/groups/${group('IT Admins').id}/transitiveMembers`,
    );
    assert.equal(roundTrips(answer.graph)[1].status, 200);
    assert.match(answer.text, /All members \(nested included\) of IT Admins/);
  });

  it('group members: "More" fetches page 2 through the cursor without looking the group up again', async () => {
    const big = group('Finance');
    for (const user of [...harness.dev.tenant.liveUsers()].slice(0, 40)) big.memberIds.add(user.id);
    const first = await harness.ask('group members Finance');
    const more = JSON.stringify(first.card.actions ?? []).match(/group members Finance --cursor [A-Za-z0-9_-]+/)?.[0];
    assert.ok(more, 'a More action');
    const second = await harness.ask(more);
    assert.equal(second.graph.length, 1);
    assert.match(requestLine(second.graph[0]), /\$skiptoken=/);
    assert.match(second.text, /page 2/);
  });

  it('group add: group and user found in one $batch, then one POST $ref; the tenant has the member', async () => {
    const sales = group('Sales');
    sales.memberIds.delete(bobId());
    const answer = await harness.ask(`group add "Sales" ${DEMO.bob}`);
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(roundTrips(answer.graph).map(requestLine), [
      'POST /v1.0/$batch',
      `POST /v1.0/groups/${sales.id}/members/$ref`,
    ]);
    assert.equal(batched(answer.graph).length, 3);
    assert.ok(
      batched(answer.graph).some((e) =>
        requestLine(e).startsWith(`GET /v1.0/users('${DEMO.bob}')?$select=id,displayName,userPrincipalName`),
      ),
    );
    assert.equal(answer.graph.at(-1)!.status, 204);
    assert.match(answer.text, /Bob Berg .* is now a member of Sales/);
    assert.ok(answer.text.includes(answer.graph.at(-1)!.requestId));
    assert.ok(sales.memberIds.has(bobId()));
  });

  it("group add: adding an existing member shows Graph's 400 with a plain explanation", async () => {
    const answer = await harness.ask(`group add Sales ${DEMO.bob}`);
    assert.equal(answer.graph.at(-1)!.status, 400);
    assert.match(answer.text, /Request_BadRequest/);
    assert.match(answer.text, /is already a member of Sales; nothing was changed/);
    assert.ok(answer.text.includes(answer.graph.at(-1)!.requestId));
  });

  it("group remove: DELETE the $ref; removing again is Graph's 404, explained", async () => {
    const sales = group('Sales');
    const answer = await harness.ask(`group remove Sales ${DEMO.bob}`);
    assert.deepEqual(answer.problems, []);
    assert.equal(requestLine(roundTrips(answer.graph)[1]), `DELETE /v1.0/groups/${sales.id}/members/${bobId()}/$ref`);
    assert.equal(answer.graph.at(-1)!.status, 204);
    assert.equal(sales.memberIds.has(bobId()), false);
    const again = await harness.ask(`group remove Sales ${DEMO.bob}`);
    assert.equal(again.graph.at(-1)!.status, 404);
    assert.match(again.text, /Request_ResourceNotFound/);
    assert.match(again.text, /is not a direct member of Sales/);
  });

  it('group add: a user typed by name is looked up in the same $batch as the group', async () => {
    const answer = await harness.ask('group add Sales "Bob Berg"');
    assert.deepEqual(
      roundTrips(answer.graph).map((e) => e.method),
      ['POST', 'POST'],
      '$batch, then the write',
    );
    assert.ok(
      batched(answer.graph).some((e) =>
        /^GET \/v1.0\/users\?\$filter=startswith\(displayName,'Bob Berg'\)/.test(requestLine(e)),
      ),
    );
    assert.equal(answer.graph.at(-1)!.status, 204);
    assert.ok(group('Sales').memberIds.has(bobId()));
  });

  it("group add: an admin who may not manage the group gets Graph's 403; an unknown user the batched 404", async () => {
    harness.signIn(DEMO.teamsAdmin);
    const denied = await harness.ask(`group add Contractors ${DEMO.alice}`);
    assert.equal(denied.graph.at(-1)!.status, 403);
    assert.match(denied.text, /Authorization_RequestDenied/);
    assert.equal(group('Contractors').memberIds.has(harness.dev.tenant.userByUpn(DEMO.alice)!.id), false);
    harness.signIn(DEMO.admin);
    const unknown = await harness.ask('group add Sales nobody@contoso.onmicrosoft.com');
    assert.match(unknown.text, /Request_ResourceNotFound/);
    const inner = batched(unknown.graph).find((e) => e.status === 404)!;
    assert.ok(unknown.text.includes(inner.requestId), "the failing step's request-id");
    assert.equal(roundTrips(unknown.graph).length, 1, 'no write attempted');
  });

  it('group add / remove: usage errors call no Graph', async () => {
    const answer = await harness.ask('group add Sales');
    assert.match(answer.text, /<user> is required/);
    assert.equal(answer.graph.length, 0);
  });
});
