import { defineCommand } from '../types.js';
import { setAccountEnabled, targetArgs } from './_account-enabled.js';

export default defineCommand({
  name: 'user block',
  area: 'users',
  summary: 'Blocks a user from signing in (refuses admins: use admin block).',
  usage: 'user block <upn | object id | display name>',
  examples: ['user block alice@contoso.onmicrosoft.com'],
  args: targetArgs,
  tier: 'write',
  // EnableDisableAccount covers accountEnabled only; the role look-up decides whether the target is an admin.
  scopes: ['User.EnableDisableAccount.All', 'User.Read.All', 'RoleManagement.Read.Directory'],
  requiresSignIn: true,
  card: 'user-detail',
  run: (ctx, args) => setAccountEnabled(ctx, args.user, false, { adminTier: false }),
});
