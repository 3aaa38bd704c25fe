import { z } from 'zod';
import type { BatchStepResult } from '../../graph/client.js';
import { odataLiteral, withQuery } from '../../graph/odata.js';
import { graphOf } from '../_lib/context.js';
import { cursorArg, fetchListPage } from '../_lib/list.js';
import { listOutput } from '../_lib/list-card.js';
import { defineCommand } from '../types.js';
import { LISTED_TEAM_FIELDS, type GraphTeam } from './_resolve.js';

/** One `$batch` (≤ 20 requests) reads the archive state of a whole page, so a page is 20 teams. */
const PAGE_SIZE = 20;

function state(result: BatchStepResult | undefined): { badge: string; badgeColor: string; visibility?: string } {
  if (!result || result.status >= 300) return { badge: 'Unknown', badgeColor: 'Default' };
  const team = result.body as GraphTeam;
  return {
    badge: team.isArchived ? 'Archived' : 'Active',
    badgeColor: team.isArchived ? 'Warning' : 'Good',
    visibility: team.visibility ?? undefined,
  };
}

export default defineCommand({
  name: 'teams',
  summary:
    'Lists teams, or the teams whose name starts with the text (20 per page, with the total, archived ones marked).',
  usage: 'teams [search text...]',
  examples: ['teams', 'teams Project', 'teams "Sales EMEA"'],
  args: {
    positional: ['text...'],
    schema: z
      .object({ text: z.string().trim().min(1).max(120, 'is too long for a team name').optional(), ...cursorArg })
      .strict(),
  },
  tier: 'read',
  scopes: ['Team.ReadBasic.All'],
  // Works app-only (no /me, nothing of the admin's session): may run as the reports app (schedule add).
  schedulable: { appScopes: ['Team.ReadBasic.All'] },
  async run(ctx, args) {
    // Trip 1: one page of GET /teams, which fills in only id, displayName and description (teams-list docs).
    // Trip 2: one $batch of GET /teams/{id} for the page's archive state and visibility, as the CLI's team list does.
    const path = withQuery('/teams', {
      $filter: args.text ? `startswith(displayName,${odataLiteral(args.text)})` : undefined,
      $select: LISTED_TEAM_FIELDS,
      $top: PAGE_SIZE,
      $count: true,
    });
    const page = await fetchListPage<GraphTeam>(ctx, 'teams', path, { cursor: args.cursor });
    const details = await graphOf(ctx).batch(
      page.items.slice(0, PAGE_SIZE).map((t, i) => ({
        id: String(i),
        method: 'GET' as const,
        url: withQuery(`/teams/${t.id}`, { $select: ['id', 'isArchived', 'visibility'] }),
      })),
    );
    const rows = page.items.slice(0, PAGE_SIZE).map((team, i) => ({ team, ...state(details.get(String(i))) }));
    return listOutput(
      { ...page, items: rows },
      {
        title: args.text ? `Teams starting with "${args.text}"` : 'Teams',
        noun: 'teams',
        empty: args.text ? `No team's name starts with "${args.text}".` : 'This tenant has no teams.',
        row: ({ team, badge, badgeColor, visibility }) => ({
          title: team.displayName ?? team.id,
          detail: [visibility, team.description].filter(Boolean).join(' · '),
          badge,
          badgeColor,
          open: `team ${team.id}`,
        }),
      },
    );
  },
});
