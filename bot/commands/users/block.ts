import { defineCommand } from '../types.js';
import { setAccountEnabled } from './_account-enabled.js';
import { oneUserArgs } from '../_lib/args.js';

export default defineCommand({
  name: 'user block',
  summary: 'Blocks a user from signing in (refuses admins: use admin block).',
  usage: 'user block <upn | object id | display name>',
  examples: ['user block alice@contoso.onmicrosoft.com'],
  args: oneUserArgs,
  tier: 'write',
  // EnableDisableAccount covers accountEnabled only; the role look-up decides whether the target is an admin.
  scopes: ['User.EnableDisableAccount.All', 'User.Read.All', 'RoleManagement.Read.Directory'],
  run: (ctx, args) => setAccountEnabled(ctx, args.user, false, { adminTier: false }),
});
