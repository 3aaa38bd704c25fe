import { z } from 'zod';
import { graphOf } from '../_lib/context.js';
import { runLookups } from '../_lib/batch-lookup.js';
import { VOICE_WRITER_ROLES } from '../_lib/teams-roles.js';
import { defineCommand } from '../types.js';
import { policyIdLookup, policyNameArg, policyTypeArg } from '../voice/_policy.js';
import { ONE_TARGET, TARGET_USAGE, jobsOf, oneTarget, targetFlags, targetOf } from './_target.js';

export default defineCommand({
  name: 'bulk policy grant',
  area: 'bulk',
  summary:
    'Assigns a Teams policy directly to many users (a group, a filter or a list): preview first, then a durable job.',
  usage: `bulk policy grant <policy type> <"policy name"> ${TARGET_USAGE}`,
  examples: [
    'bulk policy grant TeamsMeetingPolicy "AllOn" --group "Sales"',
    `bulk policy grant TeamsCallingPolicy "DisallowCalling" --filter "department eq 'Contractors'"`,
  ],
  args: {
    positional: ['type', 'name'],
    schema: z
      .object({ type: policyTypeArg, name: policyNameArg, ...targetFlags })
      .strict()
      .refine(oneTarget, ONE_TARGET),
  },
  // The preview changes nothing; running it (`bulk run`) is a write with fresh MFA, large sets need approval.
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
    const [policy] = await runLookups(graphOf(ctx), policyIdLookup(args.type, args.name));
    return jobsOf(ctx).prepare(ctx, {
      verb: `policy grant ${args.type} "${policy.name}"`,
      params: {
        family: 'policy',
        action: 'grant',
        policyType: args.type,
        policyName: policy.name,
        desired: `direct:${policy.policyId}:${policy.name}`,
      },
      target: targetOf(args),
    });
  },
});
