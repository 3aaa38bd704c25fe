import { defineCommand } from '../types.js';
import { jobIdArgs, jobsOf } from './_target.js';

export default defineCommand({
  name: 'bulk show',
  area: 'bulk',
  summary: 'A bulk job: its preview, live progress or final result.',
  usage: 'bulk show <job id>',
  examples: ['bulk show 3F2A9C01'],
  args: jobIdArgs,
  tier: 'read',
  scopes: [],
  requiresSignIn: true,
  card: 'teams-detail',
  run: (ctx, args) => jobsOf(ctx).show(ctx, args.id),
});
