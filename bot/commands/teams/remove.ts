import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import { odataLiteral, withQuery } from '../../graph/odata.js';
import { runLookups } from '../_lib/batch-lookup.js';
import { userLookup } from '../_lib/users.js';
import { graphOf } from '../_lib/context.js';
import { detailOutput } from '../_lib/detail-card.js';
import { TEAM_WRITER_ROLES } from '../_lib/teams-roles.js';
import { defineCommand } from '../types.js';
import { teamLookup } from './_resolve.js';
import { userLabel } from '../_lib/user-target.js';
import { MEMBER_USER_FIELDS } from './_membership.js';
import { userArg, teamArg } from '../_lib/args.js';

interface ConversationMember {
  id: string;
  roles?: string[];
}

export default defineCommand({
  name: 'team remove',
  summary: 'Removes a user (member or owner) from a team.',
  usage: 'team remove <"team name" | team id> <user>',
  examples: ['team remove "Project Phoenix" bob@contoso.onmicrosoft.com'],
  args: {
    positional: ['team', 'user'],
    schema: z.object({ team: teamArg, user: userArg }).strict(),
  },
  tier: 'write',
  roles: TEAM_WRITER_ROLES,
  // Removing an owner needs TeamMember.ReadWrite.All; members alone would do with TeamMember.ReadWriteNonOwnerRole.All.
  scopes: ['Team.ReadBasic.All', 'User.Read.All', 'TeamMember.ReadWrite.All'],
  async run(ctx, args) {
    const graph = graphOf(ctx);
    // Trip 1: team and user in one $batch. Trip 2: the user's membership (its id is opaque, so it must be read).
    // Trip 3: the DELETE.
    const [team, user] = await runLookups(graph, teamLookup(args.team), userLookup(args.user, MEMBER_USER_FIELDS));
    const teamName = team.displayName ?? team.id;
    const memberships = await graph.get<{ value: ConversationMember[] }>(
      withQuery(`/teams/${team.id}/members`, {
        $filter: `(microsoft.graph.aadUserConversationMember/userId eq ${odataLiteral(user.id)})`,
        $select: ['id', 'roles'],
      }),
    );
    const membership = memberships.body.value?.[0];
    if (!membership) throw new NotFoundError(`${userLabel(user)} is not a member of ${teamName}; nothing was changed.`);
    const wasOwner = (membership.roles ?? []).includes('owner');
    const response = await graph.delete(`/teams/${team.id}/members/${encodeURIComponent(membership.id)}`);
    return detailOutput({
      title: `Removed from team`,
      subtitle: `${userLabel(user)} ✕ ${teamName}`,
      status: 'Done',
      statusColor: 'Good',
      facts: [
        { title: 'Team', value: teamName },
        { title: 'User', value: userLabel(user) },
        { title: 'Was', value: wasOwner ? 'owner' : (membership.roles ?? []).includes('guest') ? 'guest' : 'member' },
        { title: 'request-id', value: response.requestId ?? 'n/a' },
      ],
      note: wasOwner
        ? 'They were an owner: check the team still has one (a team without owners cannot be archived).'
        : '',
      actions: [
        { title: 'Members', text: `team members ${team.id}` },
        {
          title: wasOwner ? 'Undo (add back as owner)' : 'Undo (add back)',
          text: `team add ${team.id} ${user.userPrincipalName ?? user.id}${wasOwner ? ' --owner' : ''}`,
        },
      ],
      text:
        `Removed ${userLabel(user)} from ${teamName} (was ${wasOwner ? 'owner' : 'member'}; request-id ` +
        `${response.requestId ?? 'n/a'}).`,
    });
  },
});
