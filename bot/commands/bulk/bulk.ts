import { z } from 'zod';
import { defineCommand } from '../types.js';
import { CHANGES } from './_changes.js';
import { ONE_TARGET, TARGET_USAGE, jobsOf, oneTarget, targetFlags, targetOf } from './_target.js';

const JOB_ID = /^[0-9A-Fa-f]{8}$/;
const VIEWS = ['show', 'report', 'undo', 'pause', 'cancel'] as const;

/**
 * Bulk changes and their jobs. A change (`policy`, `license`, `user`) resolves its target and answers with the
 * what-if preview — nothing changes until `bulk run` (a write: fresh MFA; large sets and blocks need approval
 * through `bulk approve-run`). One descriptor for all of them keeps the help card within Teams' size limit.
 */
export default defineCommand({
  name: 'bulk',
  summary: 'Changes for many users (preview first), and their jobs.',
  usage:
    `bulk policy grant|revoke <type> ["<name>"] | license assign|remove <sku> | user revoke|block|unblock  ` +
    `${TARGET_USAGE}  ·  bulk list | show|report|undo|pause|cancel <job id>`,
  examples: [
    'bulk policy grant TeamsMeetingPolicy "AllOn" --group "Sales"',
    `bulk user revoke --filter "department eq 'Finance'"`,
    'bulk license assign ENTERPRISEPACK --users alice@contoso.com,bob@contoso.com',
    'bulk show 3F2A9C01',
  ],
  args: {
    positional: ['what', 'action', 'first', 'second'],
    schema: z
      .object({
        what: z.enum(['policy', 'license', 'user', 'list', ...VIEWS]),
        action: z.string().trim().max(300).optional(),
        first: z.string().trim().max(300).optional(),
        second: z.string().trim().max(300).optional(),
        ...targetFlags,
      })
      .strict()
      .refine((a) => !(a.what in CHANGES) || oneTarget(a), ONE_TARGET)
      .refine((a) => a.what in CHANGES || (a.group ?? a.filter ?? a.users) === undefined, {
        message: 'only changes (policy, license, user) take a target',
        path: ['group'],
      })
      .refine(
        (a) =>
          a.what in CHANGES ||
          (a.what === 'list' ? a.action === undefined : JOB_ID.test(a.action ?? '') && a.first === undefined),
        { message: 'name one job id such as 3F2A9C01 (see "bulk list")', path: ['action'] },
      ),
  },
  tier: 'read',
  scopes: [
    'TeamsPolicyUserAssign.ReadWrite.All',
    'TeamsUserConfiguration.Read.All',
    'LicenseAssignment.ReadWrite.All',
    'User.RevokeSessions.All',
    'User.EnableDisableAccount.All',
    'User.Read.All',
    'GroupMember.Read.All',
  ],
  async run(ctx, args) {
    const jobs = jobsOf(ctx);
    const id = args.action ?? '';
    switch (args.what) {
      case 'policy':
      case 'license':
      case 'user':
        return CHANGES[args.what](ctx, args, targetOf(args));
      case 'list':
        return jobs.list(ctx);
      case 'show':
        return jobs.show(ctx, id);
      case 'report':
        return jobs.report(ctx, id);
      case 'undo':
        return jobs.undo(ctx, id);
      case 'pause':
      case 'cancel':
        return jobs.control(ctx, id, args.what);
    }
  },
});
