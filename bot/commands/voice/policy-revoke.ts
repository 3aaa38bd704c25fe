import { z } from 'zod';
import { NOTHING, runLookups } from '../_lib/batch-lookup.js';
import { userLookup } from '../_lib/users.js';
import { graphOf } from '../_lib/context.js';
import { detailOutput } from '../_lib/detail-card.js';
import { userKey, userLabel } from '../_lib/user-target.js';
import { VOICE_WRITER_ROLES } from '../_lib/teams-roles.js';
import { defineCommand } from '../types.js';
import { policyTypeArg } from './_policy.js';
import { describePolicy, effectivePolicy, policiesLookup } from './_user-config.js';
import { userArg } from '../_lib/args.js';

export default defineCommand({
  name: 'policy revoke',
  summary:
    "Removes a user's direct assignment of a Teams policy type (they fall back to a group or the Global policy).",
  usage: 'policy revoke <user> <policy type>',
  examples: ['policy revoke alice@contoso.onmicrosoft.com TeamsMeetingPolicy'],
  args: {
    positional: ['user', 'type'],
    schema: z.object({ user: userArg, type: policyTypeArg }).strict(),
  },
  tier: 'write',
  roles: VOICE_WRITER_ROLES,
  scopes: ['TeamsPolicyUserAssign.ReadWrite.All', 'TeamsUserConfiguration.Read.All', 'User.Read.All'],
  async run(ctx, args) {
    const graph = graphOf(ctx);
    // Trip 1, one $batch: the user and (for a UPN or object id) the policies in force now. Trip 2: the unassign
    // (204), skipped when the user has no direct assignment of that type.
    const [user, config] = await runLookups(graph, userLookup(args.user), policiesLookup(args.user) ?? NOTHING);
    const before = config ? effectivePolicy(config, args.type) : undefined;
    const direct = before?.policyAssignment?.assignmentType === 'direct' ? before : undefined;
    const configAction = { title: 'Teams config', text: `teams config ${userKey(user)}` };
    if (config && !direct) {
      return detailOutput({
        title: 'No direct assignment',
        subtitle: userLabel(user),
        status: 'No change',
        statusColor: 'Good',
        facts: [
          { title: 'User', value: userLabel(user) },
          { title: 'Policy type', value: args.type },
          { title: 'In force', value: describePolicy(before) },
        ],
        note: 'Only direct assignments can be revoked per user; nothing was sent to Graph.',
        actions: [configAction],
        text:
          `${userLabel(user)} has no direct ${args.type} assignment (in force: ${describePolicy(before)}); nothing ` +
          `changed.`,
      });
    }
    const response = await graph.post<undefined>('/admin/teams/policy/userAssignments/unassign', {
      value: [{ userId: user.id, policyType: args.type }],
    });
    const removedName = direct?.policyAssignment?.displayName;
    return detailOutput({
      title: 'Direct policy removed',
      subtitle: userLabel(user),
      status: 'Done',
      statusColor: 'Good',
      facts: [
        { title: 'User', value: userLabel(user) },
        { title: 'Policy type', value: args.type },
        {
          title: 'Removed',
          value: direct ? describePolicy(direct) : 'the direct assignment, if any (user named by display name)',
        },
        { title: 'Now', value: 'a group assignment if any, else the Global policy' },
        { title: 'request-id', value: response.requestId ?? 'n/a' },
      ],
      actions: [
        configAction,
        ...(removedName
          ? [
              {
                title: `Undo (grant ${removedName} again)`,
                text: `policy grant ${userKey(user)} ${args.type} "${removedName}"`,
              },
            ]
          : []),
      ],
      text:
        `Removed the direct ${args.type} assignment${removedName ? ` (${removedName})` : ''} of ${userLabel(user)} ` +
        `(request-id ${response.requestId ?? 'n/a'}).`,
    });
  },
});
