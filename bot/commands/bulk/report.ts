import { defineCommand } from '../types.js';
import { jobIdArgs, jobsOf } from './_target.js';

export default defineCommand({
  name: 'bulk report',
  area: 'bulk',
  summary: 'The per-user results of a bulk job as CSV (UPN, id, before, after, outcome, Graph code, request-id).',
  usage: 'bulk report <job id>',
  examples: ['bulk report 3F2A9C01'],
  args: jobIdArgs,
  tier: 'read',
  scopes: [],
  requiresSignIn: true,
  card: 'notice',
  run: (ctx, args) => jobsOf(ctx).report(ctx, args.id),
});
