import { graphOf } from '../_lib/context.js';
import { userDetailOutput } from '../_lib/user-detail.js';
import { defineCommand } from '../types.js';
import { CA_RECOMMENDATION, STATE_MEANING, perUserMfaTarget, readPerUserMfaState, stateColor } from './_permfa.js';
import { oneUserArgs } from '../_lib/args.js';

/**
 * Reading the state is its own command (tier `read`); changing it is `user permfa set` (tier `write`), because a
 * command has exactly one tier and the gate decides MFA freshness from it before `run`.
 */
export default defineCommand({
  name: 'user permfa',
  summary: "Shows a user's per-user MFA state (disabled, enabled, enforced) from Graph beta.",
  usage: 'user permfa <upn | object id | display name>',
  examples: ['user permfa alice@contoso.onmicrosoft.com'],
  args: oneUserArgs,
  tier: 'read',
  // Scope [unverified]: the catalog (#19) has none verified, and current docs are said to name Policy.Read.All.
  // The Graph stand-in grants this beta read with UserAuthenticationMethod.Read.All (per-user MFA is part of the
  // user's authentication settings), which this bot already holds; Policy.Read.All does not pass there. Check on
  // a real tenant. User.Read.All resolves display names.
  scopes: ['UserAuthenticationMethod.Read.All', 'User.Read.All'],
  async run(ctx, args) {
    const graph = graphOf(ctx);
    const target = await perUserMfaTarget(graph, args.user);
    const state = await readPerUserMfaState(graph, target);
    const others = (['disabled', 'enabled', 'enforced'] as const).filter((s) => s !== state);
    return userDetailOutput({
      title: 'Per-user MFA',
      subtitle: target.label,
      status: state,
      statusColor: stateColor(state),
      facts: [{ title: 'State', value: `${state} — ${STATE_MEANING[state]}` }],
      note: `${CA_RECOMMENDATION} (Graph beta API.)`,
      actions: [
        ...others.map((s) => ({ title: `Set ${s}`, text: `user permfa set ${target.key} ${s}` })),
        { title: 'MFA registration', text: `user mfa ${target.key}` },
      ],
      text: `${target.key}: per-user MFA ${state}.`,
    });
  },
});
