import { z } from 'zod';
import { graphOf } from '../_lib/context.js';
import { fetchSkus, findSku } from '../licenses/_skus.js';
import type { CommandContext, CommandOutput } from '../types.js';
import { ONE_TARGET, jobsOf, oneTarget, targetFlags, targetOf } from './_target.js';

export const licenseArgs = {
  positional: ['sku'],
  schema: z
    .object({ sku: z.string().trim().min(1, 'name a license (part number or skuId)').max(100), ...targetFlags })
    .strict()
    .refine(oneTarget, ONE_TARGET),
};

/** Resolves the SKU among the tenant's subscriptions, then previews the job. */
export async function prepareLicenseJob(
  ctx: CommandContext,
  args: z.infer<typeof licenseArgs.schema>,
  assign: boolean,
): Promise<CommandOutput> {
  const sku = findSku(await fetchSkus(graphOf(ctx)), args.sku, 'in this tenant');
  return jobsOf(ctx).prepare(ctx, {
    verb: `license ${assign ? 'assign' : 'remove'} ${sku.skuPartNumber}`,
    params: {
      family: 'license',
      action: assign ? 'assign' : 'remove',
      skuId: sku.skuId,
      skuName: sku.skuPartNumber,
      desired: assign ? 'assigned' : 'unassigned',
    },
    target: targetOf(args),
    // Removing licenses can delete mailboxes and data after the grace period: always a second admin.
    dangerous: !assign,
  });
}
