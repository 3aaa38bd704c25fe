import assert from 'node:assert/strict';
import { CommandHarness } from '../helpers/command-harness.js';
import { DEMO } from '../helpers/devtenant.js';

/**
 * Every Graph-backed command, run with its own first example against a Graph that throttles everything with a
 * Retry-After longer than the bot waits: each answers with a clear card naming TooManyRequests, the wait and the
 * request-id — no crash, no stack trace, no retried write.
 */
describe('every command under Graph throttling (429)', () => {
  const harness = new CommandHarness();
  before(async () => {
    // A bucket that never refills in time: Retry-After ≈ 100 s, far beyond the bot's 5 s retry budget.
    await harness.start({ graphThrottle: { capacity: 0, refillPerSecond: 0.01 } });
    harness.signIn(DEMO.admin);
  });
  after(() => harness.close());

  it('throttles (sanity)', async () => {
    const answer = await harness.ask(`user ${DEMO.alice}`);
    assert.equal(answer.graph[0].status, 429);
  });

  const graphCommands = () => harness.registry.all().filter((c) => !c.public && c.scopes.length > 0);

  it('answers each command with a TooManyRequests card', async () => {
    const problems: string[] = [];
    let reachedGraph = 0;
    for (const command of graphCommands()) {
      const example = command.examples[0];
      const answer = await harness.ask(example);
      const writes = answer.graph.filter((r) => r.method !== 'GET' && !r.url.endsWith('/$batch'));
      if (answer.problems.length) problems.push(`${example}: card problems ${answer.problems.join('; ')}`);
      if (answer.graph.length === 0) continue; // refused before Graph (e.g. an argument check): nothing to throttle
      reachedGraph++;
      if (!/TooManyRequests/.test(answer.text))
        problems.push(`${example}: no TooManyRequests on the card: ${answer.summary}`);
      if (!/request-id/.test(answer.text)) problems.push(`${example}: no request-id on the card`);
      if (/\bat \w+ \(|node_modules/.test(answer.text)) problems.push(`${example}: stack trace on the card`);
      if (writes.length > 1) problems.push(`${example}: a throttled write was retried (${writes.length} attempts)`);
    }
    assert.deepEqual(problems, []);
    assert.ok(graphCommands().length >= 40, `covers the catalog (${graphCommands().length} commands)`);
    assert.ok(
      reachedGraph >= graphCommands().length - 5,
      `${reachedGraph} of ${graphCommands().length} commands reached Graph`,
    );
  });
});
