// Validates a parsed $filter against an entity schema (Graph's per-property operator support and advanced-query
// rules) and compiles it into a predicate.
import { badRequest, unsupportedQuery } from '../errors.js';
import { invalidFilter, type CompareOp, type FilterNode, type LiteralNode } from './filter-parser.js';
import { isSelectable, propertyValue, type EntitySchema, type FilterOp, type PropertySpec } from './schema.js';

type Env = Map<string, unknown>;
type Pred = (entity: unknown, env: Env) => boolean;
type Getter = (entity: unknown, env: Env) => unknown;

const EDM: Record<string, string> = {
  string: 'Edm.String',
  enum: 'Edm.String',
  boolean: 'Edm.Boolean',
  datetime: 'Edm.DateTimeOffset',
  guid: 'Edm.Guid',
  int: 'Edm.Int32',
  number: 'Edm.Int32',
  null: 'null',
  strings: 'Collection(Edm.String)',
  complex: 'Complex',
  complexes: 'Collection(Complex)',
};
const OP_KIND: Record<CompareOp, string> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
};
const ADVANCED_HINT =
  'Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to ' +
  'https://aka.ms/graph-docs/advanced-queries for more information';

export interface FilterOptions {
  advanced: boolean;
}
export interface CompiledFilter {
  predicate: (entity: unknown) => boolean;
  usesAdvanced: boolean;
}

interface Scope {
  variable: string | null;
  element: PropertySpec | null;
}
interface Resolved {
  spec: PropertySpec;
  name: string;
  get: Getter;
}

export function compileFilter(node: FilterNode, schema: EntitySchema<unknown>, options: FilterOptions): CompiledFilter {
  let usesAdvanced = false;
  const unsupported = (name: string) =>
    unsupportedQuery(
      `Unsupported or invalid query filter clause specified for property '${name}' of resource ` +
        `'${schema.resourceName}'.`,
    );
  const requireAdvanced = (message: string) => {
    usesAdvanced = true;
    if (schema.directory && !options.advanced) throw unsupportedQuery(message);
  };
  const allow = (r: Resolved, op: FilterOp) => {
    if (!(r.spec.filter ?? []).includes(op)) throw unsupported(r.name);
  };

  const resolve = (segs: string[], scope: Scope): Resolved => {
    let spec: PropertySpec | undefined;
    let get: Getter;
    let start = 1;
    let name: string;
    if (scope.variable && segs[0] === scope.variable && scope.element) {
      spec = scope.element;
      name = segs.join('/');
      const v = scope.variable;
      get = (_e, env) => env.get(v);
    } else {
      spec = schema.properties[segs[0]];
      name = segs[0];
      if (!spec && isSelectable(schema, segs[0])) throw unsupported(segs[0]);
      if (!spec) throw badRequest(`Could not find a property named '${segs[0]}' on type '${schema.typeName}'.`);
      const prop = segs[0];
      get = (e) => propertyValue(schema, e, prop);
    }
    for (; start < segs.length; start++) {
      const seg = segs[start];
      const next: PropertySpec | undefined = spec.props?.[seg];
      if (!next || spec.type === 'complexes')
        throw badRequest(`Could not find a property named '${seg}' on type '${schema.typeName}'.`);
      const parent = get;
      get = (e, env) => {
        const v = parent(e, env) as Record<string, unknown> | null | undefined;
        return v == null ? null : v[seg];
      };
      spec = next;
      name = seg;
    }
    return { spec, name, get };
  };

  const checkLiteral = (r: Resolved, lit: LiteralNode, op: string) => {
    if (lit.t === 'null') return;
    const t = r.spec.type;
    const okay =
      t === 'string' || t === 'enum'
        ? lit.t === 'string'
        : t === 'boolean'
          ? lit.t === 'boolean'
          : t === 'datetime'
            ? lit.t === 'datetime'
            : t === 'guid'
              ? lit.t === 'guid'
              : t === 'int'
                ? lit.t === 'number'
                : false;
    if (!okay) {
      throw invalidFilter(
        `A binary operator with incompatible types was detected. Found operand types '${EDM[t]}' and ` +
          `'${EDM[lit.t] ?? lit.t}' for operator kind '${op}'.`,
      );
    }
  };

  const compare = (op: CompareOp, a: unknown, lit: LiteralNode, type: string): boolean => {
    if (lit.v === null) return op === 'eq' ? a == null : op === 'ne' ? a != null : false;
    if (a == null) return op === 'ne';
    let x: string | number | boolean;
    let y: string | number | boolean;
    if (type === 'datetime') {
      x = Date.parse(String(a));
      y = Date.parse(String(lit.v));
    } else if (typeof a === 'string') {
      x = a.toLowerCase();
      y = String(lit.v).toLowerCase();
    } else {
      x = a as number | boolean;
      y = lit.v;
    }
    switch (op) {
      case 'eq':
        return x === y;
      case 'ne':
        return x !== y;
      case 'gt':
        return x > y;
      case 'ge':
        return x >= y;
      case 'lt':
        return x < y;
      case 'le':
        return x <= y;
    }
  };

  const asLiteral = (n: FilterNode): LiteralNode => {
    if (n.k !== 'lit') throw invalidFilter('The right operand must be a literal value.');
    return n;
  };
  const asPath = (n: FilterNode): string[] => {
    if (n.k !== 'path') throw invalidFilter('The left operand must be a property.');
    return n.segs;
  };

  const build = (n: FilterNode, scope: Scope): Pred => {
    switch (n.k) {
      case 'and': {
        const l = build(n.l, scope);
        const r = build(n.r, scope);
        return (e, env) => l(e, env) && r(e, env);
      }
      case 'or': {
        const l = build(n.l, scope);
        const r = build(n.r, scope);
        return (e, env) => l(e, env) || r(e, env);
      }
      case 'not': {
        requireAdvanced(
          `Operator 'not' is not supported because the required parameters might be missing. ${ADVANCED_HINT}`,
        );
        const inner = build(n.e, scope);
        return (e, env) => !inner(e, env);
      }
      case 'cmp': {
        const r = resolve(asPath(n.l), scope);
        const lit = asLiteral(n.r);
        if (lit.t === 'null' && schema.directory && (n.op === 'eq' || n.op === 'ne')) {
          // Graph: `eq null` / `ne null` only where the property documents it, and only as an advanced query
          // (`ne null` without it: "Filter operator 'NotEqualsMatch' is not supported.", docs issue #22101).
          allow(r, 'eqnull');
          requireAdvanced(
            n.op === 'ne'
              ? "Filter operator 'NotEqualsMatch' is not supported."
              : `Unsupported or invalid query filter clause specified for property '${r.name}' of resource ` +
                  `'${schema.resourceName}'.`,
          );
        } else allow(r, n.op);
        checkLiteral(r, lit, OP_KIND[n.op]);
        if (n.op === 'ne') requireAdvanced("Filter operator 'NotEqualsMatch' is not supported.");
        const type = r.spec.type;
        return (e, env) => compare(n.op, r.get(e, env), lit, type);
      }
      case 'in': {
        const r = resolve(asPath(n.l), scope);
        allow(r, 'in');
        for (const lit of n.list) checkLiteral(r, lit, 'Equal');
        const type = r.spec.type;
        return (e, env) => {
          const v = r.get(e, env);
          return n.list.some((lit) => compare('eq', v, lit, type));
        };
      }
      case 'call': {
        if (n.name !== 'startswith' && n.name !== 'endswith' && n.name !== 'contains') {
          throw invalidFilter(
            `An unknown function with name '${n.name}' was found. This may also be a function import or a key ` +
              `lookup on a navigation property, which is not allowed.`,
          );
        }
        if (n.args.length !== 2)
          throw invalidFilter(
            `No function signature for the function with name '${n.name}' matches the specified arguments.`,
          );
        const r = resolve(asPath(n.args[0]), scope);
        const lit = asLiteral(n.args[1]);
        if (n.name === 'contains') throw unsupported(r.name);
        allow(r, n.name);
        checkLiteral(r, lit, n.name);
        if (n.name === 'endswith') {
          requireAdvanced(
            `Operator 'endsWith' is not supported because the required parameters might be missing. ${ADVANCED_HINT}`,
          );
        }
        const needle = String(lit.v ?? '').toLowerCase();
        const ends = n.name === 'endswith';
        return (e, env) => {
          const v = r.get(e, env);
          if (typeof v !== 'string') return false;
          const s = v.toLowerCase();
          return ends ? s.endsWith(needle) : s.startsWith(needle);
        };
      }
      case 'lambda': {
        const r = resolve(n.path, scope);
        if (r.spec.type !== 'strings' && r.spec.type !== 'complexes')
          throw invalidFilter(`The '${n.op}' operator can only be applied to a collection.`);
        allow(r, 'any');
        const element: PropertySpec =
          r.spec.type === 'strings'
            ? { type: 'string', filter: r.spec.itemFilter ?? [] }
            : { type: 'complex', props: r.spec.props };
        const variable = n.variable;
        const body = n.body && variable ? build(n.body, { variable, element }) : null;
        const all = n.op === 'all';
        return (e, env) => {
          const items = r.get(e, env);
          if (!Array.isArray(items)) return false;
          if (!body || !variable) return all || items.length > 0;
          const inner = new Map(env);
          const test = (item: unknown) => {
            inner.set(variable, item);
            return body(e, inner);
          };
          return all ? items.every(test) : items.some(test);
        };
      }
      case 'path': {
        const r = resolve(n.segs, scope);
        if (r.spec.type !== 'boolean')
          throw invalidFilter('The $filter expression must evaluate to a single boolean value.');
        allow(r, 'eq');
        return (e, env) => r.get(e, env) === true;
      }
      case 'lit':
        throw invalidFilter('The $filter expression must evaluate to a single boolean value.');
    }
  };

  const pred = build(node, { variable: null, element: null });
  const env: Env = new Map();
  return { predicate: (entity) => pred(entity, env), usesAdvanced };
}

/** `prop eq 'v'` / `prop in (…)` reachable through top-level `and`s: lets a collection answer from an index. */
export function indexableEquality(
  node: FilterNode,
  props: ReadonlySet<string>,
): { prop: string; values: string[] } | null {
  if (node.k === 'and') return indexableEquality(node.l, props) ?? indexableEquality(node.r, props);
  if (
    node.k === 'cmp' &&
    node.op === 'eq' &&
    node.l.k === 'path' &&
    node.l.segs.length === 1 &&
    props.has(node.l.segs[0]) &&
    node.r.k === 'lit' &&
    typeof node.r.v === 'string'
  )
    return { prop: node.l.segs[0], values: [node.r.v] };
  if (
    node.k === 'in' &&
    node.l.k === 'path' &&
    node.l.segs.length === 1 &&
    props.has(node.l.segs[0]) &&
    node.list.every((l) => typeof l.v === 'string')
  )
    return { prop: node.l.segs[0], values: node.list.map((l) => String(l.v)) };
  return null;
}
