import type { GraphApi } from '../../graph/client.js';
import { isGuid, userPath } from '../../graph/odata.js';
import { resolveUser } from '../_lib/users.js';

/**
 * The user a licence command acts on. A UPN or object id is addressed directly, with no lookup (Graph answers 404
 * on the write if it does not exist); a display name is resolved first, and is ambiguous → choice card.
 */
export async function licenseTarget(graph: GraphApi, typed: string): Promise<{ path: string; label: string }> {
  if (isGuid(typed) || typed.includes('@')) return { path: userPath(typed), label: typed };
  const user = await resolveUser(graph, typed);
  return { path: userPath(user.id), label: `${user.displayName ?? user.userPrincipalName} (${user.userPrincipalName})` };
}

/** What `assignLicense` answers: the user (its default properties). */
export interface AssignedUser {
  id: string;
  displayName?: string;
  userPrincipalName?: string;
}

export function userLabel(user: AssignedUser, fallback: string): string {
  return user.displayName && user.userPrincipalName ? `${user.displayName} (${user.userPrincipalName})` : fallback;
}
