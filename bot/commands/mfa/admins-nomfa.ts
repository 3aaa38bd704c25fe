import { z } from 'zod';
import type { GraphApi } from '../../graph/client.js';
import { GraphRequestError } from '../../graph/errors.js';
import { odataLiteral, withQuery } from '../../graph/odata.js';
import { stepBody } from '../_lib/batch-steps.js';
import { graphOf } from '../_lib/context.js';
import { cursorArg, fetchListPage } from '../_lib/list.js';
import { listOutput } from '../_lib/list-card.js';
import { defineCommand } from '../types.js';

/** One page is one `$batch` of role look-ups (Graph allows 20 requests per batch). */
const PAGE_SIZE = 20;

interface RegistrationRow {
  id: string;
  userPrincipalName: string;
  userDisplayName?: string;
  methodsRegistered?: string[];
}

interface RoleAssignment {
  roleDefinition?: { displayName?: string } | null;
}

/**
 * The active directory roles of each listed admin, in one `$batch` round trip. Best effort: the list is the
 * answer, roles are context, so a failed look-up shows as "roles unknown" with its Graph code instead of failing.
 */
async function rolesOf(graph: GraphApi, ids: string[]): Promise<Map<string, string>> {
  const roles = new Map<string, string>();
  if (ids.length === 0) return roles;
  try {
    const results = await graph.batch(
      ids.map((id, index) => ({
        id: String(index),
        method: 'GET' as const,
        url: withQuery('/roleManagement/directory/roleAssignments', {
          $filter: `principalId eq ${odataLiteral(id)}`,
          $expand: 'roleDefinition($select=displayName)',
        }),
      })),
    );
    ids.forEach((id, index) => {
      try {
        const body = stepBody<{ value: RoleAssignment[] }>(results, String(index));
        const names = [
          ...new Set(body.value.map((a) => a.roleDefinition?.displayName).filter((n): n is string => !!n)),
        ];
        roles.set(id, names.length ? names.join(', ') : 'no active role (eligible only?)');
      } catch (err) {
        roles.set(id, `roles unknown (${err instanceof GraphRequestError ? err.graphCode : 'error'})`);
      }
    });
  } catch (err) {
    for (const id of ids)
      roles.set(id, `roles unknown (${err instanceof GraphRequestError ? err.graphCode : 'error'})`);
  }
  return roles;
}

export default defineCommand({
  name: 'admins nomfa',
  summary: 'Lists admins (holders of a directory role) who have no MFA method registered, with their roles.',
  usage: 'admins nomfa',
  examples: ['admins nomfa'],
  args: { positional: [], schema: z.object({ ...cursorArg }).strict() },
  tier: 'read',
  scopes: ['AuditLog.Read.All', 'RoleManagement.Read.Directory'],
  // Works app-only (no /me, nothing of the admin's session): may run as the reports app (schedule add).
  schedulable: { appScopes: ['AuditLog.Read.All', 'RoleManagement.Read.Directory'] },
  async run(ctx, args) {
    const path = withQuery('/reports/authenticationMethods/userRegistrationDetails', {
      $filter: 'isAdmin eq true and isMfaRegistered eq false',
      $top: PAGE_SIZE,
    });
    const page = await fetchListPage<RegistrationRow>(ctx, 'admins nomfa', path, { cursor: args.cursor });
    const roles = await rolesOf(
      graphOf(ctx),
      page.items.map((row) => row.id),
    );
    return listOutput(page, {
      title: 'Admins without MFA',
      noun: 'admins',
      empty: 'Every admin has an MFA method registered.',
      row: (row) => ({
        title: row.userDisplayName ?? row.userPrincipalName,
        detail: `${row.userPrincipalName} · ${roles.get(row.id) ?? 'roles unknown'}`,
        badge: 'No MFA',
        badgeColor: 'Attention',
        open: `user mfa ${row.userPrincipalName}`,
      }),
    });
  },
});
