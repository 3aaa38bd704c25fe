import { z } from 'zod';
import { odataLiteral, withQuery } from '../../graph/odata.js';
import { cursorArg, fetchListPage } from '../_lib/list.js';
import { listOutput } from '../_lib/list-card.js';
import { defineCommand } from '../types.js';
import type { GraphTeam } from './_resolve.js';

const PAGE_SIZE = 25;

export default defineCommand({
  name: 'teams',
  area: 'teams',
  summary: 'Lists teams, or the teams whose name starts with the text (25 per page, archived ones marked).',
  usage: 'teams [search text...]',
  examples: ['teams', 'teams Project', 'teams "Sales EMEA"'],
  args: {
    positional: ['text...'],
    schema: z.object({ text: z.string().trim().min(1).max(120, 'is too long for a team name').optional(), ...cursorArg }).strict(),
  },
  tier: 'read',
  scopes: ['Team.ReadBasic.All'],
  requiresSignIn: true,
  card: 'list',
  async run(ctx, args) {
    // GET /teams is a plain collection: $filter on displayName (eq, startswith), $select and $top; no $count.
    const path = withQuery('/teams', {
      $filter: args.text ? `startswith(displayName,${odataLiteral(args.text)})` : undefined,
      $select: ['id', 'displayName', 'description', 'visibility', 'isArchived'],
      $top: PAGE_SIZE,
    });
    const page = await fetchListPage<GraphTeam>(ctx, 'teams', path, { cursor: args.cursor });
    return listOutput(page, {
      title: args.text ? `Teams starting with "${args.text}"` : 'Teams',
      noun: 'teams',
      empty: args.text ? `No team's name starts with "${args.text}".` : 'This tenant has no teams.',
      row: (t) => ({
        title: t.displayName ?? t.id,
        detail: [t.visibility ?? 'unknown visibility', t.description].filter(Boolean).join(' · '),
        badge: t.isArchived ? 'Archived' : 'Active',
        badgeColor: t.isArchived ? 'Warning' : 'Good',
        open: `team ${t.id}`,
      }),
    });
  },
});
