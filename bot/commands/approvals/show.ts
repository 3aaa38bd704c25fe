import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import { defineCommand } from '../types.js';
import { APPROVAL_ID, approvalsOf } from './_service.js';

export default defineCommand({
  name: 'approval',
  area: 'approvals',
  summary: 'Shows one approval request with the buttons you may use.',
  usage: 'approval <id>',
  examples: ['approval 3F2A9C01BD'],
  args: {
    positional: ['id'],
    schema: z.object({ id: z.string().regex(APPROVAL_ID, 'is not an approval id (10 characters, 0-9 A-F)') }).strict(),
  },
  tier: 'read',
  scopes: [],
  requiresSignIn: true,
  card: 'approval',
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
