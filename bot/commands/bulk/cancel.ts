import { defineCommand } from '../types.js';
import { jobIdArgs, jobsOf } from './_target.js';

export default defineCommand({
  name: 'bulk cancel',
  area: 'bulk',
  summary: 'Cancels a bulk job: nothing more is sent; what changed stays changed (see Undo).',
  usage: 'bulk cancel <job id>',
  examples: ['bulk cancel 3F2A9C01'],
  args: jobIdArgs,
  tier: 'read',
  scopes: [],
  requiresSignIn: true,
  card: 'notice',
  run: (ctx, args) => jobsOf(ctx).control(ctx, args.id, 'cancel'),
});
