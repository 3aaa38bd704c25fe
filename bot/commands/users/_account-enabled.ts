import { markdown } from '../../cards/plain-text.js';
import { CodedError, ErrorCode } from '../../errors.js';
import { odataLiteral, withQuery } from '../../graph/odata.js';
import { graphOf, sessionOf } from '../_lib/context.js';
import { userDetailOutput } from '../_lib/user-detail.js';
import { userKey, userLabel } from '../_lib/user-target.js';
import { resolveUser } from '../_lib/users.js';
import type { CommandContext, CommandOutput } from '../types.js';

/**
 * Blocks or unblocks sign-in (`PATCH /users/{id}` with `accountEnabled`). The catalog makes this a write for
 * ordinary users and dangerous for admins, but a command's tier is fixed before it runs; so `user block` checks
 * the target's active directory roles and refuses admins (nothing changed), pointing to `admin block`, which is
 * declared dangerous (MFA within 5 minutes plus a second admin's approval) and skips the check.
 */
export async function setAccountEnabled(
  ctx: CommandContext,
  typed: string,
  enabled: boolean,
  mode: { adminTier: boolean },
): Promise<CommandOutput> {
  const graph = graphOf(ctx);
  const verb = enabled ? 'unblock' : 'block';
  const user = await resolveUser(graph, typed);
  const key = userKey(user);
  if (!enabled && user.id === sessionOf(ctx).oid) {
    throw new CodedError(
      ErrorCode.Forbidden,
      'You cannot block your own account from the bot: you would lock yourself out.',
    );
  }
  if (!mode.adminTier) {
    const assignments = await graph.get<{ value: Array<{ roleDefinition?: { displayName?: string } | null }> }>(
      withQuery('/roleManagement/directory/roleAssignments', {
        $filter: `principalId eq ${odataLiteral(user.id)}`,
        $expand: 'roleDefinition($select=displayName)',
      }),
    );
    const roles = [...new Set(assignments.body.value.map((a) => a.roleDefinition?.displayName ?? 'a directory role'))];
    if (roles.length > 0) {
      return userDetailOutput({
        title: `Not ${verb}ed: ${user.displayName ?? key} is an admin`,
        subtitle: userLabel(user),
        status: 'Nothing changed',
        statusColor: 'Warning',
        facts: [{ title: 'Active roles', value: roles.join(', ') }],
        note: markdown`Changing an admin's sign-in is a dangerous action: it needs fresh MFA and a second admin's approval. Use **admin ${verb} ${key}**.`,
        actions: [{ title: `Admin ${verb}`, text: `admin ${verb} ${key}` }],
        text: `${key} holds ${roles.join(', ')}; nothing changed. Use "admin ${verb} ${key}" (needs approval).`,
      });
    }
  }
  const actions = [
    ...(enabled ? [] : [{ title: 'Revoke sessions', text: `user revoke ${key}` }]),
    enabled
      ? { title: 'Block sign-in', text: `${mode.adminTier ? 'admin' : 'user'} block ${key}` }
      : { title: 'Unblock', text: `${mode.adminTier ? 'admin' : 'user'} unblock ${key}` },
  ];
  if ((user.accountEnabled !== false) === enabled) {
    return userDetailOutput({
      title: enabled ? 'Already allowed to sign in' : 'Already blocked',
      subtitle: userLabel(user),
      status: 'Nothing changed',
      statusColor: 'Default',
      facts: [{ title: 'Sign-in', value: enabled ? 'allowed' : 'blocked' }],
      actions,
      text: `${key} is already ${enabled ? 'allowed to sign in' : 'blocked'}; nothing changed.`,
    });
  }
  const response = await graph.patch(`/users/${user.id}`, { accountEnabled: enabled });
  return userDetailOutput({
    title: enabled ? 'Sign-in unblocked' : 'Sign-in blocked',
    subtitle: userLabel(user),
    status: enabled ? 'Sign-in allowed' : 'Blocked',
    statusColor: enabled ? 'Good' : 'Attention',
    facts: [
      { title: 'Changed', value: `accountEnabled: ${!enabled} → ${enabled}` },
      { title: 'Object id', value: user.id },
    ],
    note: enabled
      ? ''
      : 'Sessions already issued stay valid until they expire. Revoke them too to sign the user out now.',
    requestId: response.requestId,
    actions,
    text: `${key}: sign-in ${enabled ? 'unblocked' : 'blocked'} (request-id ${response.requestId ?? 'n/a'}).`,
  });
}
