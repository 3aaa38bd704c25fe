import { defineCommand } from '../types.js';
import { TARGET_USAGE } from './_target.js';
import { prepareUserJob, targetOnlyArgs } from './_account.js';

export default defineCommand({
  name: 'bulk user unblock',
  area: 'bulk',
  summary: 'Allows sign-in again for many users.',
  usage: `bulk user unblock ${TARGET_USAGE}`,
  examples: ['bulk user unblock --group "Contractors"'],
  args: targetOnlyArgs,
  tier: 'read',
  scopes: ['User.EnableDisableAccount.All', 'User.Read.All', 'GroupMember.Read.All'],
  requiresSignIn: true,
  card: 'teams-detail',
  run: (ctx, args) =>
    prepareUserJob(ctx, args, 'user unblock', { family: 'account', action: 'unblock', desired: 'enabled' }),
});
