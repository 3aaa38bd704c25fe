import { CodedError, ErrorCode } from '../../errors.js';
import { defineCommand } from '../types.js';
import { jobIdArgs, jobsOf } from './_target.js';

export default defineCommand({
  name: 'bulk approve-run',
  summary: 'Asks approval to run a large bulk job.',
  usage: 'bulk approve-run <job id> --reason "<why>"',
  examples: ['bulk approve-run 3F2A9C01 --reason "Meeting policy roll-out, change CHG0042"'],
  args: jobIdArgs,
  // Dangerous: MFA within 5 minutes, a justification, and a second admin's approval before `run` is called (as the
  // requester, by the approval service).
  tier: 'dangerous',
  scopes: [],
  async run(ctx, args) {
    const approver = await approverOf(ctx, args.id);
    return jobsOf(ctx).start(ctx, args.id, { approverUpn: approver });
  },
});

/** The admin who approved this run: the approval being executed now for exactly these arguments. */
async function approverOf(ctx: Parameters<Parameters<typeof defineCommand>[0]['run']>[0], id: string): Promise<string> {
  const row = await ctx.services.store?.db
    .selectFrom('approvals')
    .select(['decided_by_upn'])
    .where('command_name', '=', 'bulk approve-run')
    .where('status', '=', 'executing')
    .where('args', '=', JSON.stringify({ id }))
    .where('requester_aad_id', '=', ctx.session?.oid ?? '')
    .orderBy('updated_at', 'desc')
    .executeTakeFirst();
  if (!row?.decided_by_upn)
    throw new CodedError(ErrorCode.ApprovalRequired, `Job ${id} runs only once a second admin has approved it.`);
  return row.decided_by_upn;
}
