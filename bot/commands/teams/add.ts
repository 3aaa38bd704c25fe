import { z } from 'zod';
import { runLookups } from '../_lib/batch-lookup.js';
import { userLookup } from '../_lib/users.js';
import { graphOf } from '../_lib/context.js';
import { detailOutput } from '../_lib/detail-card.js';
import { TEAM_WRITER_ROLES } from '../_lib/teams-roles.js';
import { defineCommand } from '../types.js';
import { teamLookup } from './_resolve.js';
import { userLabel } from '../_lib/user-target.js';
import { MEMBER_USER_FIELDS, explainAddFailure } from './_membership.js';
import { userArg, teamArg } from '../_lib/args.js';

/** `user@odata.bind` names the user by reference; Graph reads the key, not the host. */
const GRAPH_USERS = 'https://graph.microsoft.com/v1.0/users';

export default defineCommand({
  name: 'team add',
  summary: 'Adds a user to a team as a member, or as an owner with --owner.',
  usage: 'team add <"team name" | team id> <user> [--owner]',
  examples: [
    'team add "Project Phoenix" bob@contoso.onmicrosoft.com',
    'team add "Project Phoenix" "Alice Anders" --owner',
  ],
  args: {
    positional: ['team', 'user'],
    schema: z
      .object({
        team: teamArg,
        user: userArg,
        owner: z.boolean().optional(),
      })
      .strict(),
  },
  tier: 'write',
  roles: TEAM_WRITER_ROLES,
  // Adding owners needs TeamMember.ReadWrite.All; plain members would do with TeamMember.ReadWriteNonOwnerRole.All.
  scopes: ['Team.ReadBasic.All', 'User.Read.All', 'TeamMember.ReadWrite.All'],
  async run(ctx, args) {
    const graph = graphOf(ctx);
    // Trip 1: the team and the user resolved together in one $batch. Trip 2: the membership itself.
    const [team, user] = await runLookups(graph, teamLookup(args.team), userLookup(args.user, MEMBER_USER_FIELDS));
    const role = args.owner ? 'owner' : 'member';
    let response;
    try {
      response = await graph.post<{ id?: string; roles?: string[] }>(`/teams/${team.id}/members`, {
        '@odata.type': '#microsoft.graph.aadUserConversationMember',
        roles: args.owner ? ['owner'] : [],
        'user@odata.bind': `${GRAPH_USERS}('${user.id}')`,
      });
    } catch (err) {
      throw explainAddFailure(err, user);
    }
    const teamName = team.displayName ?? team.id;
    return detailOutput({
      title: `Added as ${role}`,
      subtitle: `${userLabel(user)} → ${teamName}`,
      status: 'Done',
      statusColor: 'Good',
      facts: [
        { title: 'Team', value: teamName },
        { title: 'User', value: userLabel(user) },
        {
          title: 'Role now',
          value: (response.body.roles ?? []).includes('owner')
            ? 'owner'
            : (response.body.roles ?? []).includes('guest')
              ? 'guest'
              : 'member',
        },
        { title: 'request-id', value: response.requestId ?? 'n/a' },
      ],
      note: 'If the user already belonged to the team, Teams keeps the membership (an owner stays an owner).',
      actions: [
        { title: 'Members', text: `team members ${team.id}` },
        { title: 'Undo (remove)', text: `team remove ${team.id} ${user.userPrincipalName ?? user.id}` },
      ],
      text: `Added ${userLabel(user)} to ${teamName} as ${role} (request-id ${response.requestId ?? 'n/a'}).`,
    });
  },
});
