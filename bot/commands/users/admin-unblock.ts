import { defineCommand } from '../types.js';
import { setAccountEnabled, targetArgs } from './_account-enabled.js';

export default defineCommand({
  name: 'admin unblock',
  area: 'users',
  summary: 'Lets any blocked user sign in again, admins included (dangerous: needs approval).',
  usage: 'admin unblock <upn | object id | display name>',
  examples: ['admin unblock adele@contoso.onmicrosoft.com'],
  args: targetArgs,
  tier: 'dangerous',
  scopes: ['User.EnableDisableAccount.All', 'User.Read.All'],
  requiresSignIn: true,
  card: 'user-detail',
  run: (ctx, args) => setAccountEnabled(ctx, args.user, true, { adminTier: true }),
});
