import { defineCommand } from '../types.js';
import { jobIdArgs, jobsOf } from './_target.js';

export default defineCommand({
  name: 'bulk pause',
  area: 'bulk',
  summary: 'Pauses a running bulk job after its chunk in flight (requester or approver; audited).',
  usage: 'bulk pause <job id>',
  examples: ['bulk pause 3F2A9C01'],
  args: jobIdArgs,
  tier: 'read',
  scopes: [],
  requiresSignIn: true,
  card: 'notice',
  run: (ctx, args) => jobsOf(ctx).control(ctx, args.id, 'pause'),
});
