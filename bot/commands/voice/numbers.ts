import { z } from 'zod';
import { odataLiteral, withQuery } from '../../graph/odata.js';
import { cursorArg, fetchListPage } from '../_lib/list.js';
import { listOutput } from '../_lib/list-card.js';
import { defineCommand } from '../types.js';
import { NUMBERS_BASE, type NumberAssignment } from './_numbers.js';

const PAGE_SIZE = 25;

function badge(n: NumberAssignment): { badge: string; badgeColor: string } {
  if (n.activationState && n.activationState !== 'activated')
    return { badge: n.activationState, badgeColor: 'Warning' };
  if (n.assignmentStatus === 'unassigned') return { badge: 'Free', badgeColor: 'Good' };
  return { badge: n.assignmentStatus ?? 'unknown', badgeColor: 'Accent' };
}

export default defineCommand({
  name: 'phone numbers',
  summary: "Lists the tenant's telephone numbers (25 per page): type, place, who has them; --unassigned for free ones.",
  usage: 'phone numbers [+number or prefix] [--unassigned]',
  examples: ['phone numbers', 'phone numbers --unassigned', 'phone numbers +1425555'],
  args: {
    positional: ['number'],
    schema: z
      .object({
        number: z
          .string()
          .trim()
          .regex(/^\+?\d{1,15}$/, 'is a phone number or its first digits, e.g. +1425555')
          .optional(),
        unassigned: z.boolean().optional(),
        ...cursorArg,
      })
      .strict(),
  },
  tier: 'read',
  scopes: ['TeamsTelephoneNumber.Read.All'],
  // Works app-only (no /me, nothing of the admin's session): may run as the reports app (schedule add).
  schedulable: { appScopes: ['TeamsTelephoneNumber.Read.All'] },
  async run(ctx, args) {
    const prefix = args.number ? (args.number.startsWith('+') ? args.number : `+${args.number}`) : undefined;
    const filters = [
      args.unassigned ? "assignmentStatus eq 'unassigned'" : undefined,
      prefix ? `startswith(telephoneNumber,${odataLiteral(prefix)})` : undefined,
    ].filter(Boolean);
    const path = withQuery(NUMBERS_BASE, {
      $filter: filters.length ? filters.join(' and ') : undefined,
      $select: [
        'telephoneNumber',
        'numberType',
        'assignmentStatus',
        'activationState',
        'assignmentTargetId',
        'assignmentCategory',
        'city',
        'isoCountryCode',
        'locationId',
      ],
      $top: PAGE_SIZE,
    });
    const page = await fetchListPage<NumberAssignment>(ctx, 'phone numbers', path, { cursor: args.cursor });
    const what = `${args.unassigned ? 'Unassigned' : 'Telephone'} numbers${prefix ? ` starting ${prefix}` : ''}`;
    return listOutput(page, {
      title: what,
      noun: 'numbers',
      empty: args.unassigned
        ? 'No free numbers match: acquire or port numbers in the Teams admin center.'
        : 'No telephone numbers match.',
      row: (n) => ({
        title: n.telephoneNumber,
        detail: [
          n.numberType,
          n.city ?? n.isoCountryCode,
          n.assignmentTargetId ? `user ${n.assignmentTargetId}` : undefined,
          n.assignmentCategory,
        ]
          .filter(Boolean)
          .join(' · '),
        ...badge(n),
        open: n.assignmentTargetId ? `teams config ${n.assignmentTargetId}` : `phone numbers ${n.telephoneNumber}`,
      }),
    });
  },
});
