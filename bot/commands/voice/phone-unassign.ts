import { z } from 'zod';
import { runLookups } from '../_lib/batch-lookup.js';
import { graphOf } from '../_lib/context.js';
import { detailOutput } from '../_lib/detail-card.js';
import { VOICE_WRITER_ROLES } from '../_lib/teams-roles.js';
import { defineCommand } from '../types.js';
import { e164Arg, numberLookup, placeNumberOrder } from './_numbers.js';

export default defineCommand({
  name: 'phone unassign',
  summary:
    'Releases a telephone number from whoever has it (like Remove-CsPhoneNumberAssignment); Graph runs it as an order.',
  usage: 'phone unassign <+E.164 number>',
  examples: ['phone unassign +14255550100'],
  args: { positional: ['number'], schema: z.object({ number: e164Arg }).strict() },
  tier: 'write',
  roles: VOICE_WRITER_ROLES,
  scopes: ['TeamsTelephoneNumber.ReadWrite.All'],
  async run(ctx, args) {
    const graph = graphOf(ctx);
    // Trip 1: the number as it is now (its type is required by the order, its holder is what the card reports).
    const [number] = await runLookups(graph, numberLookup(args.number));
    if (number.assignmentStatus === 'unassigned') {
      return detailOutput({
        title: 'Already free',
        subtitle: args.number,
        status: 'No change',
        statusColor: 'Good',
        facts: [
          { title: 'Number', value: args.number },
          { title: 'Type', value: number.numberType ?? 'unknown' },
        ],
        note: 'The number is not assigned to anyone; nothing was sent to Graph.',
        text: `${args.number} is not assigned; nothing was changed.`,
      });
    }
    return placeNumberOrder(graph, {
      action: 'unassignNumber',
      number: args.number,
      body: { telephoneNumber: args.number, numberType: number.numberType },
      facts: [
        { title: 'Number', value: args.number },
        {
          title: 'Was assigned to',
          value: `${number.assignmentTargetId ?? 'unknown'}${number.assignmentCategory ? ` (${number.assignmentCategory})` : ''}`,
        },
        { title: 'Type', value: number.numberType ?? 'unknown' },
      ],
    });
  },
});
