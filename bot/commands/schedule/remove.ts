import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import { sessionOf } from '../_lib/context.js';
import { defineCommand } from '../types.js';
import { schedulesOf } from './_service.js';
import { notice } from '../notice.js';

export default defineCommand({
  name: 'schedule remove',
  summary: 'Removes a scheduled report (its creator or any admin); nothing runs for it afterwards.',
  usage: 'schedule remove <id>',
  examples: ['schedule remove 4F2A9C01'],
  args: {
    positional: ['id'],
    schema: z
      .object({ id: z.string().regex(/^[0-9a-fA-F]{8}$/, 'is not a schedule id (8 hex digits, see schedule list)') })
      .strict(),
  },
  // Changes what the bot does on the tenant's behalf: audited, and the same fresh MFA as creating one.
  tier: 'write',
  scopes: [],
  async run(ctx, args) {
    const session = sessionOf(ctx);
    const service = schedulesOf(ctx);
    const row = await service?.get(args.id);
    // Schedules of another tenant do not exist for this admin.
    if (!service || !row || row.tenant_id !== session.tenantId)
      throw new NotFoundError(`There is no schedule ${args.id.toUpperCase()}.`);
    const removed = await service.remove(row.id);
    await ctx.services.audit?.append({
      actorAadId: session.oid,
      actorUpn: session.upn.toLowerCase(),
      conversationId: ctx.conversation.id,
      action: 'schedule.remove',
      command: row.command_name,
      args: { schedule: row.id, command: row.command_text, when: row.description, createdBy: row.created_by_upn },
      tier: 'write',
      mfa: session.mfa,
      outcome: removed ? 'removed' : 'no effect: already removed',
    });
    const by = row.created_by_upn === session.upn.toLowerCase() ? '' : ` (created by ${row.created_by_upn})`;
    const message = removed
      ? `Schedule ${row.id} ("${row.command_text}", ${row.description})${by} is removed; it will not run again.`
      : `Schedule ${row.id} was already removed.`;
    return notice('Schedule removed', message, {
      actions: [{ title: 'Schedules', command: 'schedule list' }],
      text: message,
    });
  },
});
