import type { GraphApi } from '../../graph/client.js';
import { isGuid, userPath, withQuery } from '../../graph/odata.js';
import { stepBody } from '../_lib/batch-steps.js';
import { resolveUser, type GraphUser } from '../_lib/users.js';
import { groupFromLookup, groupLookupSteps, type GraphGroup } from './_groups.js';

const USER_FIELDS = ['id', 'displayName', 'userPrincipalName'];

/**
 * The group and the user of a membership change, found in one round trip: the user's read rides in the group
 * lookup's `$batch` when typed as a UPN or id; a display name (which may need a choice card) is resolved alongside.
 */
export async function resolveMembership(graph: GraphApi, groupTyped: string, userTyped: string): Promise<{ group: GraphGroup; user: GraphUser }> {
  const steps = groupLookupSteps(groupTyped, ['id', 'displayName', 'mail', 'groupTypes', 'securityEnabled', 'mailEnabled']);
  if (isGuid(userTyped) || userTyped.includes('@')) {
    const results = await graph.batch([...steps, { id: 'user', method: 'GET', url: withQuery(userPath(userTyped), { $select: USER_FIELDS }) }]);
    return { group: groupFromLookup(results, groupTyped), user: stepBody<GraphUser>(results, 'user') };
  }
  const [results, user] = await Promise.all([graph.batch(steps), resolveUser(graph, userTyped, USER_FIELDS)]);
  return { group: groupFromLookup(results, groupTyped), user };
}

export function userText(user: GraphUser): string {
  return `${user.displayName ?? user.userPrincipalName} (${user.userPrincipalName ?? user.id})`;
}
