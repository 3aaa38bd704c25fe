import { z } from 'zod';
import { withQuery } from '../../graph/odata.js';
import { cursorArg, fetchListPage } from '../_lib/list.js';
import { listOutput } from '../_lib/list-card.js';
import type { GraphUser } from '../_lib/users.js';
import { defineCommand } from '../types.js';

const PAGE_SIZE = 25;

/** `$search` terms are double-quoted; a double quote inside would end the term, so it is dropped. */
function searchTerm(property: string, text: string): string {
  return `"${property}:${text.replace(/["\\]/g, ' ').trim()}"`;
}

export default defineCommand({
  name: 'user search',
  summary: 'Finds users whose name or UPN contains the text (25 per page, with the total).',
  usage: 'user search <text...>',
  examples: ['user search ali', 'user search "Wilber"'],
  args: {
    positional: ['text...'],
    schema: z.object({ text: z.string().trim().min(2, 'give at least 2 characters'), ...cursorArg }).strict(),
  },
  tier: 'read',
  scopes: ['User.Read.All'],
  // Works app-only (no /me, nothing of the admin's session): may run as the reports app (schedule add).
  schedulable: { appScopes: ['User.Read.All'] },
  async run(ctx, args) {
    // $search needs ConsistencyLevel: eventual (advanced query); $count=true brings the total on page one.
    const path = withQuery('/users', {
      $search: `${searchTerm('displayName', args.text)} OR ${searchTerm('userPrincipalName', args.text)}`,
      $count: true,
      $top: PAGE_SIZE,
      $select: ['id', 'displayName', 'userPrincipalName', 'accountEnabled', 'userType'],
      $orderby: 'displayName',
    });
    const page = await fetchListPage<GraphUser>(ctx, 'user search', path, {
      cursor: args.cursor,
      headers: { ConsistencyLevel: 'eventual' },
    });
    return listOutput(page, {
      title: `Users matching "${args.text}"`,
      noun: 'users',
      empty: `No user's name or UPN contains "${args.text}".`,
      row: (u) => ({
        title: u.displayName ?? String(u.userPrincipalName),
        detail: `${u.userPrincipalName ?? u.id}${u.userType === 'Guest' ? ' · guest' : ''}`,
        badge: u.accountEnabled === false ? 'Blocked' : 'Active',
        badgeColor: u.accountEnabled === false ? 'Attention' : 'Good',
        open: `user ${u.userPrincipalName ?? u.id}`,
      }),
    });
  },
});
