import { z } from 'zod';
import { odataLiteral, withQuery } from '../../graph/odata.js';
import { graphOf } from '../_lib/context.js';
import { cursorArg, fetchListPage } from '../_lib/list.js';
import { listOutput } from '../_lib/list-card.js';
import { defineCommand } from '../types.js';
import { resolveRoleDefinition, scopeText } from './_roles.js';

const PAGE_SIZE = 25;

interface Principal {
  '@odata.type'?: string;
  id: string;
  displayName?: string;
  userPrincipalName?: string;
  appId?: string;
}

interface RoleAssignment {
  id: string;
  principalId: string;
  directoryScopeId?: string;
  principal?: Principal | null;
}

/** What a row opens: users and groups have their own commands; apps and other principals reopen this list. */
function principalRow(a: RoleAssignment, roleName: string): { title: string; detail: string; open: string } {
  const p = a.principal;
  const type = p?.['@odata.type'] ?? '';
  if (type.endsWith('.user') && p?.userPrincipalName) {
    return {
      title: p.displayName ?? p.userPrincipalName,
      detail: p.userPrincipalName,
      open: `user ${p.userPrincipalName}`,
    };
  }
  if (type.endsWith('.group'))
    return { title: p?.displayName ?? a.principalId, detail: 'group', open: `group "${a.principalId}"` };
  if (type.endsWith('.servicePrincipal'))
    return {
      title: p?.displayName ?? a.principalId,
      detail: `app ${p?.appId ?? ''}`.trim(),
      open: `role members "${roleName}"`,
    };
  return {
    title: p?.displayName ?? a.principalId,
    detail: `object ${a.principalId}`,
    open: `role members "${roleName}"`,
  };
}

export default defineCommand({
  name: 'role members',
  summary: 'Who holds a directory role now (permanent and PIM-activated assignments), 25 per page.',
  usage: 'role members <role name | id...>',
  examples: ['role members "Global Administrator"', 'role members teams admin'],
  args: {
    positional: ['role...'],
    schema: z.object({ role: z.string().trim().min(2, 'name a role'), ...cursorArg }).strict(),
  },
  tier: 'read',
  scopes: ['RoleManagement.Read.Directory'],
  // Works app-only (no /me, nothing of the admin's session): may run as the reports app (schedule add).
  schedulable: { appScopes: ['RoleManagement.Read.Directory'] },
  async run(ctx, args) {
    // "More" replays the command with a cursor that already holds the next page's URL: no need to resolve again.
    const role = args.cursor ? undefined : await resolveRoleDefinition(graphOf(ctx), args.role);
    const path = role
      ? withQuery('/roleManagement/directory/roleAssignments', {
          $filter: `roleDefinitionId eq ${odataLiteral(role.id)}`,
          // As documented: principal is typed directoryObject, so a $select inside it could name no user property.
          $expand: 'principal',
          $top: PAGE_SIZE,
        })
      : '';
    const page = await fetchListPage<RoleAssignment>(ctx, 'role members', path, { cursor: args.cursor });
    const name = role?.displayName ?? args.role;
    return listOutput(page, {
      title: `Members of ${name}`,
      noun: 'assignments',
      empty: `Nobody holds ${name} right now (PIM-eligible admins are listed by "pim eligible <user>").`,
      row: (a) => {
        const row = principalRow(a, name);
        const scoped = scopeText(a.directoryScopeId);
        return {
          ...row,
          badge: scoped === 'tenant-wide' ? 'Tenant-wide' : 'Scoped',
          badgeColor: scoped === 'tenant-wide' ? 'Good' : 'Warning',
        };
      },
    });
  },
});
