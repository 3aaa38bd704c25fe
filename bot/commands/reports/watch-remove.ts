import { z } from 'zod';
import { CodedError, ErrorCode, NotFoundError } from '../../errors.js';
import { defineCommand } from '../types.js';
import { WATCH_CHECK, dropSnapshot } from './_watch.js';

export default defineCommand({
  name: 'watch remove',
  summary: 'Stops a watch.',
  usage: 'watch remove <id>',
  examples: ['watch remove 4F2A9C01'],
  args: {
    positional: ['id'],
    schema: z
      .object({ id: z.string().regex(/^[0-9a-fA-F]{8}$/, 'is not a watch id (8 hex digits, see watch list)') })
      .strict(),
  },
  tier: 'write',
  scopes: [],
  async run(ctx, args) {
    const row = await ctx.services.schedules?.get(args.id);
    if (!row || row.command_name !== WATCH_CHECK)
      throw new NotFoundError(`There is no watch ${args.id.toUpperCase()}.`);
    const scheduleRemove = ctx.services.registry.find('schedule remove');
    if (!scheduleRemove) throw new CodedError(ErrorCode.Internal, 'Schedules are not available on this bot.');
    // schedule remove checks the tenant, removes and audits.
    const removed = await scheduleRemove.run(ctx, { id: row.id });
    await dropSnapshot(ctx, row.id);
    return removed;
  },
});
