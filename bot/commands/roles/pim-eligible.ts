import { z } from 'zod';
import { cursorArg, fetchListPage } from '../_lib/list.js';
import { listOutput } from '../_lib/list-card.js';
import { utcText } from '../_lib/time-args.js';
import { defineCommand } from '../types.js';
import { ELIGIBILITY_INSTANCES, instancesPathFor, isSelf, roleNameOf, type ScheduleInstance } from './_pim.js';
import { scopeText } from './_roles.js';
import { userArg } from '../_lib/args.js';

export default defineCommand({
  name: 'pim eligible',
  summary: 'The directory roles you (or a user) may activate through Privileged Identity Management.',
  usage: 'pim eligible [@me | user]',
  examples: ['pim eligible', 'pim eligible bob@contoso.onmicrosoft.com'],
  args: {
    positional: ['user'],
    schema: z.object({ user: userArg.optional(), ...cursorArg }).strict(),
  },
  tier: 'read',
  scopes: ['RoleEligibilitySchedule.Read.Directory', 'User.Read.All'],
  // A PIM-eligible admin comes here to activate their role: allowed without an active admin role.
  eligibleAdmins: true,
  async run(ctx, args) {
    const target = args.cursor
      ? { path: '', who: args.user ?? 'You', self: isSelf(args.user) }
      : await instancesPathFor(ctx, ELIGIBILITY_INSTANCES, args.user);
    const page = await fetchListPage<ScheduleInstance>(ctx, 'pim eligible', target.path, { cursor: args.cursor });
    const who = target.self ? 'you' : target.who;
    return listOutput(page, {
      title: target.self ? 'Roles you can activate' : `Roles ${target.who} can activate`,
      noun: 'eligible roles',
      empty: `PIM has no eligible role for ${who}.`,
      row: (e) => ({
        title: roleNameOf(e),
        detail: `${scopeText(e.directoryScopeId)} · eligible ${e.endDateTime ? `until ${utcText(e.endDateTime)}` : 'with no end date'}`,
        badge: 'Eligible',
        badgeColor: 'Accent',
        open: `role members "${roleNameOf(e)}"`,
      }),
    });
  },
});
