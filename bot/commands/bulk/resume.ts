import { defineCommand } from '../types.js';
import { jobIdArgs, jobsOf } from './_target.js';

export default defineCommand({
  name: 'bulk resume',
  area: 'bulk',
  summary: 'Resumes a paused bulk job from its first unfinished chunk (requester or approver; audited).',
  usage: 'bulk resume <job id>',
  examples: ['bulk resume 3F2A9C01'],
  args: jobIdArgs,
  tier: 'write',
  scopes: [],
  requiresSignIn: true,
  card: 'notice',
  run: (ctx, args) => jobsOf(ctx).control(ctx, args.id, 'resume'),
});
