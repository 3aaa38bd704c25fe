import assert from 'node:assert/strict';
import type { FaultRule, GraphFault } from '../../devtenant/graph/faults.js';
import type { RequestLogEntry } from '../../devtenant/graph/request-log.js';
import { CommandHarness, type Answer } from '../helpers/command-harness.js';
import { DEMO } from '../helpers/devtenant.js';

/**
 * The bot against a misbehaving Graph (faults injected in the Graph stand-in, over HTTPS): every fault × a read
 * command and a write command. A read is retried until it succeeds or the budget ends; a write is sent again only
 * after a 429, so it is applied exactly once or not at all, and when the bot cannot know, the card says so and
 * names the read command that shows the truth. No reply ever carries a stack, and the bot answers the next command.
 */
const READ = `user ${DEMO.alice}`;
const WRITE = `user block ${DEMO.bob}`;
/** Short timeouts and budget keep the suite fast; the defaults (8/10/12 s) are checked in graph-faults-policy. */
const CLIENT = { readTimeoutMs: 1_500, writeTimeoutMs: 1_500, budgetMs: 6_000 };
const APPLYING_FAULTS = new Set(['delay', 'malformed', 'resetAfterApply']);

const isWrite = (e: RequestLogEntry) => e.method === 'PATCH' && /\/users\//.test(e.url);
/** Times the handler ran the write successfully (faults that skip the handler never apply it). */
const applied = (answer: Answer) =>
  answer.graph.filter(
    (e) => isWrite(e) && e.status >= 200 && e.status < 300 && (!e.fault || APPLYING_FAULTS.has(e.fault)),
  ).length;
const STACK = /\bat [\w.<>]+ \(|node_modules|\.ts:\d+|Error: /;

export const tally = { tried: 0, refusedOrUnknown: 0, applied: 0, duplicated: 0 };

describe('Graph faults from the stand-in: reads retried, writes never doubled, clear cards', function () {
  this.timeout(60_000);
  const harness = new CommandHarness();

  before(async () => {
    await harness.start({}, { graph: { retry: CLIENT } });
    harness.signIn(DEMO.admin);
  });
  after(() => harness.close());
  beforeEach(() => {
    harness.dev.graph.faults.clear();
    const bob = harness.dev.tenant.userByUpn(DEMO.bob);
    if (bob) bob.accountEnabled = true;
  });

  /** Runs one command, checks what every answer must satisfy, and that the bot still answers afterwards. */
  async function run(text: string): Promise<{ answer: Answer; ms: number }> {
    const started = Date.now();
    const answer = await harness.ask(text);
    const ms = Date.now() - started;
    assert.deepEqual(answer.problems, [], 'the card is valid');
    assert.doesNotMatch(`${answer.text}\n${answer.summary}`, STACK, 'no stack trace in the reply');
    assert.ok(ms < CLIENT.budgetMs + 3_000, `answered within the budget (${ms} ms)`);
    tally.tried++;
    if (text === WRITE) {
      const n = applied(answer);
      assert.ok(n <= 1, `the write was applied ${n} times`);
      tally.applied += n;
      if (n > 1) tally.duplicated++;
    }
    return { answer, ms };
  }

  async function stillAnswers(): Promise<void> {
    harness.dev.graph.faults.clear();
    const next = await harness.ask(READ);
    assert.match(next.text, /alice/i, 'the next command works');
  }

  const readPath = /^\/users(\/|\(|$)/;
  const once = (fault: GraphFault, method = 'GET', path: string | RegExp = readPath): FaultRule => ({
    method,
    path,
    first: 1,
    fault,
  });

  describe('a fault on the first attempt of a read: retried, then answered normally', () => {
    const cases: Array<[string, GraphFault]> = [
      ['429 with Retry-After 1', { kind: 'status', status: 429, retryAfter: 1 }],
      ['503 without Retry-After', { kind: 'status', status: 503 }],
      ['504 gateway timeout', { kind: 'status', status: 504 }],
      ['a timeout (answer after 3 s)', { kind: 'delay', ms: 3_000 }],
      ['a truncated JSON body', { kind: 'malformed' }],
      ["a gateway's HTML 502 page", { kind: 'html' }],
      ['a connection reset before the handler', { kind: 'reset' }],
      ['a connection reset after the handler', { kind: 'resetAfterApply' }],
    ];
    for (const [name, fault] of cases) {
      it(`read × ${name}`, async () => {
        harness.dev.graph.faults.set([once(fault)]);
        const { answer, ms } = await run(READ);
        assert.match(answer.text, /alice/i, `answered: ${answer.summary}`);
        assert.doesNotMatch(answer.text, /went wrong|Graph error/);
        const faulted = answer.graph.filter((e) => e.fault);
        assert.equal(faulted.length, 1, 'the stand-in faulted one request');
        const sameRequest = answer.graph.filter((e) => e.url === faulted[0].url && e.method === faulted[0].method);
        assert.equal(sameRequest.length, 2, 'it was sent exactly twice');
        if (fault.kind === 'status' && fault.retryAfter)
          assert.ok(ms >= Number(fault.retryAfter) * 1000, `Retry-After honoured (${ms} ms)`);
      });
    }
  });

  describe('a fault on the write: applied once or not at all, never twice', () => {
    const cases: Array<{ name: string; fault: GraphFault; applied: 0 | 1; attempts: number; card: RegExp }> = [
      {
        name: '429 with Retry-After 1 (Graph did nothing: retried)',
        fault: { kind: 'status', status: 429, retryAfter: 1 },
        applied: 1,
        attempts: 2,
        card: /Sign-in blocked/,
      },
      {
        name: '503 (not retried: outcome unknown)',
        fault: { kind: 'status', status: 503, retryAfter: 1 },
        applied: 0,
        attempts: 1,
        card: /Outcome unknown[\s\S]*serviceNotAvailable/,
      },
      {
        name: '504 (not retried: outcome unknown)',
        fault: { kind: 'status', status: 504 },
        applied: 0,
        attempts: 1,
        card: /Outcome unknown[\s\S]*GatewayTimeout/,
      },
      {
        name: 'a timeout after Graph applied it',
        fault: { kind: 'delay', ms: 3_000 },
        applied: 1,
        attempts: 1,
        card: /Outcome unknown[\s\S]*did not answer within 1\.5 s[\s\S]*Timeout/,
      },
      {
        name: 'a truncated 200 body',
        fault: { kind: 'malformed' },
        applied: 1,
        attempts: 1,
        card: /most likely applied[\s\S]*GraphMalformedResponse/,
      },
      {
        name: "a gateway's HTML 502 page",
        fault: { kind: 'html' },
        applied: 0,
        attempts: 1,
        card: /Outcome unknown[\s\S]*502[\s\S]*text\/html/,
      },
      {
        name: 'a connection reset before the handler',
        fault: { kind: 'reset' },
        applied: 0,
        attempts: 1,
        card: /Outcome unknown[\s\S]*connection to Graph broke[\s\S]*ConnectionLost/,
      },
      {
        name: 'a connection reset after the write was applied',
        fault: { kind: 'resetAfterApply' },
        applied: 1,
        attempts: 1,
        card: /Outcome unknown[\s\S]*connection to Graph broke[\s\S]*ConnectionLost/,
      },
    ];
    for (const c of cases) {
      it(`write × ${c.name}`, async () => {
        harness.dev.graph.faults.set([once(c.fault, 'PATCH', '/users/*')]);
        const { answer } = await run(WRITE);
        assert.match(answer.text, c.card, answer.summary);
        assert.equal(answer.graph.filter(isWrite).length, c.attempts, 'attempts at the write');
        assert.equal(applied(answer), c.applied, 'times the write was applied');
        const bob = harness.dev.tenant.userByUpn(DEMO.bob)!;
        assert.equal(bob.accountEnabled, c.applied === 0, 'the tenant shows exactly what was applied');
        if (c.applied === 1 && c.attempts === 2) return;
        tally.refusedOrUnknown++;
        assert.match(
          answer.text,
          new RegExp(`Check with "user ${DEMO.bob.replace(/\./g, '\\.')}"`),
          'names the read that shows the truth',
        );
        assert.match(answer.text, /not sent again/);
        const faulted = answer.graph.find((e) => e.fault);
        if (c.fault.kind === 'status')
          assert.ok(
            faulted?.requestId && answer.text.includes(faulted.requestId),
            'the card shows the request-id Graph gave',
          );
        await stillAnswers();
      });
    }
  });

  describe('$batch: a batch of GETs is a read, a batch with a DELETE is a write', () => {
    it('read × 503 on a $batch of GETs: retried, then answered', async () => {
      harness.dev.graph.faults.set([
        { method: 'POST', path: '/$batch', first: 1, fault: { kind: 'status', status: 503 } },
      ]);
      const { answer } = await run('teams');
      const batches = answer.graph.filter((e) => e.url.endsWith('/$batch') && !e.viaBatch);
      assert.deepEqual(
        batches.map((e) => e.status),
        [503, 200],
        'sent again after the 503',
      );
      assert.doesNotMatch(answer.text, /went wrong|Graph error/, answer.summary);
    });

    it('write × connection reset after a $batch of DELETEs was applied: not sent again, each method reported unknown', async () => {
      // The first $batch reads the user and the methods; the second deletes them — that one dies after applying.
      harness.dev.graph.faults.set([{ method: 'POST', path: '/$batch', nth: 2, fault: { kind: 'resetAfterApply' } }]);
      const { answer } = await run(`user mfa reset ${DEMO.alice}`);
      const batches = answer.graph.filter((e) => e.url.endsWith('/$batch') && !e.viaBatch);
      assert.equal(batches.length, 2, 'the deleting batch was not sent again');
      const deletes = answer.graph.filter((e) => e.viaBatch && e.method === 'DELETE');
      assert.ok(deletes.length > 0, 'the deletes were applied once');
      assert.equal(new Set(deletes.map((e) => e.url)).size, deletes.length, 'no method deleted twice');
      assert.match(answer.text, /unknown[\s\S]*user methods/i, answer.summary);
      tally.refusedOrUnknown++;
      await stillAnswers();
    });
  });

  describe('persistent faults: the bot gives up within its bound and says what happened', () => {
    const always = (fault: GraphFault, method?: string): FaultRule => ({ method, path: '/**', fault });
    const cases: Array<{ name: string; fault: GraphFault; card: RegExp; attempts: number }> = [
      {
        name: '503 on every read',
        fault: { kind: 'status', status: 503 },
        card: /temporarily unavailable[\s\S]*Tried 4 times[\s\S]*serviceNotAvailable/,
        attempts: 4,
      },
      {
        name: 'truncated JSON on every read',
        fault: { kind: 'malformed' },
        card: /not valid JSON[\s\S]*GraphMalformedResponse/,
        attempts: 4,
      },
      {
        name: 'HTML 502 on every read',
        fault: { kind: 'html' },
        card: /502[\s\S]*text\/html[\s\S]*GraphMalformedResponse/,
        attempts: 4,
      },
      {
        name: 'connection resets on every read',
        fault: { kind: 'reset' },
        card: /Graph did not answer[\s\S]*connection to Graph broke[\s\S]*Nothing was changed[\s\S]*ConnectionLost/,
        attempts: 4,
      },
      {
        name: 'a hanging Graph (every answer after 8 s)',
        fault: { kind: 'delay', ms: 8_000 },
        card: /did not answer within[\s\S]*time Teams allows[\s\S]*Timeout/,
        attempts: 0,
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        harness.dev.graph.faults.set([always(c.fault, 'GET')]);
        const { answer } = await run(READ);
        assert.match(answer.text, c.card, answer.summary);
        if (c.attempts) assert.equal(answer.graph.length, c.attempts, 'bounded attempts');
        else
          assert.ok(
            answer.graph.length >= 2 && answer.graph.length <= 4,
            `retried within the budget (${answer.graph.length} attempts)`,
          );
        tally.refusedOrUnknown++;
        await stillAnswers();
      });
    }

    it(
      'a 429 storm (every request for 30 s, Retry-After 1): Retry-After honoured, gives up within the budget and ' +
        'says so',
      async () => {
        harness.dev.graph.faults.set([
          { path: '/**', durationMs: 30_000, fault: { kind: 'status', status: 429, retryAfter: 1 } },
        ]);
        for (const text of [READ, WRITE]) {
          const { answer, ms } = await run(text);
          assert.match(
            answer.text,
            /throttling[\s\S]*Tried 4 times, waiting [3-9]\.\d s[\s\S]*TooManyRequests/,
            answer.summary,
          );
          assert.equal(answer.graph.length, 4, 'four attempts, then the admin is told');
          assert.ok(ms >= 3_000, `waited Retry-After between attempts (${ms} ms)`);
          assert.equal(applied(answer), 0, 'a throttled write is never applied');
          const requestId = answer.graph.at(-1)!.requestId;
          assert.ok(answer.text.includes(requestId), 'the card shows the last request-id');
          tally.refusedOrUnknown++;
        }
        await stillAnswers();
      },
    );

    it('Retry-After longer than the bot holds a command: no wait, the card says how long Graph asked for', async () => {
      harness.dev.graph.faults.set([always({ kind: 'status', status: 429, retryAfter: 120 })]);
      const { answer, ms } = await run(WRITE);
      assert.match(
        answer.text,
        /throttling[\s\S]*wait 120 s[\s\S]*longer than the bot holds a command/,
        answer.summary,
      );
      assert.equal(answer.graph.length, 1);
      assert.ok(ms < 2_000, `did not hold the turn (${ms} ms)`);
      tally.refusedOrUnknown++;
      await stillAnswers();
    });
  });

  describe('probabilistic faults (seeded): many commands, no write ever applied twice', () => {
    it('30 % of all requests fail in assorted ways; every write is applied at most once and every answer is clear', async () => {
      const kinds: GraphFault[] = [
        { kind: 'status', status: 429, retryAfter: 0 },
        { kind: 'status', status: 503 },
        { kind: 'reset' },
        { kind: 'resetAfterApply' },
        { kind: 'malformed' },
        { kind: 'html' },
      ];
      harness.dev.graph.faults.set(kinds.map((fault) => ({ path: '/**', probability: 0.06, fault })));
      let unknown = 0;
      for (let i = 0; i < 10; i++) {
        const bob = harness.dev.tenant.userByUpn(DEMO.bob)!;
        bob.accountEnabled = true;
        const { answer } = await run(WRITE);
        const n = applied(answer);
        assert.equal(bob.accountEnabled, n === 0, `round ${i}: the tenant matches the applied count`);
        if (/Outcome unknown/.test(answer.text)) unknown++;
        else if (n === 1) assert.match(answer.text, /Sign-in blocked/);
      }
      assert.ok(unknown < 10, 'most commands still complete');
    });
  });

  after(() => {
    console.log(
      `      graph faults: ${tally.tried} commands tried, ${tally.refusedOrUnknown} refused or reported unknown, ` +
        `${tally.applied} writes applied, ${tally.duplicated} duplicated`,
    );
  });
});
