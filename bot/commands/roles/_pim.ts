import { z } from 'zod';
import { odataLiteral, withQuery } from '../../graph/odata.js';
import { graphOf } from '../_lib/context.js';
import { resolveUser } from '../_lib/users.js';
import type { CommandContext } from '../types.js';

export const ELIGIBILITY_INSTANCES = '/roleManagement/directory/roleEligibilityScheduleInstances';
export const ASSIGNMENT_INSTANCES = '/roleManagement/directory/roleAssignmentScheduleInstances';
/** The role's name is all a PIM card needs from the definition. */
/** PIM records a justification with every activation and approval decision. */
export const pimReasonArg = z.string().trim().min(5, 'say why in a few words (PIM records it)').max(500);

export const EXPAND_ROLE_NAME = 'roleDefinition($select=id,displayName)';

export interface ScheduleInstance {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId?: string;
  startDateTime?: string | null;
  endDateTime?: string | null;
  assignmentType?: string | null;
  roleDefinition?: { id: string; displayName?: string } | null;
}

/** Whose PIM roles to list: the signed-in admin for `@me` (or nothing typed), else a user to resolve. */
export function isSelf(typed: string | undefined): boolean {
  const text = (typed ?? '').trim().toLowerCase();
  return text === '' || text === '@me' || text === 'me';
}

/**
 * The first-page path for a principal's schedule instances, and how to name them on the card. For the admin
 * themself `filterByCurrentUser(on='principal')` needs no directory-reader role and no lookup (one round trip);
 * another user is resolved first (UPN, id or name), then filtered by `principalId`.
 */
export async function instancesPathFor(
  ctx: CommandContext,
  collection: string,
  typed: string | undefined,
): Promise<{ path: string; who: string; self: boolean }> {
  if (isSelf(typed)) {
    return {
      path: withQuery(`${collection}/filterByCurrentUser(on='principal')`, { $expand: EXPAND_ROLE_NAME }),
      who: 'You',
      self: true,
    };
  }
  const user = await resolveUser(graphOf(ctx), typed!.trim());
  return {
    path: withQuery(collection, { $filter: `principalId eq ${odataLiteral(user.id)}`, $expand: EXPAND_ROLE_NAME }),
    who: `${user.displayName ?? user.userPrincipalName} (${user.userPrincipalName ?? user.id})`,
    self: false,
  };
}

export function roleNameOf(instance: ScheduleInstance): string {
  return instance.roleDefinition?.displayName ?? instance.roleDefinitionId;
}
