import { z } from 'zod';
import { NOTHING, runLookups } from '../_lib/batch-lookup.js';
import { userLookup } from '../_lib/users.js';
import { graphOf } from '../_lib/context.js';
import { detailOutput } from '../_lib/detail-card.js';
import { userKey, userLabel } from '../_lib/user-target.js';
import { VOICE_WRITER_ROLES } from '../_lib/teams-roles.js';
import { defineCommand } from '../types.js';
import { policyIdLookup, policyNameArg, policyTypeArg } from './_policy.js';
import { describePolicy, effectivePolicy, policiesLookup } from './_user-config.js';
import { userArg } from '../_lib/args.js';

const ASSIGNMENT_TYPE = '#microsoft.graph.teamsAdministration.teamsPolicyUserAssignment';

export default defineCommand({
  name: 'policy grant',
  summary:
    'Assigns a named Teams policy to a user directly (like Grant-CsTeamsMeetingPolicy -Identity), showing what ' +
    'it replaces.',
  usage: 'policy grant <user> <policy type> <"policy name">',
  examples: [
    'policy grant alice@contoso.onmicrosoft.com TeamsMeetingPolicy "AllOn"',
    'policy grant "Bob Berg" TeamsCallingPolicy "DisallowCalling"',
  ],
  args: {
    positional: ['user', 'type', 'name'],
    schema: z.object({ user: userArg, type: policyTypeArg, name: policyNameArg }).strict(),
  },
  tier: 'write',
  roles: VOICE_WRITER_ROLES,
  scopes: ['TeamsPolicyUserAssign.ReadWrite.All', 'TeamsUserConfiguration.Read.All', 'User.Read.All'],
  async run(ctx, args) {
    const graph = graphOf(ctx);
    // Trip 1, one $batch: the user, the policy id and (for a UPN or object id) the policies in force now.
    // Trip 2: the assignment (204), unless the user already has exactly this policy directly.
    const [user, policy, config] = await runLookups(
      graph,
      userLookup(args.user),
      policyIdLookup(args.type, args.name),
      policiesLookup(args.user) ?? NOTHING,
    );
    const before = config ? effectivePolicy(config, args.type) : undefined;
    const beforeText = config ? describePolicy(before) : 'not read (user named by display name)';
    const facts = [
      { title: 'User', value: userLabel(user) },
      { title: 'Policy type', value: args.type },
      { title: 'Before', value: beforeText },
    ];
    const configAction = { title: 'Teams config', text: `teams config ${userKey(user)}` };
    const sameDirect =
      before?.policyAssignment?.assignmentType === 'direct' &&
      before.policyAssignment.policyId?.toLowerCase() === policy.policyId.toLowerCase();
    if (sameDirect) {
      return detailOutput({
        title: 'Already granted',
        subtitle: userLabel(user),
        status: 'No change',
        statusColor: 'Good',
        facts,
        note: 'The user already has this policy as a direct assignment; nothing was sent to Graph.',
        actions: [configAction],
        text: `${userLabel(user)} already has ${args.type} "${policy.name}" directly; nothing changed.`,
      });
    }
    const response = await graph.post<undefined>('/admin/teams/policy/userAssignments/assign', {
      value: [{ '@odata.type': ASSIGNMENT_TYPE, userId: user.id, policyType: args.type, policyId: policy.policyId }],
    });
    const previousDirect =
      before?.policyAssignment?.assignmentType === 'direct' ? before.policyAssignment.displayName : undefined;
    const undo = previousDirect
      ? {
          title: `Undo (back to ${previousDirect})`,
          text: `policy grant ${userKey(user)} ${args.type} "${previousDirect}"`,
        }
      : {
          title: config ? 'Undo (remove direct assignment)' : 'Remove direct assignment',
          text: `policy revoke ${userKey(user)} ${args.type}`,
        };
    return detailOutput({
      title: 'Policy granted',
      subtitle: userLabel(user),
      status: 'Done',
      statusColor: 'Good',
      facts: [
        ...facts,
        { title: 'Now', value: `${policy.name} · direct` },
        { title: 'Policy id', value: policy.policyId },
        { title: 'request-id', value: response.requestId ?? 'n/a' },
      ],
      note:
        'A direct assignment overrides any group assignment of the same policy type. Teams clients may take a few ' +
        'hours to apply it.',
      actions: [configAction, undo],
      text:
        `Granted ${args.type} "${policy.name}" to ${userLabel(user)} (was ${beforeText}; request-id ` +
        `${response.requestId ?? 'n/a'}).`,
    });
  },
});
