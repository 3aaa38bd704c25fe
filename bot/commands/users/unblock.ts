import { defineCommand } from '../types.js';
import { setAccountEnabled, targetArgs } from './_account-enabled.js';

export default defineCommand({
  name: 'user unblock',
  area: 'users',
  summary: 'Lets a blocked user sign in again (refuses admins: use admin unblock).',
  usage: 'user unblock <upn | object id | display name>',
  examples: ['user unblock alice@contoso.onmicrosoft.com'],
  args: targetArgs,
  tier: 'write',
  // EnableDisableAccount covers accountEnabled only; the role look-up decides whether the target is an admin.
  scopes: ['User.EnableDisableAccount.All', 'User.Read.All', 'RoleManagement.Read.Directory'],
  requiresSignIn: true,
  card: 'user-detail',
  run: (ctx, args) => setAccountEnabled(ctx, args.user, true, { adminTier: false }),
});
