import { z } from 'zod';
import { UsageError } from '../../errors.js';
import { graphOf } from '../_lib/context.js';
import { runLookups } from '../_lib/batch-lookup.js';
import { fetchSkus, findSku } from '../licenses/_skus.js';
import type { BulkParams, BulkTarget } from '../ports-jobs.js';
import type { CommandContext, CommandOutput } from '../types.js';
import { policyIdLookup, policyNameArg, policyTypeArg } from '../voice/_policy.js';
import { jobsOf } from './_target.js';

/** The words after `bulk <what>`: an action and up to two values, as typed (quotes already taken off). */
export interface ChangeWords {
  action?: string;
  first?: string;
  second?: string;
}

function parse<T>(schema: z.ZodType<T>, words: ChangeWords, usage: string): T {
  const result = schema.safeParse(words);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new UsageError(`${usage}: ${String(issue.path[0] ?? 'arguments')} ${issue.message}.`, 'bulk', 'what');
}

/** `bulk policy grant <type> "<name>"` / `bulk policy revoke <type>`: Teams policy assign / unassign. */
async function policy(ctx: CommandContext, words: ChangeWords, target: BulkTarget): Promise<CommandOutput> {
  const args = parse(
    z.discriminatedUnion('action', [
      z.object({ action: z.literal('grant'), first: policyTypeArg, second: policyNameArg }),
      z.object({ action: z.literal('revoke'), first: policyTypeArg, second: z.undefined() }),
    ]),
    words,
    'bulk policy grant <type> "<name>" | bulk policy revoke <type>',
  );
  if (args.action === 'revoke') {
    return jobsOf(ctx).prepare(ctx, {
      verb: `policy revoke ${args.first}`,
      params: { family: 'policy', action: 'revoke', policyType: args.first, desired: 'none' },
      target,
    });
  }
  const [found] = await runLookups(graphOf(ctx), policyIdLookup(args.first, args.second));
  return jobsOf(ctx).prepare(ctx, {
    verb: `policy grant ${args.first} "${found.name}"`,
    params: {
      family: 'policy',
      action: 'grant',
      policyType: args.first,
      policyName: found.name,
      desired: `direct:${found.policyId}:${found.name}`,
    },
    target,
  });
}

/** `bulk license assign|remove <sku>`; removal always needs a second admin (mailboxes and data go after grace). */
async function license(ctx: CommandContext, words: ChangeWords, target: BulkTarget): Promise<CommandOutput> {
  const args = parse(
    z.object({
      action: z.enum(['assign', 'remove']),
      first: z.string().trim().min(1).max(100),
      second: z.undefined(),
    }),
    words,
    'bulk license assign|remove <sku>',
  );
  const assign = args.action === 'assign';
  const sku = findSku(await fetchSkus(graphOf(ctx)), args.first, 'in this tenant');
  return jobsOf(ctx).prepare(ctx, {
    verb: `license ${args.action} ${sku.skuPartNumber}`,
    params: {
      family: 'license',
      action: args.action,
      skuId: sku.skuId,
      skuName: sku.skuPartNumber,
      desired: assign ? 'assigned' : 'unassigned',
    },
    target,
    dangerous: !assign,
  });
}

const USER_ACTIONS: Record<'revoke' | 'block' | 'unblock', { verb: string; params: BulkParams }> = {
  // Incident response: sign a whole group out everywhere.
  revoke: {
    verb: 'user revoke (sign out everywhere)',
    params: { family: 'sessions', action: 'revoke', desired: 'revoked' },
  },
  block: { verb: 'user block', params: { family: 'account', action: 'block', desired: 'disabled' } },
  unblock: { verb: 'user unblock', params: { family: 'account', action: 'unblock', desired: 'enabled' } },
};

/** `bulk user revoke|block|unblock`; block always needs a second admin. */
async function user(ctx: CommandContext, words: ChangeWords, target: BulkTarget): Promise<CommandOutput> {
  const args = parse(
    z.object({ action: z.enum(['revoke', 'block', 'unblock']), first: z.undefined(), second: z.undefined() }),
    words,
    'bulk user revoke|block|unblock',
  );
  return jobsOf(ctx).prepare(ctx, { ...USER_ACTIONS[args.action], target, dangerous: args.action === 'block' });
}

export const CHANGES = { policy, license, user };
