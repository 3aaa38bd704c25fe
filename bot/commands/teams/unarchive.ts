import { z } from 'zod';
import { TEAM_WRITER_ROLES } from '../_lib/teams-roles.js';
import { defineCommand } from '../types.js';
import { changeArchiveState } from './_archive.js';
import { teamArg } from '../_lib/args.js';

export default defineCommand({
  name: 'team unarchive',
  summary: 'Makes an archived team active again.',
  usage: 'team unarchive <"team name" | team id>',
  examples: ['team unarchive "Legal Review"'],
  args: { positional: ['team'], schema: z.object({ team: teamArg }).strict() },
  tier: 'write',
  roles: TEAM_WRITER_ROLES,
  scopes: ['Team.ReadBasic.All', 'TeamSettings.ReadWrite.All'],
  run: (ctx, args) => changeArchiveState(ctx, args.team, false),
});
