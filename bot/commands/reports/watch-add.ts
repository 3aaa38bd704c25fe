import { z } from 'zod';
import { CodedError, ErrorCode } from '../../errors.js';
import { parseScheduleSpec } from '../../schedule/timing.js';
import { defineCommand } from '../types.js';
import { WATCH_CHECK, watchedReport } from './_watch.js';

/**
 * A watch is a schedule (bot/schedule/) whose command is `watch check "<report>"`: the same scheduler, creator
 * re-check, reports app and audit; only what it posts differs (changes since the last run, else nothing).
 */
export default defineCommand({
  name: 'watch add',
  summary: 'Watches a report and posts here only when it changes.',
  usage: 'watch add "<report>" [daily <HH:MM> | weekly <day> <HH:MM>] [--tz <zone>]',
  examples: ['watch add "mfa report"', 'watch add "admins report" daily 07:30 --tz Europe/Paris'],
  args: {
    positional: ['report', 'kind', 'first', 'second'],
    schema: z
      .object({
        report: z.string().min(1).max(200),
        kind: z.enum(['daily', 'weekly']).default('daily'),
        first: z.string().optional(),
        second: z.string().optional(),
        tz: z.string().max(64).default('UTC'),
      })
      .strict(),
  },
  // Like schedule add: it makes the bot act on the tenant's behalf from now on, so the creator's fresh MFA.
  tier: 'write',
  scopes: [],
  async run(ctx, args) {
    watchedReport(ctx, args.report);
    const when = [args.first ?? (args.kind === 'daily' ? '07:00' : ''), args.second].filter(
      (w): w is string => w !== undefined && w !== '',
    );
    const check = `${WATCH_CHECK} "${args.report.replace(/"/g, "'")}"`;
    const spec = parseScheduleSpec(args.kind, [...when, check], args.tz);
    const scheduleAdd = ctx.services.registry.find('schedule add');
    if (!scheduleAdd) throw new CodedError(ErrorCode.Internal, 'Schedules are not available on this bot.');
    // schedule add checks the creator can read the report, stores the schedule and audits it.
    const added = await scheduleAdd.run(ctx, spec);
    if (added.data.title !== 'Report scheduled') return added;
    const message =
      `Watching "${args.report}" (${spec.timing.description}): each run is compared with the last, and I post here ` +
      `only what changed. ${String(added.data.message)}`;
    return {
      card: 'notice',
      data: { title: 'Watch added', message, actions: [{ title: 'Watches', command: 'watch list' }] },
      text: message,
    };
  },
});
