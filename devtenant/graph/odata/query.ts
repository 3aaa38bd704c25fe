// Parsing and validating OData system query options ($select, $top, $orderby, $count, $search, $expand, $skiptoken).
import { GraphError, badRequest, unsupportedQuery } from '../errors.js';
import type { RouteContext } from '../route.js';
import { declaredProperties, isSelectable, type EntitySchema } from './schema.js';

const KNOWN = new Set([
  '$select',
  '$filter',
  '$top',
  '$skip',
  '$skiptoken',
  '$orderby',
  '$count',
  '$search',
  '$expand',
  '$format',
  '$deltatoken',
]);

/** Rejects unknown or repeated `$` options, as Graph's OData layer does. */
export function checkQueryOptions(query: URLSearchParams): void {
  const seen = new Set<string>();
  for (const key of query.keys()) {
    const k = key.toLowerCase();
    if (!k.startsWith('$')) continue;
    if (!KNOWN.has(k)) throw new GraphError(400, 'BadRequest', `The query parameter '${key}' is not supported.`);
    if (seen.has(k))
      throw new GraphError(
        400,
        'BadRequest',
        `Query option '${key}' was specified more than once, but it must be specified at most once.`,
      );
    seen.add(k);
  }
}

/** Case-insensitive lookup of a `$` option. */
export function option(query: URLSearchParams, name: string): string | null {
  for (const [k, v] of query) if (k.toLowerCase() === name) return v;
  return null;
}

export function isEventual(ctx: RouteContext): boolean {
  return (ctx.headers.consistencylevel ?? '').toLowerCase() === 'eventual';
}

export function parseCount(query: URLSearchParams): boolean {
  const raw = option(query, '$count');
  if (raw === null) return false;
  if (raw.toLowerCase() === 'true') return true;
  if (raw.toLowerCase() === 'false') return false;
  throw new GraphError(
    400,
    'BadRequest',
    `Invalid value '${raw}' for $count query option found. Valid values are 'true' and 'false'.`,
  );
}

export function parseTop(query: URLSearchParams, min: number, max: number): number | null {
  const raw = option(query, '$top');
  if (raw === null) return null;
  if (!/^\d+$/.test(raw)) {
    throw new GraphError(
      400,
      'BadRequest',
      `Invalid value '${raw}' for $top query option found. The $top query option requires a non-negative integer ` +
        `value.`,
    );
  }
  const n = Number(raw);
  if (n < min || n > max)
    throw badRequest(`Invalid page size specified: '${raw}'. Must be between ${min} and ${max} inclusive.`);
  return n;
}

/** $select → property list (validated against the schema), or null for the default set. */
export function parseSelect(raw: string | null, schema: EntitySchema<unknown>): string[] | null {
  if (raw === null) return null;
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) return null;
  if (names.includes('*'))
    return [...new Set([...Object.keys(schema.properties), ...declaredProperties(schema).unset.keys()])];
  for (const n of names) {
    if (!isSelectable(schema, n))
      throw badRequest(`Could not find a property named '${n}' on type '${schema.typeName}'.`);
  }
  return [...new Set(names)];
}

export interface ExpandItem {
  name: string;
  select: string[] | null;
}
/** `$expand=a,b($select=x,y)` → items, each navigation property checked against the schema. */
export function parseExpand(raw: string | null, schema: EntitySchema<unknown>): ExpandItem[] {
  if (raw === null || raw.trim() === '') return [];
  const items: ExpandItem[] = [];
  let depth = 0;
  let start = 0;
  const parts: string[] = [];
  for (let i = 0; i <= raw.length; i++) {
    const c = raw[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if ((c === ',' && depth === 0) || i === raw.length) {
      parts.push(raw.slice(start, i).trim());
      start = i + 1;
    }
  }
  for (const part of parts) {
    const m = /^([\w.]+)(?:\((.*)\))?$/.exec(part);
    if (!m) throw new GraphError(400, 'BadRequest', `Invalid $expand clause '${part}'.`);
    const name = m[1];
    if (!schema.navigation || !(name in schema.navigation)) {
      throw badRequest(`Could not find a property named '${name}' on type '${schema.typeName}'.`);
    }
    let select: string[] | null = null;
    if (m[2]) {
      const sel = /^\$select=([\w,\s]+)$/i.exec(m[2].trim());
      if (!sel) throw new GraphError(400, 'BadRequest', `Only $select is supported inside $expand('${name}').`);
      select = sel[1]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    }
    items.push({ name, select });
  }
  return items;
}

export interface OrderBy {
  prop: string;
  desc: boolean;
}
export function parseOrderBy(raw: string | null, schema: EntitySchema<unknown>): OrderBy[] {
  if (raw === null || raw.trim() === '') return [];
  return raw.split(',').map((part) => {
    const [prop, dir, extra] = part.trim().split(/\s+/);
    if (extra !== undefined || (dir !== undefined && !/^(asc|desc)$/i.test(dir))) {
      throw new GraphError(400, 'BadRequest', `Syntax error at position ${part.length} in '${raw}'.`);
    }
    const spec = schema.properties[prop];
    if (!spec && !isSelectable(schema, prop))
      throw badRequest(`Could not find a property named '${prop}' on type '${schema.typeName}'.`);
    if (!spec?.orderby) throw unsupportedQuery(`Unsupported sort property '${prop}' for '${schema.resourceName}'.`);
    return { prop, desc: /^desc$/i.test(dir ?? '') };
  });
}

export interface SearchTerm {
  prop: string;
  value: string;
}
export interface SearchExpr {
  any: SearchTerm[][];
} // OR of AND-groups

/** `$search="displayName:ali" OR "mail:ali"` (each clause double-quoted) → OR of AND groups. */
export function parseSearch(raw: string, schema: EntitySchema<unknown>): SearchExpr {
  const groups: SearchTerm[][] = [[]];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|(AND|OR)\b)\s*/giy;
  let pos = 0;
  let expectTerm = true;
  while (pos < raw.length) {
    re.lastIndex = pos;
    const m = re.exec(raw);
    if (!m)
      throw badRequest(
        `Syntax error: character '${raw[pos]}' is not valid at position ${pos} in '${raw}'.`,
        'BadRequest',
      );
    pos = re.lastIndex;
    if (m[1] !== undefined) {
      const [prop, ...rest] = m[1].split(':');
      const term = rest.length ? { prop, value: rest.join(':') } : { prop: 'displayName', value: prop };
      if (!schema.searchable?.includes(term.prop)) {
        throw unsupportedQuery(
          `Unsupported or invalid query filter clause specified for property '${term.prop}' of resource ` +
            `'${schema.resourceName}'.`,
        );
      }
      groups[groups.length - 1].push(term);
      expectTerm = false;
    } else {
      if (expectTerm) throw badRequest(`Syntax error at position ${pos} in '${raw}'.`, 'BadRequest');
      if (m[2].toUpperCase() === 'OR') groups.push([]);
      expectTerm = true;
    }
  }
  if (expectTerm)
    throw badRequest(
      `Syntax error: the $search value must be one or more double-quoted clauses, e.g. "displayName:ali".`,
      'BadRequest',
    );
  return { any: groups };
}

/** Graph's search is tokenised prefix matching: "ali" finds "Alice Anders" and "alice@contoso…". */
export function searchMatches(expr: SearchExpr, value: (prop: string) => unknown): boolean {
  return expr.any.some((group) =>
    group.every((t) => {
      const v = value(t.prop);
      return typeof v === 'string' && tokenPrefixMatch(v.toLowerCase(), t.value.toLowerCase());
    }),
  );
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
const SEPARATOR = /[^\p{L}\p{N}]/u;

/**
 * Graph's tokenized $search: the value starts with the needle, or one of its words (split at every character that is
 * not a letter or digit) does. Found by scanning for the needle at word starts instead of splitting the value: this
 * runs for every user of a 50,000-user tenant per search, and the split allocated an array per user.
 */
function tokenPrefixMatch(haystack: string, needle: string): boolean {
  if (haystack.startsWith(needle)) return true;
  // A word never contains a separator, so a needle with one can only match at the very start.
  if (needle === '' || SEPARATOR.test(needle)) return false;
  for (let at = haystack.indexOf(needle, 1); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    if (!WORD_CHAR.test(haystack[at - 1]!)) return true;
  }
  return false;
}
