import { z } from 'zod';
import { CodedError, ErrorCode } from '../../errors.js';
import type { BulkJobs, BulkTarget } from '../ports-jobs.js';
import type { CommandContext, CommandOutput } from '../types.js';

const text = z.string().trim().min(1).max(1000);

/** The target options every bulk change takes: exactly one of --group, --filter, --users. */
export const targetFlags = {
  group: text.optional(),
  filter: text.optional(),
  // A message holds at most 2,000 characters, so about 50 UPNs; larger sets are a group or a filter.
  users: z.string().trim().min(1).max(2000).optional(),
};

export const TARGET_USAGE = '--group "<name or id>" | --filter "<OData on users>" | --users a@x,b@x';

type TargetFlags = { group?: string; filter?: string; users?: string };

/** Refinement for a command's schema (its own fields + `targetFlags`): exactly one target is given. */
export function oneTarget(a: TargetFlags): boolean {
  return [a.group, a.filter, a.users].filter((v) => v !== undefined).length === 1;
}

export const ONE_TARGET = { message: `name the users with exactly one of ${TARGET_USAGE}`, path: ['group'] };

export function targetOf(args: TargetFlags): BulkTarget {
  if (args.group !== undefined) return { kind: 'group', group: args.group };
  if (args.filter !== undefined) return { kind: 'filter', filter: args.filter };
  return { kind: 'users', users: (args.users ?? '').split(/[,;\s]+/).filter(Boolean) };
}

export function jobsOf(ctx: CommandContext): BulkJobs<CommandContext, CommandOutput> {
  if (!ctx.services.jobs) throw new CodedError(ErrorCode.Internal, 'Bulk jobs are not available on this bot.');
  return ctx.services.jobs;
}

/** `bulk show <id>` and friends: a job id is 8 hex digits. */
export const jobIdArgs = {
  positional: ['id'],
  schema: z
    .object({
      id: z
        .string()
        .trim()
        .regex(/^[0-9A-Fa-f]{8}$/, 'is a job id such as 3F2A9C01 (see "bulk list")'),
    })
    .strict(),
};
