import { z } from 'zod';
import { graphOf } from '../_lib/context.js';
import { detailOutput } from '../_lib/detail-card.js';
import { userKey, userLabel } from '../_lib/user-target.js';
import { resolveUser } from '../_lib/users.js';
import { defineCommand } from '../types.js';
import { policyTypeArg } from './_policy.js';

export default defineCommand({
  name: 'policy revoke',
  area: 'voice',
  summary: "Removes a user's direct assignment of a Teams policy type (they fall back to a group or the Global policy).",
  usage: 'policy revoke <user> <policy type>',
  examples: ['policy revoke alice@contoso.onmicrosoft.com TeamsMeetingPolicy'],
  args: { positional: ['user', 'type'], schema: z.object({ user: z.string().trim().min(1, 'name a user'), type: policyTypeArg }).strict() },
  tier: 'write',
  scopes: ['TeamsPolicyUserAssign.ReadWrite.All', 'User.Read.All'],
  requiresSignIn: true,
  card: 'teams-detail',
  async run(ctx, args) {
    const graph = graphOf(ctx);
    const user = await resolveUser(graph, args.user);
    const response = await graph.post<undefined>('/admin/teams/policy/userAssignments/unassign', {
      value: [{ userId: user.id, policyType: args.type }],
    });
    return detailOutput({
      title: 'Direct policy removed',
      subtitle: userLabel(user),
      status: 'Done',
      statusColor: 'Good',
      facts: [
        { title: 'User', value: userLabel(user) },
        { title: 'Policy type', value: args.type },
        { title: 'Now', value: 'group assignment if any, else the Global policy' },
        { title: 'request-id', value: response.requestId ?? 'n/a' },
      ],
      actions: [{ title: 'Teams config', text: `teams config ${userKey(user)}` }],
      text: `Removed the direct ${args.type} assignment of ${userLabel(user)} (request-id ${response.requestId ?? 'n/a'}).`,
    });
  },
});
