import { defineCommand } from '../types.js';
import { setAccountEnabled } from './_account-enabled.js';
import { oneUserArgs } from '../_lib/args.js';

export default defineCommand({
  name: 'admin unblock',
  summary: 'Lets any blocked user sign in again, admins included (dangerous: needs approval).',
  usage: 'admin unblock <upn | object id | display name>',
  examples: ['admin unblock adele@contoso.onmicrosoft.com'],
  args: oneUserArgs,
  tier: 'dangerous',
  scopes: ['User.EnableDisableAccount.All', 'User.Read.All'],
  run: (ctx, args) => setAccountEnabled(ctx, args.user, true, { adminTier: true }),
});
