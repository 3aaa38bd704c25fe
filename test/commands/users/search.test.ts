import assert from 'node:assert/strict';
import { CommandHarness, requestLine, requestParts } from '../../helpers/command-harness.js';
import { DEMO } from '../../helpers/devtenant.js';

describe('command: user search', () => {
  const harness = new CommandHarness();
  before(async () => {
    await harness.start();
    harness.signIn(DEMO.admin);
  });
  after(() => harness.close());

  it('searches with $search, ConsistencyLevel and $count in one round trip', async () => {
    const answer = await harness.ask('user search ali');
    assert.deepEqual(answer.problems, []);
    assert.equal(answer.graph.length, 1);
    assert.deepEqual(requestParts(answer.graph[0]), {
      method: 'GET',
      path: '/v1.0/users',
      query: {
        $search: '"displayName:ali" OR "userPrincipalName:ali"',
        $count: 'true',
        $top: '25',
        $select: 'id,displayName,userPrincipalName,accountEnabled,userType',
        $orderby: 'displayName',
      },
    });
    assert.equal(answer.graph[0].status, 200);
    assert.match(answer.text, new RegExp(DEMO.alice));
    assert.match(answer.text, /of \d+ users · page 1/);
  });

  it('pages on with the More button through a server-side cursor, resending ConsistencyLevel', async () => {
    const first = await harness.ask('user search on');
    const more = JSON.stringify(first.card.actions ?? []).match(/user search on --cursor [A-Za-z0-9_-]+/)?.[0];
    assert.ok(more, 'a More action when Graph has another page');
    const second = await harness.ask(more);
    assert.equal(second.graph.length, 1);
    assert.equal(second.graph[0].status, 200, 'the next page is accepted (ConsistencyLevel resent)');
    assert.match(requestLine(second.graph[0]), /\$skiptoken=/);
    assert.match(second.text, /page 2/);
  });

  it('refuses a cursor that is not its own', async () => {
    const answer = await harness.ask('user search on --cursor AAAAAAAAAAAAAAAAAAAAAAAA');
    assert.match(answer.text, /expired/);
    assert.equal(answer.graph.length, 0);
  });

  it('keeps a double quote from breaking the $search term', async () => {
    const answer = await harness.ask(`user search 'a"b'`);
    assert.equal(answer.graph[0].status, 200);
  });

  it('needs at least two characters', async () => {
    const answer = await harness.ask('user search a');
    assert.match(answer.text, /at least 2 characters/);
    assert.equal(answer.graph.length, 0);
  });
});
