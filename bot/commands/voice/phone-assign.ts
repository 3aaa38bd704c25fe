import { z } from 'zod';
import { runLookups } from '../_lib/batch-lookup.js';
import { userLookup } from '../_lib/users.js';
import { graphOf } from '../_lib/context.js';
import { detailOutput } from '../_lib/detail-card.js';
import { userKey, userLabel } from '../_lib/user-target.js';
import { VOICE_WRITER_ROLES } from '../_lib/teams-roles.js';
import { defineCommand } from '../types.js';
import { NUMBER_TYPES, e164Arg, numberLookup, placeNumberOrder } from './_numbers.js';
import { userArg } from '../_lib/args.js';

export default defineCommand({
  name: 'phone assign',
  summary: 'Assigns a telephone number to a user (like Set-CsPhoneNumberAssignment); Graph runs it as an order.',
  usage:
    'phone assign <user> <+E.164 number> --type callingPlan|directRouting|operatorConnect [--location <emergency ' +
    'location id>]',
  examples: [
    'phone assign alice@contoso.onmicrosoft.com +14255550102 --type callingPlan',
    'phone assign "Bob Berg" +14255550104 --type directRouting',
  ],
  args: {
    positional: ['user', 'number'],
    schema: z
      .object({
        user: userArg,
        number: e164Arg,
        type: z.enum(NUMBER_TYPES, { errorMap: () => ({ message: `is one of ${NUMBER_TYPES.join(', ')}` }) }),
        location: z
          .string()
          .trim()
          .regex(/^[0-9a-fA-F-]{36}$/, 'is an emergency location id (a GUID)')
          .optional(),
      })
      .strict(),
  },
  tier: 'write',
  roles: VOICE_WRITER_ROLES,
  scopes: ['TeamsTelephoneNumber.ReadWrite.All', 'User.Read.All'],
  async run(ctx, args) {
    const graph = graphOf(ctx);
    // Trip 1, one $batch: the user and the number as it is now. Trip 2: the order. Then a few polls of the order.
    const [user, number] = await runLookups(graph, userLookup(args.user), numberLookup(args.number));
    const facts = [
      { title: 'Number', value: args.number },
      { title: 'User', value: userLabel(user) },
      { title: 'Type', value: args.type },
    ];
    const configAction = { title: 'Teams config', text: `teams config ${userKey(user)}` };
    if (number.assignmentStatus !== 'unassigned') {
      const theirs = number.assignmentTargetId === user.id;
      return detailOutput({
        title: theirs ? 'Already assigned' : 'Number is taken',
        subtitle: args.number,
        status: 'No change',
        statusColor: theirs ? 'Good' : 'Attention',
        facts: [
          ...facts,
          { title: 'Now assigned to', value: `${number.assignmentTargetId ?? 'unknown'} (${number.assignmentStatus})` },
        ],
        note: theirs
          ? 'The user already has this number; nothing was sent to Graph.'
          : `The number belongs to someone else; nothing was sent to Graph. Release it first with "phone unassign ` +
            `${args.number}", or pick a free one ("phone numbers --unassigned").`,
        actions: theirs ? [configAction] : [{ title: 'Free numbers', text: 'phone numbers --unassigned' }],
        text: theirs
          ? `${userLabel(user)} already has ${args.number}; nothing changed.`
          : `${args.number} is assigned to ${number.assignmentTargetId ?? 'someone else'}; nothing changed.`,
      });
    }
    return placeNumberOrder(graph, {
      action: 'assignNumber',
      number: args.number,
      body: {
        telephoneNumber: args.number,
        assignmentTargetId: user.id,
        numberType: args.type,
        assignmentCategory: 'primary',
        ...(args.location ? { locationId: args.location } : {}),
      },
      facts: [
        ...facts,
        { title: 'Before', value: 'free' },
        ...(args.location ? [{ title: 'Emergency location', value: args.location }] : []),
      ],
      followUps: [configAction, { title: 'Undo (unassign)', text: `phone unassign ${args.number}` }],
    });
  },
});
