import { graphOf } from '../_lib/context.js';
import { listOutput } from '../_lib/list-card.js';
import { userAddress } from '../_lib/user-target.js';
import { defineCommand } from '../types.js';
import { methodDetail, methodKind, type AuthMethod } from './_methods.js';
import { oneUserArgs } from '../_lib/args.js';

export default defineCommand({
  name: 'user methods',
  summary: "Lists a user's registered authentication methods (Authenticator, phone, FIDO2, TAP, password, …).",
  usage: 'user methods <upn | object id | display name>',
  examples: ['user methods alice@contoso.onmicrosoft.com'],
  args: oneUserArgs,
  tier: 'read',
  scopes: ['UserAuthenticationMethod.Read.All', 'User.Read.All'],
  async run(ctx, args) {
    const graph = graphOf(ctx);
    // A UPN or object id addresses the user directly: one round trip. A display name is resolved first.
    const { path: base, who } = await userAddress(graph, args.user);
    // The methods collection supports no query options; it is small (a handful per user) and never paged.
    const response = await graph.get<{ value: AuthMethod[] }>(`${base}/authentication/methods`);
    const methods = response.body.value ?? [];
    const mfaCount = methods.filter((m) => methodKind(m).mfa).length;
    return listOutput(
      { items: methods, page: 1, more: '' },
      {
        title: `Authentication methods of ${who}${mfaCount === 0 ? ' (no MFA method)' : ''}`,
        noun: 'methods',
        empty: `${who} has no authentication method registered.`,
        row: (method) => {
          const kind = methodKind(method);
          const tap = kind.type === 'temporaryAccessPassAuthenticationMethod';
          return {
            title: kind.label,
            detail: methodDetail(method),
            badge: kind.mfa ? 'MFA' : tap ? 'TAP' : kind.type === 'passwordAuthenticationMethod' ? 'Password' : 'Other',
            badgeColor: kind.mfa ? 'Good' : tap ? 'Warning' : 'Default',
            open: `user mfa ${who}`,
          };
        },
      },
    );
  },
});
