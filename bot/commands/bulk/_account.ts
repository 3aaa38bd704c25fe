import { z } from 'zod';
import type { BulkParams } from '../ports-jobs.js';
import type { CommandContext, CommandOutput } from '../types.js';
import { ONE_TARGET, jobsOf, oneTarget, targetFlags, targetOf } from './_target.js';

export const targetOnlyArgs = {
  positional: [],
  schema: z.object(targetFlags).strict().refine(oneTarget, ONE_TARGET),
};

export function prepareUserJob(
  ctx: CommandContext,
  args: z.infer<typeof targetOnlyArgs.schema>,
  verb: string,
  params: BulkParams,
  dangerous = false,
): Promise<CommandOutput> {
  return jobsOf(ctx).prepare(ctx, { verb, params, target: targetOf(args), dangerous });
}
