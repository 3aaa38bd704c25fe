// The guard that keeps the Graph stand-in honest: every route must exist in Microsoft's v1.0 CSDL (or be a listed
// beta-only route), and every GET route, called with seeded ids, must return payloads that validate against the
// CSDL type its path resolves to. Findings are written up in devtenant/graph/CONFORMANCE.md.
import assert from 'node:assert/strict';
import { routeTable } from '../../../devtenant/graph/routes/index.js';
import type { RouteDefinition } from '../../../devtenant/graph/route.js';
import {
  allowedMethods,
  checkContextUrl,
  resolveGraphPath,
  validateEntity,
  validateResponseBody,
  type ValidationIssue,
} from '../../../devtenant/graph/csdl/index.js';
import { startHarness, type Harness } from './helpers.js';
import { concreteUrlFor, crawlSetup, type CrawlState } from './conformance-crawl.js';
import { BETA_ONLY_ROUTES, KNOWN_DEVIATIONS, routeKey } from './conformance-known.js';

/**
 * One line per distinct finding: `value[3].x` and `value[7].x` with the same message collapse into `value[*].x (×2)`.
 */
function summarize(issues: ValidationIssue[]): string {
  const counts = new Map<string, number>();
  for (const i of issues) {
    const line = `${i.path.replace(/\[\d+\]/g, '[*]')}: ${i.message}`;
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return [...counts].map(([line, n]) => (n > 1 ? `${line} (×${n})` : line)).join('\n');
}

const isV1 = (def: RouteDefinition): boolean => (def.versions ?? ['v1.0', 'beta']).includes('v1.0');

describe('Graph stand-in conformance: routeTable vs v1.0 CSDL', () => {
  it('has routes to check', () => assert.ok(routeTable.length > 10, `only ${routeTable.length} routes`));

  it('lists exactly the beta-only routes as beta-only', () => {
    const betaOnly = routeTable
      .filter((d) => !isV1(d))
      .map(routeKey)
      .sort();
    assert.deepEqual(betaOnly, [...BETA_ONLY_ROUTES.keys()].sort());
  });

  for (const [key, why] of BETA_ONLY_ROUTES) {
    it(`beta-only ${key} is really absent from v1.0 (${why})`, () => {
      const path = key.slice(key.indexOf(' ') + 1);
      const r = resolveGraphPath(path, { keysMustBePlaceholders: true });
      assert.equal(r.ok, false, `${path} resolves in v1.0, so it should be served on v1.0 too`);
    });
  }

  for (const def of routeTable.filter(isV1)) {
    it(`${def.method} ${def.path} resolves in the CSDL and accepts ${def.method}`, () => {
      const r = resolveGraphPath(def.path, { keysMustBePlaceholders: true });
      if (!r.ok) assert.fail(`segment '${r.segment}' (#${r.index}) does not exist: ${r.message}`);
      assert.ok(
        allowedMethods(r).includes(def.method),
        `${def.method} is not valid on ${r.segments.at(-1)?.as} (${allowedMethods(r).join(', ')})`,
      );
    });
  }
});

describe('Graph stand-in conformance: GET payloads vs CSDL types (demo tenant)', function () {
  this.timeout(60_000);
  let harness: Harness;
  let state: CrawlState;

  before(async () => {
    harness = await startHarness({ size: 'demo' });
    state = await crawlSetup(harness, routeTable);
  });
  after(() => harness?.close());

  for (const def of routeTable.filter((d) => isV1(d) && d.method === 'GET')) {
    const key = routeKey(def);
    it(`GET ${def.path} returns CSDL-conforming payloads`, async () => {
      const url = await concreteUrlFor(harness, state, def.path);
      const res = await harness.get(`/v1.0${url}`, state.token);
      const text = await res.text();
      assert.equal(res.status, 200, `GET ${url} → ${res.status} ${text.slice(0, 300)}`);
      const resolved = resolveGraphPath(url);
      if (!resolved.ok) assert.fail(`concrete URL ${url} does not resolve: ${resolved.message}`);
      const body = JSON.parse(text) as Record<string, unknown>;
      const issues: ValidationIssue[] =
        resolved.kind === 'count'
          ? []
          : [...validateResponseBody(resolved, body), ...checkContextUrl(body['@odata.context'], resolved)];
      // The second page must conform too (and its nextLink must be absolute and served by us).
      if (typeof body['@odata.nextLink'] === 'string') {
        const next = body['@odata.nextLink'];
        assert.ok(next.startsWith(`${harness.server.url}/v1.0/`), `nextLink is not absolute: ${next}`);
        const page = await harness.get(next.slice(harness.server.url.length), state.token);
        assert.equal(page.status, 200, `GET nextLink → ${page.status}`);
        issues.push(
          ...validateResponseBody(resolved, await page.json()).map((i) => ({ ...i, path: `(page 2) ${i.path}` })),
        );
      }
      const known = KNOWN_DEVIATIONS.get(key);
      const report = summarize(issues);
      if (known) {
        // A listed deviation must still reproduce; once fixed, the entry (and CONFORMANCE.md) must go.
        assert.ok(
          issues.some((i) => known.pattern.test(`${i.path}: ${i.message}`)),
          `known deviation fixed — remove it from conformance-known.ts: ${known.note}`,
        );
        const unexplained = issues.filter((i) => !known.pattern.test(`${i.path}: ${i.message}`));
        assert.deepEqual(unexplained, [], `GET ${url}: new non-conformance besides the known one`);
      } else {
        assert.equal(report, '', `GET ${url} is not conformant:\n${report}`);
      }
    });
  }

  it('POST responses made while crawling conform to the CSDL (created entities, action results, empty 202s)', async () => {
    for (const def of routeTable.filter((d) => d.method === 'GET' && state.overrides.has(d.path)))
      await concreteUrlFor(harness, state, def.path);
    assert.ok(state.posts.length >= 5, `only ${state.posts.length} writes recorded`);
    const problems: string[] = [];
    for (const p of state.posts) {
      const resolved = resolveGraphPath(p.path);
      if (!resolved.ok) {
        problems.push(`${p.path}: does not resolve`);
        continue;
      }
      if (resolved.kind === 'none') {
        if (p.text !== '') problems.push(`${p.path}: an action without a return type answered a body`);
        continue;
      }
      // POST to an entity collection creates one entity of its type; an action answers its return type.
      const created = resolved.kind === 'entity' && resolved.isCollection && !resolved.operation;
      const body = JSON.parse(p.text) as unknown;
      const issues = created ? validateEntity(resolved.type!, body) : validateResponseBody(resolved, body);
      problems.push(...issues.map((i) => `POST ${p.path} → ${i.path}: ${i.message}`));
    }
    assert.deepEqual(problems, []);
  });

  const UNKNOWN_KEY = '00000000-0000-4000-8000-0000000000ff';
  for (const def of routeTable.filter((d) => isV1(d) && d.method === 'GET' && /\/\{\w+\}$/.test(d.path))) {
    it(`GET ${def.path} with an unknown key → 404 in Graph's error envelope`, async () => {
      const url = await concreteUrlFor(harness, state, def.path);
      const last = url.slice(url.lastIndexOf('/') + 1);
      // Keys come as segments (`/operations/{id}`) or, from Location headers, in parentheses (`/operations('{id}')`).
      const keyed = /^([\w.]+)\('.*'\)$/.exec(last);
      const unknown = `${url.slice(0, url.lastIndexOf('/'))}/${keyed ? `${keyed[1]}('${UNKNOWN_KEY}')` : UNKNOWN_KEY}`;
      const res = await harness.get(`/v1.0${unknown}`, state.token);
      assert.equal(res.status, 404, `GET ${unknown} → ${res.status}`);
      const body = (await res.json()) as {
        error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> };
      };
      assert.equal(typeof body.error?.code, 'string');
      assert.equal(typeof body.error?.message, 'string');
      assert.match(
        String(body.error?.innerError?.date),
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/,
        'innerError.date: no Z, no fractions',
      );
      assert.equal(typeof body.error?.innerError?.['request-id'], 'string');
      assert.equal(typeof body.error?.innerError?.['client-request-id'], 'string');
    });
  }
});
