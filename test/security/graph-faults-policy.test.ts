import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GraphFaults } from '../../devtenant/graph/faults.js';
import { outcomeCheckFor } from '../../bot/commands/_lib/outcome-check.js';
import { CommandRegistry } from '../../bot/commands/registry.js';
import { tokenize } from '../../bot/commands/tokenize.js';
import {
  DEFAULT_RETRY_SETTINGS,
  MIN_ATTEMPT_MS,
  decideRetry,
  parseRetryAfter,
  requestKind,
  type AttemptOutcome,
} from '../../bot/graph/retry-policy.js';

/** The retry rules on their own (no network), and the stand-in's fault rule matching. */
describe('Graph retry policy: when a request may be sent again', () => {
  const settings = DEFAULT_RETRY_SETTINGS;
  const response = (
    status: number,
    extra: Partial<{ retryAfterSeconds: number; unreadable: boolean }> = {},
  ): AttemptOutcome => ({ kind: 'response', status, unreadable: false, ...extra });
  const noJitter = () => 0;

  it('classifies reads and writes: GET, and $batch of GETs only, are reads', () => {
    assert.equal(requestKind('GET', '/users'), 'read');
    assert.equal(requestKind('POST', '/$batch', { requests: [{ method: 'GET' }, { method: 'get' }] }), 'read');
    assert.equal(requestKind('POST', '/$batch', { requests: [{ method: 'GET' }, { method: 'DELETE' }] }), 'write');
    assert.equal(requestKind('POST', '/$batch', { requests: [] }), 'write');
    for (const method of ['POST', 'PATCH', 'PUT', 'DELETE']) assert.equal(requestKind(method, '/users/x'), 'write');
  });

  it('writes are retried on 429 only; never after 5xx, a timeout, a broken connection or an unreadable answer', () => {
    const refused: AttemptOutcome[] = [
      response(500),
      response(502),
      response(503, { retryAfterSeconds: 1 }),
      response(504),
      response(200, { unreadable: true }),
      { kind: 'timeout' },
      { kind: 'connection' },
    ];
    for (const outcome of refused)
      assert.deepEqual(
        decideRetry('write', outcome, 1, 0, settings, noJitter),
        { retry: false, because: 'not-retryable' },
        JSON.stringify(outcome),
      );
    assert.deepEqual(decideRetry('write', response(429, { retryAfterSeconds: 2 }), 1, 0, settings, noJitter), {
      retry: true,
      delayMs: 2_000,
    });
  });

  it('reads are retried on 429/502/503/504, timeouts, broken connections and unreadable bodies; not on 4xx or 500', () => {
    for (const outcome of [
      response(429),
      response(502),
      response(503),
      response(504),
      response(200, { unreadable: true }),
      { kind: 'timeout' } as const,
      { kind: 'connection' } as const,
    ]) {
      assert.equal(decideRetry('read', outcome, 1, 0, settings, noJitter).retry, true, JSON.stringify(outcome));
    }
    for (const status of [400, 401, 403, 404, 409, 500])
      assert.equal(decideRetry('read', response(status), 1, 0, settings).retry, false, String(status));
    assert.deepEqual(decideRetry('read', response(200), 1, 0, settings), { retry: false, because: 'done' });
  });

  it('honours Retry-After up to the limit, then reports instead of waiting; backs off exponentially without it', () => {
    assert.deepEqual(decideRetry('read', response(429, { retryAfterSeconds: 6 }), 1, 0, settings), {
      retry: false,
      because: 'retry-after-too-long',
    });
    const delays = [1, 2, 3].map(
      (attempt) =>
        (decideRetry('read', response(503), attempt, 0, settings, () => 0.999) as { delayMs: number }).delayMs,
    );
    assert.ok(delays[0] < delays[1] && delays[1] < delays[2], `growing: ${delays.join(', ')}`);
    assert.deepEqual(decideRetry('read', response(503), settings.maxAttempts, 0, settings), {
      retry: false,
      because: 'attempts',
    });
    assert.equal(parseRetryAfter('2.128'), 2.128);
    assert.equal(parseRetryAfter(new Date(Date.now() + 3_000).toUTCString()), 3);
    assert.equal(parseRetryAfter('soon'), undefined);
  });

  it('never schedules a retry that would end past the command budget; the defaults fit a Teams message (15 s)', () => {
    assert.ok(settings.budgetMs + MIN_ATTEMPT_MS <= 13_000, 'budget plus one last short attempt stays under 15 s');
    const outcomes = fc.oneof(
      fc.record({
        kind: fc.constant('response' as const),
        status: fc.constantFrom(200, 400, 429, 500, 502, 503, 504),
        unreadable: fc.boolean(),
        retryAfterSeconds: fc.option(fc.double({ min: 0, max: 30, noNaN: true }), { nil: undefined }),
      }),
      fc.constantFrom({ kind: 'timeout' as const }, { kind: 'connection' as const }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('read' as const, 'write' as const),
        outcomes,
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (kind, outcome, attempt, elapsed, r) => {
          const decision = decideRetry(kind, outcome, attempt, elapsed, settings, () => r);
          if (!decision.retry) return;
          assert.ok(elapsed + decision.delayMs + MIN_ATTEMPT_MS <= settings.budgetMs);
          assert.ok(attempt < settings.maxAttempts);
          if (kind === 'write')
            assert.ok(outcome.kind === 'response' && outcome.status === 429, 'a write retried only after 429');
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('"Outcome unknown" cards name a read command that exists', () => {
  it('maps every Graph-backed write and dangerous command to a read command of the registry, with the typed target', async () => {
    const registry = await CommandRegistry.discover();
    // Graph-backed writes (scopes declared); bot-local ones such as schedule add change no tenant object.
    const writes = registry.all().filter((c) => c.tier !== 'read' && !c.public && c.scopes.length > 0);
    const problems: string[] = [];
    for (const command of writes) {
      const example = command.examples[0];
      const check = outcomeCheckFor(registry, command, example);
      const matched = check ? registry.match(tokenize(check).map((w) => w.toLowerCase())) : undefined;
      if (!check) problems.push(`${command.name}: no check`);
      else if (!matched || matched.command.tier !== 'read')
        problems.push(`${command.name}: "${check}" is not a read command`);
      else if (/<target>/.test(check))
        problems.push(`${command.name}: "${check}" lost the typed target of "${example}"`);
    }
    assert.deepEqual(problems, []);
    assert.ok(writes.length >= 20, `${writes.length} write commands`);
    assert.equal(
      outcomeCheckFor(registry, registry.find('user block'), 'user block bob@contoso.com'),
      'user bob@contoso.com',
    );
    assert.equal(
      outcomeCheckFor(registry, registry.find('group add'), 'group add "Sales Team" bob@contoso.com'),
      'group members "Sales Team"',
    );
  });
});

describe('Graph stand-in fault rules', () => {
  const fault = { kind: 'status', status: 503 } as const;

  it('matches method and path patterns (one segment *, any depth **, RegExp), decoded and case-insensitive', () => {
    const faults = new GraphFaults([{ method: 'PATCH', path: '/users/*', fault }]);
    assert.equal(faults.pick('GET', '/v1.0/users/abc'), undefined);
    assert.deepEqual(faults.pick('patch', '/v1.0/Users/abc?x=1'), fault);
    assert.equal(faults.pick('PATCH', '/v1.0/users/abc/manager'), undefined);
    faults.set([
      { path: '/groups/**', fault },
      { path: /^\/users\('.*@contoso/, fault: { kind: 'reset' } },
    ]);
    assert.deepEqual(faults.pick('POST', '/beta/groups/g1/members/$ref'), fault);
    assert.deepEqual(faults.pick('GET', "/v1.0/users('alice%40contoso.com')"), { kind: 'reset' });
    assert.equal(faults.pick('GET', '/other/users/x'), undefined, 'outside a version root');
  });

  it('fires only on the Nth or the first N matching requests', () => {
    const nth = new GraphFaults([{ path: '/**', nth: 2, fault }]);
    assert.deepEqual(
      [1, 2, 3].map(() => nth.pick('GET', '/v1.0/me') !== undefined),
      [false, true, false],
    );
    const first = new GraphFaults([{ path: '/**', first: 2, fault }]);
    assert.deepEqual(
      [1, 2, 3].map(() => first.pick('GET', '/v1.0/me') !== undefined),
      [true, true, false],
    );
  });

  it('stops a timed rule after its duration (a storm that ends)', async () => {
    const faults = new GraphFaults([{ path: '/**', durationMs: 50, fault }]);
    assert.ok(faults.pick('GET', '/v1.0/me'));
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(faults.pick('GET', '/v1.0/me'), undefined);
  });

  it('draws probabilistic faults from a seeded generator: the same seed gives the same sequence', () => {
    const draw = (seed: number) => {
      const faults = new GraphFaults([{ path: '/**', probability: 0.3, fault }], seed);
      return Array.from({ length: 200 }, () => (faults.pick('GET', '/v1.0/users') ? 1 : 0)).join('');
    };
    assert.equal(draw(7), draw(7));
    assert.notEqual(draw(7), draw(8));
    const hits = [...draw(7)].filter((c) => c === '1').length;
    assert.ok(hits > 30 && hits < 90, `about 30 % (${hits} of 200)`);
  });
});
