import { z } from 'zod';
import { formatInstant } from '../../schedule/report-card.js';
import { defineCommand } from '../types.js';
import { WATCH_CHECK } from './_watch.js';

export default defineCommand({
  name: 'watch list',
  aliases: ['watches'],
  summary: 'Lists the watched reports of this conversation.',
  usage: 'watch list',
  examples: ['watch list'],
  args: { positional: [], schema: z.object({}).strict() },
  tier: 'read',
  scopes: [],
  async run(ctx) {
    const service = ctx.services.schedules;
    const rows = (service ? await service.inConversation(ctx.conversation.id) : []).filter(
      (r) => r.command_name === WATCH_CHECK,
    );
    const items = rows.map((r) => ({
      id: r.id,
      command: r.command_text.slice(WATCH_CHECK.length).trim().replace(/^"|"$/g, ''),
      when: r.description,
      next: formatInstant(r.next_run_at, r.time_zone),
      last:
        r.last_run_at === null
          ? 'never run'
          : `${formatInstant(r.last_run_at, r.time_zone)} · ${r.last_outcome ?? ''}${r.last_detail ? ` · ${r.last_detail}` : ''}`,
      creator: r.created_by_upn,
      remove: `watch remove ${r.id}`,
    }));
    return {
      card: 'schedule-list',
      data: {
        title: 'Watched reports',
        subtitle: `${rows.length} in this conversation · they post only when something changes`,
        empty: 'No watches here. Try: watch add "mfa report"',
        items,
      },
      text: rows.length
        ? `Watches: ${items.map((i) => `${i.id} ${i.command} (${i.when}; last: ${i.last})`).join('; ')}`
        : 'No watches in this conversation.',
    };
  },
});
