import { defineCommand } from '../types.js';
import { TARGET_USAGE } from './_target.js';
import { prepareUserJob, targetOnlyArgs } from './_account.js';

export default defineCommand({
  name: 'bulk user block',
  area: 'bulk',
  summary: "Blocks sign-in for many users (dangerous: running it always needs a second admin's approval).",
  usage: `bulk user block ${TARGET_USAGE}`,
  examples: ['bulk user block --users mallory@contoso.com,eve@contoso.com'],
  args: targetOnlyArgs,
  tier: 'read',
  scopes: ['User.EnableDisableAccount.All', 'User.Read.All', 'GroupMember.Read.All'],
  requiresSignIn: true,
  card: 'teams-detail',
  run: (ctx, args) =>
    prepareUserJob(ctx, args, 'user block', { family: 'account', action: 'block', desired: 'disabled' }, true),
});
