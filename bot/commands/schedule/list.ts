import { defineCommand } from '../types.js';
import { formatInstant, schedulesOf } from './_service.js';
import { noArgs } from '../_lib/args.js';

export default defineCommand({
  name: 'schedule list',
  aliases: ['schedules'],
  summary: 'Lists the scheduled reports of this conversation: when, next run, last run and its outcome, creator.',
  usage: 'schedule list',
  examples: ['schedule list'],
  args: noArgs,
  tier: 'read',
  scopes: [],
  async run(ctx) {
    const service = schedulesOf(ctx);
    const rows = service ? await service.inConversation(ctx.conversation.id) : [];
    const items = rows.map((r) => ({
      id: r.id,
      command: r.command_text,
      when: r.description,
      next: formatInstant(r.next_run_at, r.time_zone),
      last:
        r.last_run_at === null
          ? 'never run'
          : `${formatInstant(r.last_run_at, r.time_zone)} · ${r.last_outcome ?? ''}${r.last_detail && r.last_outcome === 'failed' ? ` · ${r.last_detail}` : ''}`,
      creator: r.created_by_upn,
      remove: `schedule remove ${r.id}`,
    }));
    const note = service?.configured
      ? `Reports run as the reports app (${service.appId}), read-only.`
      : 'Scheduled reports are not configured on this bot.';
    return {
      card: 'schedule-list',
      data: {
        title: 'Scheduled reports',
        subtitle: `${rows.length} in this conversation · ${note}`,
        empty: 'No scheduled reports here. Try: schedule add daily 08:00 "admins nomfa"',
        items,
      },
      text: rows.length
        ? `Scheduled reports: ${items.map((i) => `${i.id} ${i.command} (${i.when}; last: ${i.last})`).join('; ')}`
        : 'No scheduled reports in this conversation.',
    };
  },
});
