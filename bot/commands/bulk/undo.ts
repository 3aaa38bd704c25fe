import { defineCommand } from '../types.js';
import { jobIdArgs, jobsOf } from './_target.js';

export default defineCommand({
  name: 'bulk undo',
  area: 'bulk',
  summary: "Previews a new job that restores every changed user's recorded before-state (same tiers to run it).",
  usage: 'bulk undo <job id>',
  examples: ['bulk undo 3F2A9C01'],
  args: jobIdArgs,
  tier: 'read',
  scopes: [],
  requiresSignIn: true,
  card: 'teams-detail',
  run: (ctx, args) => jobsOf(ctx).undo(ctx, args.id),
});
