import { AmbiguousTargetError, NotFoundError } from '../../errors.js';
import type { GraphApi } from '../../graph/client.js';
import { isGuid, odataLiteral, userPath, withQuery } from '../../graph/odata.js';

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

/** How many same-named users a choice card offers; more means the admin should type a UPN. */
const MAX_CANDIDATES = 5;

/**
 * Finds one user from what an admin typed: an object id or a UPN is one direct read (with `$select`, so the
 * command usually needs no second trip); anything else is a display name, looked up with `startswith` and
 * resolved only when exactly one user fits (an exact name wins among prefixes). Several → a choice card.
 */
export async function resolveUser(graph: GraphApi, typed: string, select: string[] = USER_SUMMARY_FIELDS): Promise<GraphUser> {
  const fields = [...new Set([...USER_SUMMARY_FIELDS, ...select])];
  if (isGuid(typed) || typed.includes('@')) {
    return (await graph.get<GraphUser>(withQuery(userPath(typed), { $select: fields }))).body;
  }
  const response = await graph.get<{ value: GraphUser[] }>(
    withQuery('/users', { $filter: `startswith(displayName,${odataLiteral(typed)})`, $top: MAX_CANDIDATES + 1, $select: fields }),
  );
  const matches = response.body.value;
  const exact = matches.filter((u) => u.displayName?.toLowerCase() === typed.toLowerCase());
  if (exact.length === 1) return exact[0];
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) throw new NotFoundError(`No user's name starts with "${typed}". Try their UPN (name@domain).`);
  throw new AmbiguousTargetError(
    typed,
    (exact.length > 1 ? exact : matches).slice(0, MAX_CANDIDATES).map((u) => ({
      label: `${u.displayName ?? u.userPrincipalName} (${u.userPrincipalName})`,
      value: u.userPrincipalName ?? u.id,
    })),
  );
}
