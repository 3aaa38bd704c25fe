import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import { defineCommand } from '../types.js';
import { approvalIdArg, approvalsOf } from './_service.js';

export default defineCommand({
  name: 'approval',
  summary: 'Shows one approval request with the buttons you may use.',
  usage: 'approval <id>',
  examples: ['approval 3F2A9C01BD'],
  args: {
    positional: ['id'],
    schema: z.object({ id: approvalIdArg }).strict(),
  },
  tier: 'read',
  scopes: [],
  async run(ctx, args) {
    const view = await approvalsOf(ctx).viewFor(
      args.id.toUpperCase(),
      { aadObjectId: ctx.session?.oid, tenantId: ctx.session?.tenantId },
      ctx.session?.roleTemplateIds,
    );
    if (!view) throw new NotFoundError(`There is no approval request ${args.id}.`);
    return view;
  },
});
