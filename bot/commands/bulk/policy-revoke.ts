import { z } from 'zod';
import { VOICE_WRITER_ROLES } from '../_lib/teams-roles.js';
import { defineCommand } from '../types.js';
import { policyTypeArg } from '../voice/_policy.js';
import { ONE_TARGET, TARGET_USAGE, jobsOf, oneTarget, targetFlags, targetOf } from './_target.js';

export default defineCommand({
  name: 'bulk policy revoke',
  area: 'bulk',
  summary: "Removes many users' direct assignment of a Teams policy type (group or global policy applies again).",
  usage: `bulk policy revoke <policy type> ${TARGET_USAGE}`,
  examples: ['bulk policy revoke TeamsMeetingPolicy --group "Sales"'],
  args: {
    positional: ['type'],
    schema: z
      .object({ type: policyTypeArg, ...targetFlags })
      .strict()
      .refine(oneTarget, ONE_TARGET),
  },
  tier: 'read',
  roles: VOICE_WRITER_ROLES,
  scopes: [
    'TeamsPolicyUserAssign.ReadWrite.All',
    'TeamsUserConfiguration.Read.All',
    'User.Read.All',
    'GroupMember.Read.All',
  ],
  requiresSignIn: true,
  card: 'teams-detail',
  async run(ctx, args) {
    return jobsOf(ctx).prepare(ctx, {
      verb: `policy revoke ${args.type}`,
      params: { family: 'policy', action: 'revoke', policyType: args.type, desired: 'none' },
      target: targetOf(args),
    });
  },
});
