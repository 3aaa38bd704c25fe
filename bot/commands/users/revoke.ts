import { stepBody } from '../_lib/batch-steps.js';
import { graphOf } from '../_lib/context.js';
import { userDetailOutput } from '../_lib/user-detail.js';
import { readUserThen, stepHeader, userKey, userLabel } from '../_lib/user-target.js';
import { defineCommand } from '../types.js';
import { oneUserArgs } from '../_lib/args.js';

export default defineCommand({
  name: 'user revoke',
  summary: 'Signs a user out everywhere: invalidates their refresh tokens and session cookies.',
  usage: 'user revoke <upn | object id | display name>',
  examples: ['user revoke alice@contoso.onmicrosoft.com'],
  args: oneUserArgs,
  tier: 'write',
  scopes: ['User.RevokeSessions.All', 'User.Read.All'],
  async run(ctx, args) {
    // One round trip for a UPN or id: $batch [read the user, then revoke once the read succeeded].
    const { user, results } = await readUserThen(graphOf(ctx), args.user, (path) => ({
      method: 'POST',
      url: `${path}/revokeSignInSessions`,
    }));
    const body = stepBody<{ value?: boolean }>(results, 'step');
    const requestId = stepHeader(results.get('step'), 'request-id');
    const key = userKey(user);
    const done = body?.value !== false;
    return userDetailOutput({
      title: done ? 'Sessions revoked' : 'Graph did not revoke the sessions',
      subtitle: userLabel(user),
      status: done ? 'Signed out everywhere' : 'Not revoked',
      statusColor: done ? 'Good' : 'Attention',
      facts: [{ title: 'Object id', value: user.id }],
      note: done
        ? 'Refresh tokens and session cookies stop working now. Apps may keep a valid access token for up to an ' +
          'hour (less where continuous access evaluation applies).'
        : 'Graph answered false. Try again, or revoke in the Entra admin center.',
      requestId,
      actions: [
        { title: 'Recent sign-ins', text: `user signins ${key}` },
        ...(user.accountEnabled === false ? [] : [{ title: 'Block sign-in', text: `user block ${key}` }]),
      ],
      text: `${key}: ${done ? 'all sessions revoked' : 'sessions NOT revoked'} (request-id ${requestId ?? 'n/a'}).`,
    });
  },
});
