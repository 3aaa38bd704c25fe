import { z } from 'zod';
import { GraphRequestError } from '../../graph/errors.js';
import { graphOf } from '../_lib/context.js';
import { explainGraphError } from '../_lib/graph-hint.js';
import { defineCommand } from '../types.js';
import { resolveMembership, userText } from './_membership.js';
import { userArg, groupArg } from '../_lib/args.js';

export default defineCommand({
  name: 'group add',
  summary: 'Adds a user to a group as a member.',
  usage: 'group add <group> <user>',
  examples: ['group add "Sales" bob@contoso.onmicrosoft.com'],
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
      // The reference must be an absolute Graph URL; Graph accepts its own host here whatever host served the call.
      response = await graph.post<undefined>(`/groups/${group.id}/members/$ref`, {
        '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user.id}`,
      });
    } catch (err) {
      // Graph's only signal for a duplicate is a generic 400 Request_BadRequest whose message says so.
      if (err instanceof GraphRequestError && err.status === 400 && /already exist/i.test(err.graphMessage)) {
        throw explainGraphError(
          err,
          `${userText(user)} is already a member of ${group.displayName}; nothing was changed.`,
        );
      }
      throw err;
    }
    return {
      card: 'tenant-change',
      data: {
        title: `Added to ${group.displayName}`,
        status: 'Done',
        statusColor: 'Good',
        message:
          `${userText(user)} is now a member of ${group.displayName}. Access that depends on the group follows ` +
          `within minutes.`,
        facts: [
          { title: 'Group', value: group.displayName },
          { title: 'Member', value: userText(user) },
        ],
        requestId: response.requestId ?? '',
        actions: [
          { title: 'Members', text: `group members "${group.displayName}"` },
          { title: 'Undo', text: `group remove "${group.displayName}" ${user.userPrincipalName ?? user.id}` },
        ],
      },
      text: `${userText(user)} added to ${group.displayName} (request-id ${response.requestId ?? 'n/a'}).`,
    };
  },
});
