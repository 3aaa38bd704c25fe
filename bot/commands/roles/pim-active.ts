import { z } from 'zod';
import { cursorArg, fetchListPage } from '../_lib/list.js';
import { listOutput } from '../_lib/list-card.js';
import { utcText } from '../_lib/time-args.js';
import { defineCommand } from '../types.js';
import { ASSIGNMENT_INSTANCES, instancesPathFor, isSelf, roleNameOf, type ScheduleInstance } from './_pim.js';
import { scopeText } from './_roles.js';
import { userArg } from '../_lib/args.js';

export default defineCommand({
  name: 'pim active',
  summary: 'The directory roles you (or a user) hold right now: permanent ones and PIM activations with their end.',
  usage: 'pim active [@me | user]',
  examples: ['pim active', 'pim active bob@contoso.onmicrosoft.com'],
  args: {
    positional: ['user'],
    schema: z.object({ user: userArg.optional(), ...cursorArg }).strict(),
  },
  tier: 'read',
  scopes: ['RoleAssignmentSchedule.Read.Directory', 'User.Read.All'],
  // A PIM-eligible admin comes here to activate their role: allowed without an active admin role.
  eligibleAdmins: true,
  async run(ctx, args) {
    const target = args.cursor
      ? { path: '', who: args.user ?? 'You', self: isSelf(args.user) }
      : await instancesPathFor(ctx, ASSIGNMENT_INSTANCES, args.user);
    const page = await fetchListPage<ScheduleInstance>(ctx, 'pim active', target.path, { cursor: args.cursor });
    return listOutput(page, {
      title: target.self ? 'Your active roles' : `Active roles of ${target.who}`,
      noun: 'active roles',
      empty: `${target.self ? 'You hold' : `${target.who} holds`} no directory role right now.`,
      row: (a) => {
        const activated = a.assignmentType === 'Activated';
        return {
          title: roleNameOf(a),
          detail: `${scopeText(a.directoryScopeId)} · ${activated ? `activated until ${utcText(a.endDateTime)}` : a.endDateTime ? `assigned until ${utcText(a.endDateTime)}` : 'permanent assignment'}`,
          badge: activated ? 'Activated' : 'Assigned',
          badgeColor: activated ? 'Warning' : 'Good',
          open: `role members "${roleNameOf(a)}"`,
        };
      },
    });
  },
});
