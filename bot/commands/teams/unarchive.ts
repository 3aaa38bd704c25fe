import { z } from 'zod';
import { TEAM_WRITER_ROLES } from '../_lib/teams-roles.js';
import { defineCommand } from '../types.js';
import { changeArchiveState } from './_archive.js';

export default defineCommand({
  name: 'team unarchive',
  area: 'teams',
  summary: 'Makes an archived team active again.',
  usage: 'team unarchive <"team name" | team id>',
  examples: ['team unarchive "Legal Review"'],
  args: { positional: ['team'], schema: z.object({ team: z.string().trim().min(1, 'name a team') }).strict() },
  tier: 'write',
  roles: TEAM_WRITER_ROLES,
  scopes: ['Team.ReadBasic.All', 'TeamSettings.ReadWrite.All'],
  requiresSignIn: true,
  card: 'teams-detail',
  run: (ctx, args) => changeArchiveState(ctx, args.team, false),
});
