import type { GraphApi } from '../../graph/client.js';
import { isGuid, odataLiteral, userPath, withQuery } from '../../graph/odata.js';
import { MAX_CANDIDATES, pickExactOrPrefix, runLookups, type Lookup } from './batch-lookup.js';
import { stepBody } from './batch-steps.js';

/** The user properties most cards show; commands add what else they need to `$select`. */
export const USER_SUMMARY_FIELDS = ['id', 'displayName', 'userPrincipalName', 'accountEnabled', 'userType'];

export interface GraphUser {
  id: string;
  displayName?: string;
  userPrincipalName?: string;
  accountEnabled?: boolean;
  userType?: string;
  [property: string]: unknown;
}

/**
 * Finds one user from what an admin typed: an object id or a UPN is one direct read (with `$select`, so the
 * command usually needs no second trip); anything else is a display name, looked up with `startswith` and
 * resolved only when exactly one user fits (an exact name wins among prefixes). Several → a choice card.
 */
export async function resolveUser(
  graph: GraphApi,
  typed: string,
  select: string[] = USER_SUMMARY_FIELDS,
): Promise<GraphUser> {
  const [user] = await runLookups<[GraphUser]>(graph, userLookup(typed, select));
  return user;
}

/**
 * `resolveUser` as a batch lookup, to travel in one `$batch` with other lookups (see `runLookups`). `prefix`
 * keeps step ids unique within the batch.
 */
export function userLookup(typed: string, select: string[] = USER_SUMMARY_FIELDS, prefix = 'user'): Lookup<GraphUser> {
  const fields = [...new Set([...USER_SUMMARY_FIELDS, ...select])];
  const id = prefix;
  if (isGuid(typed) || typed.includes('@')) {
    return {
      steps: [{ id, method: 'GET', url: withQuery(userPath(typed), { $select: fields }) }],
      pick: (results) => stepBody<GraphUser>(results, id),
    };
  }
  return {
    steps: [
      {
        id,
        method: 'GET',
        url: withQuery('/users', {
          $filter: `startswith(displayName,${odataLiteral(typed)})`,
          $top: MAX_CANDIDATES + 1,
          $select: fields,
        }),
      },
    ],
    pick: (results) => {
      const matches = stepBody<{ value: GraphUser[] }>(results, id).value ?? [];
      const exact = matches.filter((u) => u.displayName?.toLowerCase() === typed.toLowerCase());
      return pickExactOrPrefix(typed, exact, matches, {
        noun: 'user',
        hint: 'Try their UPN (name@domain).',
        label: (u) => `${u.displayName ?? u.userPrincipalName} (${u.userPrincipalName})`,
        value: (u) => u.userPrincipalName ?? u.id,
      });
    },
  };
}
