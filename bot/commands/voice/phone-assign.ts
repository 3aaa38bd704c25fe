import { z } from 'zod';
import { graphOf } from '../_lib/context.js';
import { userKey, userLabel } from '../_lib/user-target.js';
import { resolveUser } from '../_lib/users.js';
import { defineCommand } from '../types.js';
import { NUMBER_TYPES, e164Arg, placeNumberOrder } from './_numbers.js';

export default defineCommand({
  name: 'phone assign',
  area: 'voice',
  summary: 'Assigns a telephone number to a user (like Set-CsPhoneNumberAssignment); Graph runs it as an order.',
  usage: 'phone assign <user> <+E.164 number> --type callingPlan|directRouting|operatorConnect [--location <emergency location id>]',
  examples: ['phone assign alice@contoso.onmicrosoft.com +14255550102 --type callingPlan', 'phone assign "Bob Berg" +14255550104 --type directRouting'],
  args: {
    positional: ['user', 'number'],
    schema: z
      .object({
        user: z.string().trim().min(1, 'name a user'),
        number: e164Arg,
        type: z.enum(NUMBER_TYPES, { errorMap: () => ({ message: `is one of ${NUMBER_TYPES.join(', ')}` }) }),
        location: z.string().trim().regex(/^[0-9a-fA-F-]{36}$/, 'is an emergency location id (a GUID)').optional(),
      })
      .strict(),
  },
  tier: 'write',
  scopes: ['TeamsTelephoneNumber.ReadWrite.All', 'User.Read.All'],
  requiresSignIn: true,
  card: 'teams-detail',
  async run(ctx, args) {
    const graph = graphOf(ctx);
    const user = await resolveUser(graph, args.user);
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
        { title: 'Number', value: args.number },
        { title: 'User', value: userLabel(user) },
        { title: 'Type', value: args.type },
        ...(args.location ? [{ title: 'Emergency location', value: args.location }] : []),
      ],
      followUps: [
        { title: 'Teams config', text: `teams config ${userKey(user)}` },
        { title: 'Undo (unassign)', text: `phone unassign ${args.number}` },
      ],
    });
  },
});
