import { defineCommand } from '../types.js';
import { setAccountEnabled } from './_account-enabled.js';
import { oneUserArgs } from '../_lib/args.js';

export default defineCommand({
  name: 'user unblock',
  summary: 'Lets a blocked user sign in again (refuses admins: use admin unblock).',
  usage: 'user unblock <upn | object id | display name>',
  examples: ['user unblock alice@contoso.onmicrosoft.com'],
  args: oneUserArgs,
  tier: 'write',
  // EnableDisableAccount covers accountEnabled only; the role look-up decides whether the target is an admin.
  scopes: ['User.EnableDisableAccount.All', 'User.Read.All', 'RoleManagement.Read.Directory'],
  run: (ctx, args) => setAccountEnabled(ctx, args.user, true, { adminTier: false }),
});
