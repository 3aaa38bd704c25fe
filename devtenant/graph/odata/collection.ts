// Builds Graph collection and entity responses: $filter/$search/$orderby/$count/$select/$expand, paging with an
// absolute @odata.nextLink carrying $skiptoken, @odata.context, and the advanced-query rules for directory objects.
import { GraphError, badRequest, unsupportedQuery } from '../errors.js';
import type { RouteContext, RouteResult } from '../route.js';
import { parseFilter, type FilterNode } from './filter-parser.js';
import { compileFilter, indexableEquality } from './filter-eval.js';
import { declaredProperties, propertyValue, type EntitySchema } from './schema.js';
import { prefixCandidates, searchCandidates } from './search-index.js';
import {
  isEventual,
  option,
  parseCount,
  parseExpand,
  parseOrderBy,
  parseSearch,
  parseSelect,
  parseTop,
  searchMatches,
  type ExpandItem,
  type OrderBy,
} from './query.js';

type QueryOption = 'filter' | 'select' | 'orderby' | 'search' | 'count' | 'expand' | 'top';

export interface CollectionOptions<T> {
  schema: EntitySchema<T>;
  /** The collection in Graph's default order; arrays page by position without copying. */
  items: readonly T[] | (() => Iterable<T>);
  /** After `$metadata#`, e.g. 'users' or "users('…')/licenseDetails". */
  contextPath: string;
  /** Page size rules; null = the collection does not page (e.g. directoryRoles members). */
  page?: { default: number; max: number; min?: number } | null;
  /** Query options the resource rejects (default: all allowed). */
  disallow?: readonly QueryOption[];
  /** Serve `prop eq 'v'` / `prop in (…)` from an index instead of a scan. */
  index?: { props: readonly string[]; lookup(prop: string, value: string): T | undefined };
  /** Iterate newest first (logs are stored oldest first). */
  reverse?: boolean;
  /** Items of `items` that are not part of the collection (e.g. soft-deleted users), skipped without copying. */
  where?: (item: T) => boolean;
}

const DEFAULT_PAGE = { default: 100, max: 999, min: 1 };
const collator = new Intl.Collator('en', { sensitivity: 'base' });
const encodeToken = (t: object) => Buffer.from(JSON.stringify(t)).toString('base64url');
function decodeToken(raw: string): { p?: number; o?: number } {
  try {
    const t = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { p?: unknown; o?: unknown };
    const okNum = (v: unknown) => v === undefined || (Number.isInteger(v) && (v as number) >= 0);
    if (typeof t === 'object' && t && okNum(t.p) && okNum(t.o)) return t as { p?: number; o?: number };
  } catch {
    /* fall through */
  }
  throw badRequest('Invalid $skiptoken value.');
}

export function contextUrl(ctx: RouteContext, path: string, select: string[] | null, entity = false): string {
  return `${ctx.serviceRoot}/$metadata#${path}${select ? `(${select.join(',')})` : ''}${entity ? '/$entity' : ''}`;
}

function wantsNoMetadata(ctx: RouteContext): boolean {
  return /odata\.metadata=none/i.test(ctx.headers.accept ?? '');
}

/** One entity as JSON with $select / $expand applied. */
export function project<T>(
  ctx: RouteContext,
  schema: EntitySchema<T>,
  entity: T,
  select: string[] | null,
  expand: ExpandItem[] = [],
): Record<string, unknown> {
  const json = schema.toJson(entity, ctx);
  const chosen = new Set(
    select ?? schema.defaultSelect ?? Object.keys(schema.properties).filter((k) => !schema.selectOnly?.includes(k)),
  );
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json)) if (k.startsWith('@odata.') || chosen.has(k)) out[k] = v;
  // Declared properties without a value here are sent as Graph sends unset ones: null, or [] for collections.
  const { unset } = declaredProperties(schema as EntitySchema<unknown>);
  for (const k of chosen) {
    if (k in out) continue;
    const empty = unset.get(k);
    if (empty !== undefined) out[k] = empty === null ? null : [];
  }
  for (const item of expand) out[item.name] = schema.navigation![item.name](entity, { ctx, select: item.select });
  return out;
}

/** GET of a single entity: `{ @odata.context: …/$entity, …properties }`. */
export function entityResponse<T>(
  ctx: RouteContext,
  schema: EntitySchema<T>,
  entity: T,
  contextPath: string,
): RouteResult {
  const select = parseSelect(option(ctx.query, '$select'), schema as EntitySchema<unknown>);
  const expand = parseExpand(option(ctx.query, '$expand'), schema as EntitySchema<unknown>);
  const body = project(ctx, schema, entity, select, expand);
  if (wantsNoMetadata(ctx)) return { status: 200, body };
  return { status: 200, body: { '@odata.context': contextUrl(ctx, contextPath, select, true), ...body } };
}

function* iterate<T>(
  items: readonly T[] | (() => Iterable<T>),
  reverse: boolean,
  start: number,
): Iterable<[number, T]> {
  if (typeof items === 'function') {
    let i = 0;
    for (const item of items()) {
      if (i >= start) yield [i, item];
      i++;
    }
    return;
  }
  const arr = items as readonly T[];
  for (let i = start; i < arr.length; i++) yield [i, arr[reverse ? arr.length - 1 - i : i]];
}

/** A `startswith(prop,'…')` every match must satisfy (the filter itself or a term of its top-level `and`). */
function pinnedPrefix(node: FilterNode): { prop: string; value: string } | null {
  if (node.k === 'and') return pinnedPrefix(node.l) ?? pinnedPrefix(node.r);
  if (node.k !== 'call' || node.name !== 'startswith' || node.args.length !== 2) return null;
  const [path, lit] = node.args;
  if (path?.k !== 'path' || path.segs.length !== 1 || lit?.k !== 'lit' || typeof lit.v !== 'string') return null;
  return { prop: path.segs[0]!, value: lit.v };
}

export function listCollection<T>(ctx: RouteContext, opts: CollectionOptions<T>): RouteResult {
  const schema = opts.schema as EntitySchema<unknown>;
  const q = ctx.query;
  const disallowed = new Set(opts.disallow ?? []);
  for (const name of disallowed) {
    if (option(q, `$${name}`) !== null)
      throw new GraphError(400, 'BadRequest', `The query parameter '$${name}' is not supported.`);
  }
  if (option(q, '$skip') !== null) throw badRequest("'$skip' is not supported by the service.");
  const eventual = isEventual(ctx);
  const count = parseCount(q);
  const advanced = eventual && count;
  if (ctx.countSegment && schema.directory && !eventual) throw badRequest('$count is not currently supported.');

  const searchRaw = option(q, '$search');
  let search = null;
  if (searchRaw !== null) {
    if (schema.directory && !eventual) {
      throw unsupportedQuery(
        'Request with $search query parameter only works through MSGraph with a special request header: ' +
          "'ConsistencyLevel: eventual'",
      );
    }
    search = parseSearch(searchRaw, schema);
  }
  const filterRaw = option(q, '$filter');
  const filterTree = filterRaw !== null && filterRaw.trim() !== '' ? parseFilter(filterRaw) : null;
  const filter = filterTree ? compileFilter(filterTree, schema, { advanced }) : null;
  const orderBy: OrderBy[] = parseOrderBy(option(q, '$orderby'), schema);
  if (orderBy.length && schema.directory && (filter || search) && !advanced)
    throw unsupportedQuery('Sorting not supported for current query.');
  const page = opts.page === undefined ? DEFAULT_PAGE : opts.page;
  const top = page ? parseTop(q, page.min ?? 1, page.max) : null;
  const pageSize = page ? (top ?? page.default) : Number.POSITIVE_INFINITY;
  const select = parseSelect(option(q, '$select'), schema);
  const expand = parseExpand(option(q, '$expand'), schema);
  const tokenRaw = option(q, '$skiptoken');
  const token = tokenRaw !== null ? decodeToken(tokenRaw) : null;

  const where = opts.where as ((item: unknown) => boolean) | undefined;
  const matches = (item: unknown) =>
    (!where || where(item)) &&
    (!filter || filter.predicate(item)) &&
    (!search || searchMatches(search, (prop) => propertyValue(schema, item, prop)));

  // Candidates from an index when the filter pins an indexed property.
  let source: readonly T[] | (() => Iterable<T>) = opts.items;
  let reverse = opts.reverse ?? false;
  const eq = filterTree && opts.index ? indexableEquality(filterTree, new Set(opts.index.props)) : null;
  if (eq && opts.index) {
    const found: T[] = [];
    for (const v of eq.values) {
      const hit = opts.index.lookup(eq.prop, v);
      if (hit && !found.includes(hit)) found.push(hit);
    }
    source = found;
    reverse = false;
  } else if ((search || filterTree) && Array.isArray(source) && !reverse) {
    // Large collections: only the items with a word (or value) starting with a search term or a `startswith` prefix
    // of the filter; each is still checked by `matches`, so this never adds a result.
    const readerFor = (prop: string) => {
      const get = schema.properties[prop]?.get as ((e: unknown) => unknown) | undefined;
      return get ?? ((item: T) => (item as Record<string, unknown>)[prop]);
    };
    // A plain page of a startswith filter stops after a page of matches: the index only pays when every item
    // is visited.
    const fullPass = count || ctx.countSegment || orderBy.length > 0;
    const prefix = filterTree && fullPass ? pinnedPrefix(filterTree) : null;
    const narrowed = search
      ? searchCandidates(source as readonly T[], search, readerFor)
      : prefix
        ? prefixCandidates(source as readonly T[], prefix.prop, prefix.value, readerFor)
        : undefined;
    if (narrowed) source = narrowed;
  }

  let value: T[] = [];
  let next: object | null = null;
  let total: number | null = null;
  if (orderBy.length) {
    const all: T[] = [];
    for (const [, item] of iterate(source, reverse, 0)) if (matches(item)) all.push(item);
    all.sort((a, b) => {
      for (const o of orderBy) {
        const x = propertyValue(schema, a, o.prop);
        const y = propertyValue(schema, b, o.prop);
        const c = x == null ? (y == null ? 0 : -1) : y == null ? 1 : collator.compare(String(x), String(y));
        if (c !== 0) return o.desc ? -c : c;
      }
      return 0;
    });
    const offset = token?.o ?? 0;
    value = all.slice(offset, offset + pageSize);
    if (offset + pageSize < all.length) next = { o: offset + pageSize };
    total = all.length;
  } else {
    let last = -1;
    let sourceLeft = false;
    for (const [i, item] of iterate(source, reverse, token?.p ?? 0)) {
      if (value.length >= pageSize) {
        sourceLeft = true;
        break;
      }
      if (matches(item)) value.push(item);
      last = i;
    }
    // Like Graph, a nextLink only promises more *source*: the next page may hold 0 items.
    if (sourceLeft) next = { p: last + 1 };
  }

  const body: Record<string, unknown> = {};
  const countAllowed = !disallowed.has('count') && (eventual || !schema.directory);
  if ((count || ctx.countSegment) && countAllowed && !token) {
    if (total === null) {
      total = 0;
      for (const [, item] of iterate(source, reverse, 0)) if (matches(item)) total++;
    }
  }
  if (ctx.countSegment) return { status: 200, body: String(total ?? 0), headers: { 'Content-Type': 'text/plain' } };
  if (!wantsNoMetadata(ctx)) body['@odata.context'] = contextUrl(ctx, opts.contextPath, select);
  if (count && countAllowed && !token) body['@odata.count'] = total;
  if (next) {
    // Keep every other query option exactly as sent (Graph's nextLink is absolute and carries them).
    const kept = ctx.requestUrl.search
      .replace(/^\?/, '')
      .split('&')
      .filter((p) => p && !/^(\$|%24)skiptoken=/i.test(p));
    kept.push(`$skiptoken=${encodeToken(next)}`);
    body['@odata.nextLink'] = `${ctx.requestUrl.origin}${ctx.requestUrl.pathname}?${kept.join('&')}`;
  }
  body.value = value.map((item) => project(ctx, opts.schema, item, select, expand));
  return { status: 200, body };
}
