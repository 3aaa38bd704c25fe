import { markdown } from '../../cards/plain-text.js';
import { join } from 'node:path';
import { exportAudit } from '../../audit/export.js';
import { CodedError, ErrorCode } from '../../errors.js';
import { defineCommand } from '../types.js';
import { noArgs } from '../_lib/args.js';

export default defineCommand({
  name: 'audit export',
  summary: "Writes the whole audit chain to JSON Lines and CSV files in the bot's data folder.",
  usage: 'audit export',
  examples: ['audit export'],
  args: noArgs,
  tier: 'read',
  scopes: [],
  async run(ctx) {
    const { audit, dataDir } = ctx.services;
    if (!audit || !dataDir) throw new CodedError(ErrorCode.Internal, 'The audit log is not configured.');
    const result = await exportAudit(audit, join(dataDir, 'audit-exports'));
    return {
      card: 'notice',
      data: {
        title: 'Audit exported',
        message: markdown`${result.records} records, in chain order with their hashes, written to:\n\n- ${result.jsonl}\n- ${result.csv}`,
        actions: [{ title: 'Verify the chain', command: 'audit verify' }],
      },
      text: `Audit exported: ${result.records} records to ${result.jsonl} and ${result.csv}.`,
    };
  },
});
