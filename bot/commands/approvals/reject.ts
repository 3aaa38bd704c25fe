import { z } from 'zod';
import { sessionOf } from '../_lib/context.js';
import { defineCommand } from '../types.js';
import { APPROVAL_ID, approvalsOf } from './_service.js';

export default defineCommand({
  name: 'approval reject',
  area: 'approvals',
  summary: "Rejects another admin's dangerous command; nothing runs.",
  usage: 'approval reject <id> [--note <text>]',
  examples: ['approval reject 3F2A9C01BD'],
  args: {
    positional: ['id'],
    schema: z
      .object({
        id: z.string().regex(APPROVAL_ID, 'is not an approval id (10 characters, 0-9 A-F)'),
        note: z.string().max(500).optional(),
      })
      .strict(),
  },
  // Releasing a dangerous command needs the same fresh MFA as running one (5 minutes), but no approval itself.
  tier: 'write',
  mfaMaxAgeSeconds: 300,
  scopes: [],
  requiresSignIn: true,
  card: 'notice',
  async run(ctx, args) {
    return approvalsOf(ctx).decide(ctx, args.id.toUpperCase(), 'rejected', sessionOf(ctx), args.note);
  },
});
