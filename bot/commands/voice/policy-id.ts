import { z } from 'zod';
import { graphOf } from '../_lib/context.js';
import { detailOutput } from '../_lib/detail-card.js';
import { defineCommand } from '../types.js';
import { pickPolicy, policyIdPath, policyNameArg, policyTypeArg, type PolicyIdentifier } from './_policy.js';

export default defineCommand({
  name: 'policy id',
  summary: 'Looks up the id of a named Teams policy instance (what policy grant assigns).',
  usage: 'policy id <policy type> <"policy name">',
  examples: ['policy id TeamsMeetingPolicy "AllOn"', 'policy id OnlineVoiceRoutingPolicy "US-Only"'],
  args: { positional: ['type', 'name'], schema: z.object({ type: policyTypeArg, name: policyNameArg }).strict() },
  tier: 'read',
  scopes: ['TeamsPolicyUserAssign.ReadWrite.All'],
  async run(ctx, args) {
    const response = await graphOf(ctx).get<{ value?: PolicyIdentifier[] }>(policyIdPath(args.type, args.name));
    const policy = pickPolicy(response.body.value ?? [], args.type, args.name);
    return detailOutput({
      title: policy.name,
      subtitle: args.type,
      status: 'Found',
      statusColor: 'Good',
      facts: [
        { title: 'Policy type', value: args.type },
        { title: 'Name', value: policy.name },
        { title: 'Policy id', value: policy.policyId },
      ],
      note: `Grant it with: policy grant <user> ${args.type} "${policy.name}"`,
      text: `${args.type} "${policy.name}" has policy id ${policy.policyId}.`,
    });
  },
});
