import { z } from 'zod';
import { CodedError, ErrorCode } from '../../errors.js';
import { assertCreatorCanRead } from '../../schedule/creator-check.js';
import { resolveScheduledCommand, NotSchedulableError } from '../../schedule/scheduled-command.js';
import { SCHEDULE_LIMITS } from '../../schedule/service.js';
import { nextRunAfter, parseScheduleSpec } from '../../schedule/timing.js';
import { sessionOf } from '../_lib/context.js';
import { defineCommand } from '../types.js';
import { catalogOf, formatInstant, notConfiguredOutput, schedulesOf } from './_service.js';
import { notice } from '../notice.js';

const schema = z
  .object({
    kind: z.string(),
    first: z.string().optional(),
    second: z.string().optional(),
    rest: z.string().optional(),
    tz: z.string().max(64).default('UTC'),
  })
  .strict()
  // Throws a UsageError naming the bad part (time, day, cron, too frequent, time zone): the usage card.
  .transform((v) =>
    parseScheduleSpec(
      v.kind,
      [v.first, v.second, v.rest].filter((w): w is string => w !== undefined),
      v.tz,
    ),
  );

export default defineCommand({
  name: 'schedule add',
  summary: 'Posts a read-only report here on a schedule, run as the read-only reports app (not as you).',
  usage: 'schedule add daily <HH:MM> | weekly <day> <HH:MM> | cron "<m h dom mon dow>"  "<command>" [--tz <zone>]',
  examples: [
    'schedule add daily 08:00 "admins nomfa"',
    'schedule add weekly mon 08:00 "licenses" --tz Europe/Paris',
    'schedule add cron "0 8 * * 1-5" "health"',
  ],
  // Three words keep a quoted cron pattern and a quoted command whole (a rest argument would re-join them).
  args: { positional: ['kind', 'first', 'second', 'rest...'], schema },
  // It changes what the bot does on the tenant's behalf from now on: the creator's fresh MFA, like any write.
  tier: 'write',
  scopes: [],
  async run(ctx, { timing, command: text }) {
    const service = schedulesOf(ctx);
    if (!service?.configured) return notConfiguredOutput();
    const session = sessionOf(ctx);
    if (session.app) throw new NotSchedulableError('A scheduled report cannot create schedules.');
    const { command, args } = resolveScheduledCommand(catalogOf(ctx), text);
    const count = await service.countInConversation(ctx.conversation.id);
    if (count >= SCHEDULE_LIMITS.perConversation) {
      throw new NotSchedulableError(
        `This conversation already has ${count} schedules (at most ${SCHEDULE_LIMITS.perConversation}). Remove ` +
          `one first (schedule list). Nothing was stored.`,
      );
    }
    const now = service.now();
    const next = nextRunAfter(timing, now);
    if (next === undefined) throw new CodedError(ErrorCode.Usage, 'This schedule never runs.');
    // The app's permissions know no admin role: the creator must be able to read this report with their own.
    await assertCreatorCanRead(ctx, command, args);
    const row = await service.create({
      tenantId: session.tenantId,
      conversationId: ctx.conversation.id,
      address: ctx.address,
      commandName: command.name,
      commandText: text,
      cron: timing.cron,
      timeZone: timing.timeZone,
      description: timing.description,
      createdByAadId: session.oid,
      createdByUpn: session.upn.toLowerCase(),
      nextRunAt: next,
    });
    await ctx.services.audit?.append({
      actorAadId: session.oid,
      actorUpn: session.upn.toLowerCase(),
      conversationId: ctx.conversation.id,
      action: 'schedule.add',
      command: command.name,
      args: { schedule: row.id, command: text, when: timing.description, cron: timing.cron, appId: service.appId },
      tier: 'write',
      mfa: session.mfa,
      outcome: 'created',
    });
    const message =
      `Schedule ${row.id}: "${text}" · ${timing.description}. Next run: ${formatInstant(next, timing.timeZone)}. ` +
      `You can read it yourself (checked just now with your sign-in). It runs as the reports app (read-only ` +
      `application permissions, no user token), ` +
      `only while you still hold an admin role, and posts its card in this conversation.`;
    return notice('Report scheduled', message, {
      actions: [{ title: 'Schedules', command: 'schedule list' }],
      text: message,
    });
  },
});
