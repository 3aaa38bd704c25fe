import { defineCommand } from '../types.js';
import { setAccountEnabled, targetArgs } from './_account-enabled.js';

export default defineCommand({
  name: 'admin block',
  area: 'users',
  summary: 'Blocks sign-in of any user, admins included (dangerous: needs approval).',
  usage: 'admin block <upn | object id | display name>',
  examples: ['admin block adele@contoso.onmicrosoft.com'],
  args: targetArgs,
  tier: 'dangerous',
  scopes: ['User.EnableDisableAccount.All', 'User.Read.All'],
  requiresSignIn: true,
  card: 'user-detail',
  run: (ctx, args) => setAccountEnabled(ctx, args.user, false, { adminTier: true }),
});
