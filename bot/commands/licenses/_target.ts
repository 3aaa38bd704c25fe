import type { GraphApi } from '../../graph/client.js';
import { directUserPath } from '../_lib/user-target.js';
import { resolveUser, type GraphUser } from '../_lib/users.js';

/**
 * The user a licence command acts on. A UPN or object id is addressed directly, with no lookup (Graph answers 404
 * on the first request if it does not exist); a display name is resolved first, and is ambiguous → choice card.
 */
export async function licenseTarget(graph: GraphApi, typed: string): Promise<{ path: string; label: string }> {
  const direct = directUserPath(typed);
  if (direct) return { path: direct, label: typed };
  const user = await resolveUser(graph, typed);
  return { path: `/users/${user.id}`, label: userText(user) };
}

/** What `assignLicense` answers: the user (its default properties). */
export interface AssignedUser {
  id: string;
  displayName?: string;
  userPrincipalName?: string;
}

export function userText(user: Pick<GraphUser, 'id' | 'displayName' | 'userPrincipalName'>): string {
  return user.displayName && user.userPrincipalName
    ? `${user.displayName} (${user.userPrincipalName})`
    : String(user.userPrincipalName ?? user.id);
}
