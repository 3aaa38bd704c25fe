import { z } from 'zod';
import { GraphRequestError } from '../../graph/errors.js';
import { graphOf } from '../_lib/context.js';
import { explainGraphError } from '../_lib/graph-hint.js';
import { defineCommand } from '../types.js';
import { resolveMembership, userText } from './_membership.js';
import { userArg, groupArg } from '../_lib/args.js';

export default defineCommand({
  name: 'group remove',
  summary: 'Removes a user from a group (membership only; the user is not touched).',
  usage: 'group remove <group> <user>',
  examples: ['group remove "Sales" bob@contoso.onmicrosoft.com'],
  args: {
    positional: ['group', 'user'],
    schema: z.object({ group: groupArg, user: userArg }).strict(),
  },
  tier: 'write',
  scopes: ['GroupMember.ReadWrite.All', 'User.Read.All'],
  async run(ctx, args) {
    const graph = graphOf(ctx);
    const { group, user } = await resolveMembership(graph, args.group, args.user);
    let response;
    try {
      response = await graph.delete(`/groups/${group.id}/members/${user.id}/$ref`);
    } catch (err) {
      // The group and the user were just found, so a 404 here means the membership does not exist.
      if (err instanceof GraphRequestError && err.status === 404) {
        throw explainGraphError(
          err,
          `${userText(user)} is not a direct member of ${group.displayName}; nothing was changed.`,
        );
      }
      throw err;
    }
    return {
      card: 'tenant-change',
      data: {
        title: `Removed from ${group.displayName}`,
        status: 'Done',
        statusColor: 'Good',
        message:
          `${userText(user)} is no longer a member of ${group.displayName}. Access that came from the group ends ` +
          `within minutes.`,
        facts: [
          { title: 'Group', value: group.displayName },
          { title: 'Former member', value: userText(user) },
        ],
        requestId: response.requestId ?? '',
        actions: [
          { title: 'Members', text: `group members "${group.displayName}"` },
          { title: 'Undo', text: `group add "${group.displayName}" ${user.userPrincipalName ?? user.id}` },
        ],
      },
      text: `${userText(user)} removed from ${group.displayName} (request-id ${response.requestId ?? 'n/a'}).`,
    };
  },
});
