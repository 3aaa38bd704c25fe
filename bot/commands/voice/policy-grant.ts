import { z } from 'zod';
import { runLookups, userLookup } from '../_lib/batch-lookup.js';
import { graphOf } from '../_lib/context.js';
import { detailOutput } from '../_lib/detail-card.js';
import { userKey, userLabel } from '../_lib/user-target.js';
import { defineCommand } from '../types.js';
import { policyIdLookup, policyNameArg, policyTypeArg } from './_policy.js';

const ASSIGNMENT_TYPE = '#microsoft.graph.teamsAdministration.teamsPolicyUserAssignment';

export default defineCommand({
  name: 'policy grant',
  area: 'voice',
  summary: 'Assigns a named Teams policy to a user directly (like Grant-CsTeamsMeetingPolicy -Identity).',
  usage: 'policy grant <user> <policy type> <"policy name">',
  examples: ['policy grant alice@contoso.onmicrosoft.com TeamsMeetingPolicy "AllOn"', 'policy grant "Bob Berg" TeamsCallingPolicy "DisallowCalling"'],
  args: {
    positional: ['user', 'type', 'name'],
    schema: z.object({ user: z.string().trim().min(1, 'name a user'), type: policyTypeArg, name: policyNameArg }).strict(),
  },
  tier: 'write',
  scopes: ['TeamsPolicyUserAssign.ReadWrite.All', 'User.Read.All'],
  requiresSignIn: true,
  card: 'teams-detail',
  async run(ctx, args) {
    const graph = graphOf(ctx);
    // Trip 1: the user and the policy id in one $batch. Trip 2: the assignment (204).
    const [user, policy] = await runLookups(graph, userLookup(args.user), policyIdLookup(args.type, args.name));
    const response = await graph.post<undefined>('/admin/teams/policy/userAssignments/assign', {
      value: [{ '@odata.type': ASSIGNMENT_TYPE, userId: user.id, policyType: args.type, policyId: policy.policyId }],
    });
    return detailOutput({
      title: 'Policy granted',
      subtitle: userLabel(user),
      status: 'Done',
      statusColor: 'Good',
      facts: [
        { title: 'User', value: userLabel(user) },
        { title: args.type, value: `${policy.name} · direct` },
        { title: 'Policy id', value: policy.policyId },
        { title: 'request-id', value: response.requestId ?? 'n/a' },
      ],
      note: 'A direct assignment overrides any group assignment of the same policy type. Teams clients may take a few hours to apply it.',
      actions: [
        { title: 'Teams config', text: `teams config ${userKey(user)}` },
        { title: 'Undo (revoke)', text: `policy revoke ${userKey(user)} ${args.type}` },
      ],
      text: `Granted ${args.type} "${policy.name}" to ${userLabel(user)} (request-id ${response.requestId ?? 'n/a'}).`,
    });
  },
});
