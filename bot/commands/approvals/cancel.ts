import { z } from 'zod';
import { sessionOf } from '../_lib/context.js';
import { defineCommand } from '../types.js';
import { APPROVAL_ID, approvalsOf } from './_service.js';

export default defineCommand({
  name: 'approval cancel',
  area: 'approvals',
  summary: 'Cancels an approval request you made, before anyone decides.',
  usage: 'approval cancel <id>',
  examples: ['approval cancel 3F2A9C01BD'],
  args: {
    positional: ['id'],
    schema: z.object({ id: z.string().regex(APPROVAL_ID, 'is not an approval id (10 characters, 0-9 A-F)') }).strict(),
  },
  tier: 'read',
  scopes: [],
  requiresSignIn: true,
  card: 'notice',
  async run(ctx, args) {
    return approvalsOf(ctx).cancel(ctx, args.id.toUpperCase(), sessionOf(ctx));
  },
});
