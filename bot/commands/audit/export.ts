import { exportAuditToBuffers } from '../../audit/export.js';
import { CodedError, ErrorCode } from '../../errors.js';
import { noArgs } from '../_lib/args.js';
import { fileOutcomeText, offerFiles } from '../_lib/offer-file.js';
import { notice } from '../notice.js';
import { defineCommand } from '../types.js';

export default defineCommand({
  name: 'audit export',
  summary: 'Sends the whole audit chain as JSON Lines and CSV files (file cards in a 1:1 chat).',
  usage: 'audit export',
  examples: ['audit export'],
  args: noArgs,
  tier: 'read',
  scopes: [],
  async run(ctx) {
    const { audit } = ctx.services;
    if (!audit) throw new CodedError(ErrorCode.Internal, 'The audit log is not configured.');
    // Files go only to a 1:1 chat; in a group nothing is read, the admin is asked to come to a 1:1 chat.
    if (ctx.address.kind !== 'personal') {
      return notice('Audit export', fileOutcomeText('needs-personal-chat', 'The audit export', 'audit export'));
    }
    const result = await exportAuditToBuffers(audit);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const description = `Audit chain, ${result.records} records in chain order with their hashes`;
    const outcome = await offerFiles(ctx, [
      { name: `audit-${stamp}.jsonl`, contentType: 'application/x-ndjson', content: result.jsonl, description },
      { name: `audit-${stamp}.csv`, contentType: 'text/csv', content: result.csv, description },
    ]);
    const message = fileOutcomeText(
      outcome,
      `The audit export (${result.records} records, JSON Lines and CSV)`,
      'audit export',
    );
    return notice('Audit export', message, {
      actions: [{ title: 'Verify the chain', command: 'audit verify' }],
      text: message,
    });
  },
});
