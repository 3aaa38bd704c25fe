import type { GraphApi } from '../../graph/client.js';
import { runLookups } from '../_lib/batch-lookup.js';
import { userLookup, type GraphUser } from '../_lib/users.js';
import { groupLookup, type GraphGroup } from './_groups.js';

/**
 * The group and the user of a membership change, found in one `$batch` round trip whatever was typed (names,
 * UPN or ids); an ambiguous name of either gives a choice card before anything is written.
 */
export async function resolveMembership(
  graph: GraphApi,
  groupTyped: string,
  userTyped: string,
): Promise<{ group: GraphGroup; user: GraphUser }> {
  const [group, user] = await runLookups<[GraphGroup, GraphUser]>(
    graph,
    groupLookup(groupTyped, ['id', 'displayName', 'mail', 'groupTypes', 'securityEnabled', 'mailEnabled']),
    userLookup(userTyped, ['id', 'displayName', 'userPrincipalName']),
  );
  return { group, user };
}

export function userText(user: GraphUser): string {
  return `${user.displayName ?? user.userPrincipalName} (${user.userPrincipalName ?? user.id})`;
}
