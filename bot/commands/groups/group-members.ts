import { z } from 'zod';
import { withQuery } from '../../graph/odata.js';
import { graphOf } from '../_lib/context.js';
import { cursorArg, fetchListPage } from '../_lib/list.js';
import { listOutput, type ListItem } from '../_lib/list-card.js';
import { defineCommand } from '../types.js';
import { resolveGroup } from './_groups.js';
import { groupArg } from '../_lib/args.js';

const PAGE_SIZE = 25;

interface Member {
  '@odata.type'?: string;
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  accountEnabled?: boolean | null;
}

/** Members are directory objects: mostly users, sometimes nested groups, devices or service principals. */
function memberRow(m: Member): ListItem {
  const type = (m['@odata.type'] ?? '#microsoft.graph.user').replace('#microsoft.graph.', '');
  if (type === 'user') {
    const blocked = m.accountEnabled === false;
    return {
      title: m.displayName ?? m.userPrincipalName ?? m.id,
      detail: m.userPrincipalName ?? m.id,
      badge: blocked ? 'Blocked' : 'Active',
      badgeColor: blocked ? 'Attention' : 'Good',
      open: `user ${m.userPrincipalName ?? m.id}`,
    };
  }
  if (type === 'group')
    return {
      title: m.displayName ?? m.id,
      detail: 'nested group',
      badge: 'Group',
      badgeColor: 'Accent',
      open: `group "${m.id}"`,
    };
  return {
    title: m.displayName ?? m.id,
    detail: `${type} ${m.id}`,
    badge: type,
    badgeColor: 'Default',
    open: `group members "${m.id}"`,
  };
}

export default defineCommand({
  name: 'group members',
  summary: 'Members of a group (direct, or with --transitive also those of nested groups), 25 per page with the total.',
  usage: 'group members <name | id...> [--transitive]',
  examples: ['group members "Sales"', 'group members "All Staff" --transitive'],
  args: {
    positional: ['name...'],
    schema: z
      .object({
        name: groupArg,
        transitive: z.boolean().optional(),
        ...cursorArg,
      })
      .strict(),
  },
  tier: 'read',
  scopes: ['Group.Read.All'],
  async run(ctx, args) {
    // "More" replays with a cursor that already holds the next page's URL: the group is not looked up again.
    const group = args.cursor ? undefined : await resolveGroup(graphOf(ctx), args.name);
    const path = group
      ? withQuery(`/groups/${group.id}/${args.transitive ? 'transitiveMembers' : 'members'}`, {
          $select: ['id', 'displayName', 'userPrincipalName', 'accountEnabled'],
          $top: PAGE_SIZE,
          $count: true,
        })
      : '';
    // $count on a directory collection is an advanced query: without ConsistencyLevel Graph silently drops the total.
    const page = await fetchListPage<Member>(ctx, 'group members', path, {
      cursor: args.cursor,
      headers: { ConsistencyLevel: 'eventual' },
    });
    const name = group?.displayName ?? args.name;
    const title = `${args.transitive ? 'All members (nested included)' : 'Members'} of ${name}`;
    return listOutput(page, { title, noun: 'members', empty: `${name} has no members.`, row: memberRow });
  },
});
