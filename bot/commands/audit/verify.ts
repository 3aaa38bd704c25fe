import { CodedError, ErrorCode } from '../../errors.js';
import { defineCommand } from '../types.js';
import { notice } from '../notice.js';
import { noArgs } from '../_lib/args.js';

export default defineCommand({
  name: 'audit verify',
  summary: 'Recomputes the audit hash chain and names the first record that was changed or removed.',
  usage: 'audit verify',
  examples: ['audit verify'],
  args: noArgs,
  tier: 'read',
  scopes: [],
  async run(ctx) {
    const audit = ctx.services.audit;
    if (!audit) throw new CodedError(ErrorCode.Internal, 'The audit log is not configured.');
    const result = await audit.verify();
    if (result.ok) {
      return notice('Audit chain intact', `All ${result.records} records link up and match their hashes.`, {
        text: `Audit chain intact: ${result.records} records verified.`,
      });
    }
    return notice(
      '⚠ Audit chain broken',
      `Record #${result.brokenSeq} fails verification: ${result.reason}. Records before it are intact. Treat ` +
        `everything from #${result.brokenSeq} on as suspect and investigate.`,
      { text: `Audit chain broken at record #${result.brokenSeq}: ${result.reason}.` },
    );
  },
});
