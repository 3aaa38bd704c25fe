import { z } from 'zod';
import { graphOf } from '../_lib/context.js';
import { userDetailOutput } from '../_lib/user-detail.js';
import { defineCommand } from '../types.js';
import {
  CA_RECOMMENDATION,
  STATE_MEANING,
  perUserMfaTarget,
  readPerUserMfaState,
  requirementsPath,
  stateArg,
  stateColor,
} from './_permfa.js';
import { userArg } from '../_lib/args.js';

export default defineCommand({
  name: 'user permfa set',
  summary:
    "Sets a user's per-user MFA state to enabled, disabled or enforced (Graph beta; Conditional Access is preferred).",
  usage: 'user permfa set <upn | object id | display name> <enabled | disabled | enforced>',
  examples: ['user permfa set alice@contoso.onmicrosoft.com enforced', 'user permfa set "Bob Berg" disabled'],
  args: {
    positional: ['user', 'state'],
    schema: z.object({ user: userArg, state: stateArg }).strict(),
  },
  tier: 'write',
  // Scopes [unverified]: the catalog (#19) has none verified; Policy.ReadWrite.AuthenticationMethod is what current
  // docs are said to name for the PATCH and what the Graph stand-in requires. The state is read first (to say what
  // changed, and to skip a no-op write) with UserAuthenticationMethod.Read.All, which the stand-in requires for the
  // GET (see `user permfa`). User.Read.All resolves display names. Check all three on a real tenant.
  scopes: ['Policy.ReadWrite.AuthenticationMethod', 'UserAuthenticationMethod.Read.All', 'User.Read.All'],
  async run(ctx, args) {
    const graph = graphOf(ctx);
    const target = await perUserMfaTarget(graph, args.user);
    const before = await readPerUserMfaState(graph, target);
    const actions = [
      { title: 'Per-user MFA state', text: `user permfa ${target.key}` },
      { title: 'MFA registration', text: `user mfa ${target.key}` },
    ];
    if (before === args.state) {
      return userDetailOutput({
        title: `Per-user MFA already ${args.state}`,
        subtitle: target.label,
        status: 'Nothing changed',
        statusColor: 'Default',
        facts: [{ title: 'State', value: `${args.state} — ${STATE_MEANING[args.state]}` }],
        note: CA_RECOMMENDATION,
        actions,
        text: `${target.key}: per-user MFA is already ${args.state}; nothing changed.`,
      });
    }
    const response = await graph.patch(requirementsPath(target), { perUserMfaState: args.state }, undefined, 'beta');
    return userDetailOutput({
      title: `Per-user MFA ${args.state}`,
      subtitle: target.label,
      status: args.state,
      statusColor: stateColor(args.state),
      facts: [
        { title: 'Changed', value: `perUserMfaState: ${before} → ${args.state}` },
        { title: 'Now', value: STATE_MEANING[args.state] },
      ],
      note: CA_RECOMMENDATION,
      requestId: response.requestId,
      actions,
      text: `${target.key}: per-user MFA ${before} → ${args.state} (request-id ${response.requestId ?? 'n/a'}).`,
    });
  },
});
