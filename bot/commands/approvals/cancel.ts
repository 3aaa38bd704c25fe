import { z } from 'zod';
import { sessionOf } from '../_lib/context.js';
import { defineCommand } from '../types.js';
import { approvalIdArg, approvalsOf } from './_service.js';

export default defineCommand({
  name: 'approval cancel',
  summary: 'Cancels an approval request you made, before anyone decides.',
  usage: 'approval cancel <id>',
  examples: ['approval cancel 3F2A9C01BD'],
  args: {
    positional: ['id'],
    schema: z.object({ id: approvalIdArg }).strict(),
  },
  tier: 'read',
  scopes: [],
  async run(ctx, args) {
    return approvalsOf(ctx).cancel(ctx, args.id.toUpperCase(), sessionOf(ctx));
  },
});
