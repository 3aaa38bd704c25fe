import { z } from 'zod';
import { withQuery } from '../../graph/odata.js';
import { graphOf } from '../_lib/context.js';
import { cursorArg, fetchListPage } from '../_lib/list.js';
import { listOutput } from '../_lib/list-card.js';
import { defineCommand } from '../types.js';
import { resolveTeam } from './_resolve.js';
import { teamArg } from '../_lib/args.js';

/** 25 rows keep the list card well under Teams’ ~28 KB message limit (50 member rows do not fit). */
const PAGE_SIZE = 25;

interface ConversationMember {
  id: string;
  displayName?: string | null;
  email?: string | null;
  userId?: string | null;
  roles?: string[];
}

function roleBadge(roles: string[] = []): { badge: string; badgeColor: string } {
  if (roles.includes('owner')) return { badge: 'Owner', badgeColor: 'Accent' };
  if (roles.includes('guest')) return { badge: 'Guest', badgeColor: 'Warning' };
  return { badge: 'Member', badgeColor: 'Default' };
}

export default defineCommand({
  name: 'team members',
  summary: "Lists a team's members (owners, members, guests), or only its owners.",
  usage: 'team members <"team name" | team id> [--owners]',
  examples: ['team members "Project Phoenix"', 'team members "Project Phoenix" --owners'],
  args: {
    positional: ['team'],
    schema: z.object({ team: teamArg, owners: z.boolean().optional(), ...cursorArg }).strict(),
  },
  tier: 'read',
  scopes: ['Team.ReadBasic.All', 'TeamMember.Read.All'],
  async run(ctx, args) {
    // A "More" click carries the next page in its cursor: no need to resolve the team again.
    const team = args.cursor ? undefined : await resolveTeam(graphOf(ctx), args.team);
    const teamName = team?.displayName ?? args.team;
    const path = withQuery(`/teams/${team?.id ?? ''}/members`, {
      $filter: args.owners ? "roles/any(r:r eq 'owner')" : undefined,
      $select: ['id', 'displayName', 'email', 'userId', 'roles'],
      $top: PAGE_SIZE,
    });
    const page = await fetchListPage<ConversationMember>(ctx, 'team members', path, { cursor: args.cursor });
    const noun = args.owners ? 'owners' : 'members';
    return listOutput(page, {
      title: `${args.owners ? 'Owners' : 'Members'} of ${teamName}`,
      noun,
      empty: args.owners
        ? `${teamName} has no owner (it cannot be archived until one is added).`
        : `${teamName} has no members.`,
      row: (m) => ({
        title: m.displayName ?? m.email ?? m.userId ?? m.id,
        detail: m.email ?? m.userId ?? '',
        ...roleBadge(m.roles),
        open: `user ${m.userId ?? m.email ?? ''}`.trim(),
      }),
    });
  },
});
