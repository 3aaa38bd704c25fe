import { defineCommand } from '../types.js';
import { setAccountEnabled } from './_account-enabled.js';
import { oneUserArgs } from '../_lib/args.js';

export default defineCommand({
  name: 'admin block',
  summary: 'Blocks sign-in of any user, admins included (dangerous: needs approval).',
  usage: 'admin block <upn | object id | display name>',
  examples: ['admin block adele@contoso.onmicrosoft.com'],
  args: oneUserArgs,
  tier: 'dangerous',
  scopes: ['User.EnableDisableAccount.All', 'User.Read.All'],
  run: (ctx, args) => setAccountEnabled(ctx, args.user, false, { adminTier: true }),
});
