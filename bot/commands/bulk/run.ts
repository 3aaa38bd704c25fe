import { sessionOf } from '../_lib/context.js';
import { defineCommand } from '../types.js';
import { jobIdArgs, jobsOf } from './_target.js';

export default defineCommand({
  name: 'bulk run',
  summary: 'Runs or resumes a bulk job.',
  usage: 'bulk run <job id>',
  examples: ['bulk run 3F2A9C01'],
  args: jobIdArgs,
  // A write: fresh MFA. The job runs later, chunk by chunk, under this admin's delegated sign-in.
  tier: 'write',
  scopes: [],
  async run(ctx, args) {
    sessionOf(ctx);
    return jobsOf(ctx).start(ctx, args.id);
  },
});
