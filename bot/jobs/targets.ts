import { resolveGroup } from '../commands/groups/_groups.js';
import { NotFoundError, UsageError } from '../errors.js';
import type { GraphApi } from '../graph/client.js';
import { isGuid, userPath, withQuery } from '../graph/odata.js';
import { needsAdvancedQuery, safeUserFilter } from './filter.js';
import type { TargetDefinition } from './model.js';
import type { NewItem } from './repository.js';

/** Users per page asked of Graph (its maximum for users and members). */
const PAGE_SIZE = 999;
/** `--users` is typed: a few hundred at most (larger sets are a group or a filter). */
export const MAX_LISTED_USERS = 500;
const USER_FIELDS = ['id', 'userPrincipalName'];

interface Page {
  value?: Array<{ '@odata.type'?: string; id: string; userPrincipalName?: string }>;
  '@odata.nextLink'?: string;
}

export interface Resolution {
  /** Human description of what was resolved (the group's name, …). */
  label?: string;
  /** Listed users Graph does not know (only for `--users`). */
  notFound: string[];
}

/**
 * Streams the users of a target into `sink`, a page at a time, asking Graph only for id and UPN. `graph()` gives
 * a fresh client per page, so a long resolution is not cut short by one command's Graph time budget.
 */
export async function resolveTargets(
  graph: () => GraphApi,
  target: TargetDefinition,
  sink: (page: NewItem[]) => Promise<void>,
): Promise<Resolution> {
  switch (target.kind) {
    case 'group': {
      const group = await resolveGroup(graph(), target.group, ['id', 'displayName']);
      // transitiveMembers holds groups and devices too: only users are kept.
      await pages(
        graph,
        withQuery(`/groups/${group.id}/transitiveMembers`, { $select: USER_FIELDS, $top: PAGE_SIZE }),
        {},
        sink,
        true,
      );
      return { label: `${group.displayName ?? group.id} (${group.id})`, notFound: [] };
    }
    case 'filter': {
      const filter = safeUserFilter(target.filter);
      const advanced = needsAdvancedQuery(filter);
      const path = withQuery('/users', {
        $filter: filter,
        $select: USER_FIELDS,
        $top: PAGE_SIZE,
        ...(advanced ? { $count: 'true' } : {}),
      });
      await pages(graph, path, advanced ? { ConsistencyLevel: 'eventual' } : {}, sink, false);
      return { notFound: [] };
    }
    case 'users':
      return listedUsers(graph, target.users, sink);
    case 'job':
      throw new UsageError('A job target is built from a finished job (bulk undo), not resolved.');
  }
}

async function pages(
  graph: () => GraphApi,
  first: string,
  headers: Record<string, string>,
  sink: (page: NewItem[]) => Promise<void>,
  usersOnly: boolean,
): Promise<void> {
  for (let path: string | undefined = first; path;) {
    const client = graph();
    const page: Page = (await client.get<Page>(path, headers)).body;
    const users = (page.value ?? []).filter((u) => !usersOnly || u['@odata.type'] === '#microsoft.graph.user');
    if (users.length) await sink(users.map((u) => ({ userId: u.id, upn: u.userPrincipalName ?? u.id })));
    path = page['@odata.nextLink'] ? client.relativeLink(page['@odata.nextLink']) : undefined;
  }
}

/** UPNs or object ids, 20 per $batch; duplicates once; unknown ones reported, not guessed. */
async function listedUsers(
  graph: () => GraphApi,
  typed: string[],
  sink: (page: NewItem[]) => Promise<void>,
): Promise<Resolution> {
  const unique = [...new Set(typed.map((u) => u.trim().toLowerCase()).filter(Boolean))];
  if (unique.length === 0) throw new UsageError('--users needs at least one UPN or object id.');
  if (unique.length > MAX_LISTED_USERS)
    throw new UsageError(`--users takes at most ${MAX_LISTED_USERS} users; use --group or --filter for more.`);
  const invalid = unique.filter((u) => !isGuid(u) && !/^[^@\s]+@[^@\s]+$/.test(u));
  if (invalid.length)
    throw new UsageError(`Not a UPN or object id: ${invalid.slice(0, 5).join(', ')}. Nothing was done.`);
  const notFound: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < unique.length; i += 20) {
    const slice = unique.slice(i, i + 20);
    const results = await graph().batch(
      slice.map((u, n) => ({
        id: String(n),
        method: 'GET' as const,
        url: withQuery(userPath(u), { $select: USER_FIELDS }),
      })),
    );
    const found: NewItem[] = [];
    slice.forEach((typedUser, n) => {
      const result = results.get(String(n));
      const body = result?.body as { id?: string; userPrincipalName?: string } | undefined;
      if (result && result.status < 300 && body?.id) {
        if (!seen.has(body.id)) found.push({ userId: body.id, upn: body.userPrincipalName ?? body.id });
        seen.add(body.id);
      } else if (result?.status === 404) notFound.push(typedUser);
      else throw new NotFoundError(`Could not read ${typedUser} (${result?.status ?? 'no answer'}); nothing was done.`);
    });
    if (found.length) await sink(found);
  }
  return { notFound };
}
