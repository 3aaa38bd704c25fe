import { z } from 'zod';
import { TEAM_WRITER_ROLES } from '../_lib/teams-roles.js';
import { defineCommand } from '../types.js';
import { changeArchiveState } from './_archive.js';
import { teamArg } from '../_lib/args.js';

export default defineCommand({
  name: 'team archive',
  summary: 'Archives a team (read-only for members); --readonly-site also makes its SharePoint site read-only.',
  usage: 'team archive <"team name" | team id> [--readonly-site]',
  examples: ['team archive "Project Phoenix"', 'team archive "Project Phoenix" --readonly-site'],
  args: {
    positional: ['team'],
    schema: z.object({ team: teamArg, readonlySite: z.boolean().optional() }).strict(),
  },
  tier: 'write',
  roles: TEAM_WRITER_ROLES,
  scopes: ['Team.ReadBasic.All', 'TeamSettings.ReadWrite.All'],
  run: (ctx, args) => changeArchiveState(ctx, args.team, true, args.readonlySite === true),
});
