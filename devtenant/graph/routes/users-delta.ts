// GET /users/delta (learn.microsoft.com/graph/api/user-delta): the first round pages through every user
// (@odata.nextLink with $skiptoken) and ends with an @odata.deltaLink ($deltatoken); following that link later
// returns only the users created, changed or deleted since (deleted ones as `{ id, @removed: { reason: 'changed' } }`,
// the soft delete Graph reports), again ending with a fresh deltaLink. $select is remembered by the tokens.
import { registerRoutes } from './registry.js';
import { ok, type RouteContext } from '../route.js';
import { contextUrl, project } from '../odata/collection.js';
import { userSchema } from '../model/user.js';
import { option, parseSelect } from '../odata/query.js';
import { GraphError } from '../errors.js';
import type { SeedUser } from '../../seed/index.js';

const PAGE = 200;
/** `Prefer: odata.maxpagesize=N`, which delta honours on Graph. */
const pageSize = (ctx: RouteContext) => {
  const m = /odata\.maxpagesize=(\d+)/i.exec(ctx.headers.prefer ?? '');
  return m ? Math.min(999, Math.max(1, Number(m[1]))) : PAGE;
};

/** What a token carries: the change number it was issued at, paging state and the $select of the round. */
interface DeltaState {
  /** Changes after this are reported by the next round. */
  s: number;
  /** Changes-only round: report changes after this (absent = the first, full round). */
  d?: number;
  /** Position of the next page. */
  p: number;
  sel?: string;
}

const encode = (state: DeltaState) => Buffer.from(JSON.stringify(state)).toString('base64url');
function decode(raw: string): DeltaState {
  try {
    const t = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as DeltaState;
    const int = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
    if (int(t.s) && int(t.p) && (t.d === undefined || int(t.d)) && (t.sel === undefined || typeof t.sel === 'string'))
      return t;
  } catch {
    /* fall through */
  }
  throw new GraphError(400, 'BadRequest', 'Badly formed token.');
}

function delta(ctx: RouteContext) {
  const skip = option(ctx.query, '$skiptoken');
  const deltaToken = option(ctx.query, '$deltatoken');
  let state: DeltaState;
  if (skip !== null) state = decode(skip);
  else if (deltaToken !== null) {
    // A deltaLink starts a changes-only round over what happened after it was issued.
    const t = decode(deltaToken);
    state = { s: ctx.tenant.userChangeSeq, d: t.s, p: 0, sel: t.sel };
  } else {
    state = { s: ctx.tenant.userChangeSeq, p: 0, sel: option(ctx.query, '$select') ?? undefined };
  }
  const selected = parseSelect(state.sel ?? null, userSchema as never);
  // Delta answers always carry the id, selected or not (user-delta examples).
  const select = selected ? [...new Set(['id', ...selected])] : null;
  const size = pageSize(ctx);
  const value: Record<string, unknown>[] = [];
  let more = false;
  if (state.d === undefined) {
    const users = ctx.tenant.users;
    let i = state.p;
    for (; i < users.length && value.length < size; i++) {
      const u = users[i]!;
      if (!ctx.tenant.deletedUsers.has(u.id)) value.push(project(ctx, userSchema, u, select));
    }
    more = i < users.length;
    state = { ...state, p: i };
  } else {
    const ids = ctx.tenant.usersChangedBetween(state.d, state.s);
    const page = ids.slice(state.p, state.p + size);
    for (const id of page) {
      const gone = ctx.tenant.deletedUsers.get(id);
      const user: SeedUser | undefined = gone ? undefined : ctx.tenant.userById(id);
      if (gone) value.push({ id, '@removed': { reason: 'changed' } });
      else if (user) value.push(project(ctx, userSchema, user, select));
    }
    more = state.p + size < ids.length;
    state = { ...state, p: state.p + size };
  }
  const base = `${ctx.serviceRoot}/users/delta`;
  const link = more
    ? { '@odata.nextLink': `${base}?$skiptoken=${encode(state)}` }
    : { '@odata.deltaLink': `${base}?$deltatoken=${encode({ s: state.s, p: 0, sel: state.sel })}` };
  return ok({ '@odata.context': contextUrl(ctx, 'users', selected), ...link, value });
}

registerRoutes([
  {
    method: 'GET',
    path: '/users/delta',
    permissions: { delegated: ['User.Read.All'], application: ['User.Read.All'] },
    handler: delta,
  },
]);
