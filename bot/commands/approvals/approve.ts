import { z } from 'zod';
import { sessionOf } from '../_lib/context.js';
import { defineCommand } from '../types.js';
import { approvalIdArg, approvalsOf } from './_service.js';

export default defineCommand({
  name: 'approval approve',
  summary: "Approves another admin's dangerous command; it then runs once, as they asked.",
  usage: 'approval approve <id>',
  examples: ['approval approve 3F2A9C01BD'],
  args: {
    positional: ['id'],
    schema: z.object({ id: approvalIdArg }).strict(),
  },
  // Releasing a dangerous command needs the same fresh MFA as running one (5 minutes), but no approval itself.
  tier: 'write',
  mfaMaxAgeSeconds: 300,
  scopes: [],
  async run(ctx, args) {
    return approvalsOf(ctx).decide(ctx, args.id.toUpperCase(), 'approved', sessionOf(ctx));
  },
});
