import { z } from 'zod';
import { graphOf } from '../_lib/context.js';
import { utcText } from '../_lib/time-args.js';
import { defineCommand } from '../types.js';
import { GROUP_SUMMARY_FIELDS, groupKind, resolveGroup } from './_groups.js';
import { groupArg } from '../_lib/args.js';

const FIELDS = [...GROUP_SUMMARY_FIELDS, 'description', 'visibility', 'createdDateTime', 'resourceProvisioningOptions'];

export default defineCommand({
  name: 'group',
  summary: 'Shows a group: kind (security, Microsoft 365, team), mail, visibility, with its members one click away.',
  usage: 'group <name | id...>',
  examples: ['group "Sales"', 'group IT Admins'],
  args: {
    positional: ['name...'],
    schema: z.object({ name: groupArg }).strict(),
  },
  tier: 'read',
  scopes: ['Group.Read.All'],
  async run(ctx, args) {
    const group = await resolveGroup(graphOf(ctx), args.name, FIELDS);
    const kind = groupKind(group);
    const isTeam = group.resourceProvisioningOptions?.includes('Team') ?? false;
    return {
      card: 'group',
      data: {
        displayName: group.displayName,
        kind,
        description: group.description ?? '',
        mail: group.mail ?? 'not mail-enabled',
        visibility: group.visibility ?? '—',
        created: utcText(group.createdDateTime),
        id: group.id,
        actions: [
          { title: 'Members', text: `group members "${group.displayName}"` },
          ...(isTeam ? [{ title: 'Team', text: `team "${group.displayName}"` }] : []),
        ],
      },
      text: `${group.displayName}: ${kind}${group.mail ? `, ${group.mail}` : ''}.`,
    };
  },
});
