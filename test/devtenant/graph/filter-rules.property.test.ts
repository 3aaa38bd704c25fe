// Property-based check of GET /users $filter against the rule table (USER_FILTER_RULES, transcribed from the v1.0
// user resource's "Supports $filter (…)" notes): for any declared property, operator and header combination the
// stand-in accepts exactly what the table allows, refuses the rest with Graph's error texts, and the advanced-only
// operators (ne, NOT, endsWith, eq/ne null) need ConsistencyLevel: eventual + $count=true.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CSDL_SERVED } from '../../../devtenant/graph/model/csdl-served.js';
import { USER_FILTER_RULES } from '../../../devtenant/graph/model/user.js';
import { GROUP_FILTER_RULES } from '../../../devtenant/graph/model/group.js';
import type { FilterOp } from '../../../devtenant/graph/odata/schema.js';
import { ADMIN_SCOPES, json, startHarness, type Harness } from './helpers.js';

type Op = 'eq' | 'ne' | 'ge' | 'le' | 'in' | 'startswith' | 'endswith' | 'eqnull' | 'nenull' | 'not';
const OPS: readonly Op[] = ['eq', 'ne', 'ge', 'le', 'in', 'startswith', 'endswith', 'eqnull', 'nenull', 'not'];
const ADVANCED_HINT = 'Try adding $count=true query parameter and ConsistencyLevel:eventual header.';
const unsupported = (p: string, resource: string) =>
  `Unsupported or invalid query filter clause specified for property '${p}' of resource '${resource}'.`;

const USER_PROPS = CSDL_SERVED['microsoft.graph.user']!.props;
const GROUP_PROPS = CSDL_SERVED['microsoft.graph.group']!.props;
/** Declared properties of a primitive type (complex ones are filtered through paths / lambdas, checked elsewhere). */
const primitives = (props: Record<string, string>) => Object.keys(props).filter((p) => /^Edm\./.test(props[p]!));
const RESOURCES = [
  { path: 'users', resource: 'User', props: USER_PROPS, rules: USER_FILTER_RULES },
  { path: 'groups', resource: 'Group', props: GROUP_PROPS, rules: GROUP_FILTER_RULES },
] as const;
const STRING_COLLECTIONS = Object.keys(USER_PROPS).filter((p) => USER_PROPS[p] === 'Collection(Edm.String)');

function literal(type: string): string {
  if (type === 'Edm.Boolean') return 'true';
  if (type === 'Edm.DateTimeOffset') return '2020-01-01T00:00:00Z';
  if (type === 'Edm.Int32') return '1';
  return "'a'";
}

function clause(prop: string, op: Op, lit: string): string {
  switch (op) {
    case 'eqnull':
      return `${prop} eq null`;
    case 'nenull':
      return `${prop} ne null`;
    case 'in':
      return `${prop} in (${lit})`;
    case 'startswith':
    case 'endswith':
      return `${op}(${prop},${lit})`;
    case 'not':
      return `not(${prop} eq ${lit})`;
    default:
      return `${prop} ${op} ${lit}`;
  }
}

/** The oracle: the expected outcome from the rule table alone. */
function expected(
  r: (typeof RESOURCES)[number],
  prop: string,
  op: Op,
  advanced: boolean,
): { status: number; message?: string } {
  const type = r.props[prop]!;
  const allowed = (r.rules[prop]?.filter ?? []) as readonly FilterOp[];
  const needs: FilterOp = op === 'not' ? 'eq' : op === 'nenull' ? 'eqnull' : op;
  const typeOk = !['startswith', 'endswith'].includes(op) || type === 'Edm.String';
  // `not(…)` is refused as a whole before its operand is looked at.
  if (op === 'not' && !advanced) return { status: 400 };
  if (!allowed.includes(needs) || !typeOk) return { status: 400, message: unsupported(prop, r.resource) };
  if (!advanced) {
    if (op === 'ne' || op === 'nenull')
      return { status: 400, message: "Filter operator 'NotEqualsMatch' is not supported." };
    if (op === 'eqnull') return { status: 400, message: unsupported(prop, r.resource) };
    if (op === 'endswith') return { status: 400 };
  }
  return { status: 200 };
}

describe('devtenant Graph: /users $filter rules (property-based, fast-check)', function () {
  this.timeout(120_000);
  let h: Harness;
  let token: string;
  before(async () => {
    h = await startHarness();
    token = await h.userToken('admin', ADMIN_SCOPES);
  });
  after(() => h.close());

  const request = (filter: string, advanced: boolean, path = 'users') =>
    h.get(
      `/v1.0/${path}?$filter=${encodeURIComponent(filter)}${advanced ? '&$count=true' : ''}&$top=5`,
      token,
      advanced ? { ConsistencyLevel: 'eventual' } : {},
    );

  for (const r of RESOURCES) {
    it(`/${r.path}: accepts exactly what the table allows on primitive properties, with Graph’s texts otherwise`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...primitives(r.props)),
          fc.constantFrom(...OPS),
          fc.boolean(),
          async (prop, op, adv) => {
            const filter = clause(prop, op, literal(r.props[prop]!));
            const res = await request(filter, adv, r.path);
            const body = await json(res);
            const want = expected(r, prop, op, adv);
            assert.equal(res.status, want.status, `${filter} (advanced ${adv}): ${body.error?.message}`);
            if (want.status === 400) {
              assert.equal(body.error?.code, 'Request_UnsupportedQuery');
              if (want.message) assert.equal(body.error?.message, want.message);
              else assert.ok(body.error?.message.includes(ADVANCED_HINT), body.error?.message);
            }
          },
        ),
        { numRuns: 400, seed: 15 },
      );
    });
  }

  it('any() over string collections: the element operators the table allows, nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...STRING_COLLECTIONS),
        fc.constantFrom('eq', 'startswith', 'ge', 'le'),
        async (prop, op) => {
          const body = op === 'startswith' ? `startswith(x,'a')` : `x ${op} 'a'`;
          const res = await request(`${prop}/any(x:${body})`, false);
          const rule = USER_FILTER_RULES[prop];
          const ok = !!rule?.filter?.includes('any') && !!rule.itemFilter?.includes(op as FilterOp);
          assert.equal(res.status, ok ? 200 : 400, `${prop}/any(x:${body}): ${(await json(res)).error?.message}`);
        },
      ),
      { numRuns: 60, seed: 15 },
    );
  });

  it('any() over complex collections: assignedLicenses/any(l:l/skuId eq <guid>) finds exactly the licensed users', async () => {
    const sku = h.tenant.users.flatMap((u) => u.assignedLicenses)[0]!.skuId;
    const res = await h.get(
      `/v1.0/users?$filter=${encodeURIComponent(`assignedLicenses/any(l:l/skuId eq ${sku})`)}&$select=id,assignedLicenses&$top=999`,
      token,
    );
    assert.equal(res.status, 200);
    const ids = ((await json(res)).value as { id: string }[]).map((u) => u.id).sort();
    const want = [...h.tenant.liveUsers()]
      .filter((u) => u.assignedLicenses.some((l) => l.skuId === sku))
      .map((u) => u.id)
      .sort();
    assert.deepEqual(ids, [...want]);
  });

  it('accepted comparisons return only matching users (eq, startsWith, ge/le on strings)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('displayName', 'givenName', 'surname', 'jobTitle', 'userPrincipalName'),
        fc.constantFrom('eq', 'startswith', 'ge', 'le'),
        fc.stringMatching(/^[a-zA-Z]{1,2}$/),
        async (prop, op, text) => {
          const res = await request(clause(prop, op as Op, `'${text}'`), false);
          assert.equal(res.status, 200);
          for (const u of (await json(res)).value as Record<string, string | null>[]) {
            const v = (u[prop] ?? '').toLowerCase();
            const t = text.toLowerCase();
            const holds = op === 'eq' ? v === t : op === 'startswith' ? v.startsWith(t) : op === 'ge' ? v >= t : v <= t;
            assert.ok(holds, `${prop} ${op} '${text}' returned ${u[prop]}`);
          }
        },
      ),
      { numRuns: 80, seed: 15 },
    );
  });
});
