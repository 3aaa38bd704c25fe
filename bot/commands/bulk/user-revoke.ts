import { defineCommand } from '../types.js';
import { TARGET_USAGE } from './_target.js';
import { prepareUserJob, targetOnlyArgs } from './_account.js';

export default defineCommand({
  name: 'bulk user revoke',
  area: 'bulk',
  summary: 'Incident response: signs many users out everywhere (revokes refresh tokens and session cookies).',
  usage: `bulk user revoke ${TARGET_USAGE}`,
  examples: ['bulk user revoke --group "Finance"'],
  args: targetOnlyArgs,
  tier: 'read',
  scopes: ['User.RevokeSessions.All', 'User.Read.All', 'GroupMember.Read.All'],
  requiresSignIn: true,
  card: 'teams-detail',
  run: (ctx, args) =>
    prepareUserJob(ctx, args, 'user revoke (sign out everywhere)', {
      family: 'sessions',
      action: 'revoke',
      desired: 'revoked',
    }),
});
