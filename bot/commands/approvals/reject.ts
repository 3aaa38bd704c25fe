import { z } from 'zod';
import { sessionOf } from '../_lib/context.js';
import { defineCommand } from '../types.js';
import { approvalIdArg, approvalsOf } from './_service.js';

export default defineCommand({
  name: 'approval reject',
  summary: "Rejects another admin's dangerous command; nothing runs.",
  usage: 'approval reject <id> [--note <text>]',
  examples: ['approval reject 3F2A9C01BD'],
  args: {
    positional: ['id'],
    schema: z
      .object({
        id: approvalIdArg,
        note: z.string().max(500).optional(),
      })
      .strict(),
  },
  // Releasing a dangerous command needs the same fresh MFA as running one (5 minutes), but no approval itself.
  tier: 'write',
  mfaMaxAgeSeconds: 300,
  scopes: [],
  async run(ctx, args) {
    return approvalsOf(ctx).decide(ctx, args.id.toUpperCase(), 'rejected', sessionOf(ctx), args.note);
  },
});
