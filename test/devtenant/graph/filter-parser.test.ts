import assert from 'node:assert/strict';
import { parseFilter } from '../../../devtenant/graph/odata/filter-parser.js';
import { GraphError } from '../../../devtenant/graph/errors.js';

const rejects = (text: string) =>
  assert.throws(
    () => parseFilter(text),
    (e: unknown) =>
      e instanceof GraphError &&
      e.status === 400 &&
      e.code === 'BadRequest' &&
      e.message.startsWith('Invalid filter clause'),
  );

describe('devtenant graph: $filter parser', () => {
  it('parses comparisons, and/or precedence and grouping', () => {
    const t = parseFilter("accountEnabled eq true and (userType eq 'Guest' or usageLocation eq 'US')");
    assert.equal(t.k, 'and');
    assert.equal(t.k === 'and' && t.r.k, 'or');
  });
  it('undoes doubled quotes inside string literals', () => {
    const t = parseFilter("surname eq 'O''Neil'");
    assert.deepEqual(t.k === 'cmp' && t.r, { k: 'lit', t: 'string', v: "O'Neil" });
  });
  it('accepts in (…), not(…) without a space and Any( in upper case as Graph does', () => {
    assert.equal(parseFilter("userType in ('Member','Guest')").k, 'in');
    assert.equal(parseFilter("not(startswith(displayName,'a'))").k, 'not');
    const l = parseFilter("resourceProvisioningOptions/Any(x:x eq 'Team')");
    assert.equal(l.k, 'lambda');
    assert.equal(l.k === 'lambda' && l.body?.k, 'cmp');
  });
  it('types guid, datetime, number, boolean and null literals', () => {
    const t = parseFilter('assignedLicenses/any(x:x/skuId eq 6fd2c87f-b296-42f0-b197-1e91e994b900)');
    assert.equal(t.k === 'lambda' && t.body?.k === 'cmp' && t.body.r.k === 'lit' && t.body.r.t, 'guid');
    const d = parseFilter('activityDateTime ge 2026-01-01T00:00:00Z');
    assert.equal(d.k === 'cmp' && d.r.k === 'lit' && d.r.t, 'datetime');
    const n = parseFilter('status/errorCode eq 0 and isInteractive eq false and manager eq null');
    assert.equal(n.k, 'and');
  });
  it('rejects injection attempts and malformed input with Graph 400s, never a crash', () => {
    for (const bad of [
      "displayName eq 'x' or 1 eq 1; drop table users",
      "displayName eq 'x'' or ''1'='1",
      "displayName eq 'unterminated",
      'displayName eq "double"',
      'startswith(displayName,',
      '((((a eq 1)',
      "displayName eq 'a' )",
      'eq eq eq',
      '$where',
      "a eq 'b' --",
      '',
    ])
      rejects(bad);
  });
  it('bounds nesting depth', () => rejects(`${'('.repeat(200)}a eq 1${')'.repeat(200)}`));
});

describe('devtenant graph: $filter never crashes (property-based)', () => {
  it('any string either parses and compiles against the user schema, or is a Graph 400', async () => {
    const fc = (await import('fast-check')).default;
    const { compileFilter } = await import('../../../devtenant/graph/odata/filter-eval.js');
    const { userSchema } = await import('../../../devtenant/graph/model/user.js');
    const { createTenant } = await import('../../../devtenant/seed/index.js');
    const users = [...createTenant({ size: 'demo' }).liveUsers()].slice(0, 5);
    const atoms = [
      'displayName',
      'userPrincipalName',
      'accountEnabled',
      'assignedLicenses',
      'x/skuId',
      'eq',
      'ne',
      'and',
      'or',
      'not',
      'in',
      'any',
      '(',
      ')',
      ',',
      '/',
      ':',
      "'a'",
      "'o''b'",
      'true',
      'null',
      '1',
      'startswith',
      'endswith',
      '6fd2c87f-b296-42f0-b197-1e91e994b900',
      '2026-01-01T00:00:00Z',
      ';',
      "'",
      '$',
      ' ',
    ];
    const text = fc.oneof(
      fc.string(),
      fc.array(fc.constantFrom(...atoms), { maxLength: 12 }).map((a) => a.join(' ')),
    );
    fc.assert(
      fc.property(text, (t) => {
        try {
          const f = compileFilter(parseFilter(t), userSchema as never, { advanced: true });
          for (const u of users) assert.equal(typeof f.predicate(u), 'boolean');
        } catch (e) {
          assert.ok(e instanceof GraphError && e.status === 400, `unexpected ${String(e)} for ${JSON.stringify(t)}`);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
