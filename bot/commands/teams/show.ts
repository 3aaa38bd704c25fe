import { z } from 'zod';
import { graphOf } from '../_lib/context.js';
import { detailOutput } from '../_lib/detail-card.js';
import { defineCommand } from '../types.js';
import { resolveTeam } from './_resolve.js';
import { teamArg } from '../_lib/args.js';

const FIELDS = ['id', 'displayName', 'description', 'visibility', 'isArchived', 'webUrl', 'createdDateTime', 'summary'];

export default defineCommand({
  name: 'team',
  summary: 'Shows a team: archived or active, visibility, owner/member/guest counts, with follow-up actions.',
  usage: 'team <"team name" | team id>',
  examples: ['team "Project Phoenix"', 'team 1d0e6d3a-6f1c-4b55-9e7e-0a4f3c9b2c11'],
  args: { positional: ['team'], schema: z.object({ team: teamArg }).strict() },
  tier: 'read',
  scopes: ['Team.ReadBasic.All'],
  async run(ctx, args) {
    // A team id: one GET /teams/{id}. A name: one $batch to resolve it, then GET /teams/{id} (the list form of
    // GET /teams fills in only id, displayName and description).
    const team = await resolveTeam(graphOf(ctx), args.team, FIELDS);
    const name = team.displayName ?? team.id;
    const summary = team.summary ?? {};
    const guests = summary.guestsCount ?? 0;
    const owners = summary.ownersCount ?? 0;
    return detailOutput({
      title: name,
      subtitle: team.description ?? '',
      status: team.isArchived ? 'Archived' : 'Active',
      statusColor: team.isArchived ? 'Warning' : 'Good',
      facts: [
        { title: 'Visibility', value: team.visibility ?? 'unknown' },
        { title: 'Owners', value: String(owners) },
        {
          title: 'Members',
          value: `${summary.membersCount ?? '?'}${guests ? ` (${guests} guest${guests === 1 ? '' : 's'})` : ''}`,
        },
        { title: 'Created', value: typeof team.createdDateTime === 'string' ? team.createdDateTime.slice(0, 10) : '—' },
        { title: 'Team id', value: team.id },
      ],
      note:
        owners === 0
          ? 'This team has no owner: it cannot be archived or unarchived until one is added (team add … --owner).'
          : '',
      actions: [
        { title: 'Members', text: `team members ${team.id}` },
        { title: 'Owners', text: `team members ${team.id} --owners` },
        team.isArchived
          ? { title: 'Unarchive', text: `team unarchive ${team.id}` }
          : { title: 'Archive', text: `team archive ${team.id}` },
      ],
      text:
        `${name}: ${team.isArchived ? 'archived' : 'active'}, ${team.visibility ?? 'unknown visibility'}, ` +
        `${owners} owner(s), ${summary.membersCount ?? '?'} member(s).`,
    });
  },
});
