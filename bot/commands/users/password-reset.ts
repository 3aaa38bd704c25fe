import { pollOperation } from '../_lib/async-operation.js';
import { stepBody } from '../_lib/batch-steps.js';
import { graphOf } from '../_lib/context.js';
import { userDetailOutput } from '../_lib/user-detail.js';
import { readUserThen, stepHeader, userKey, userLabel } from '../_lib/user-target.js';
import { defineCommand } from '../types.js';
import { oneUserArgs } from '../_lib/args.js';

/** Graph gives every user's password method this fixed id, so no look-up is needed before resetting. */
const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';

export default defineCommand({
  name: 'user password reset',
  summary: 'Resets a password to one Graph generates; shows it once, in a 1:1 chat only.',
  usage: 'user password reset <upn | object id | display name>',
  examples: ['user password reset alice@contoso.onmicrosoft.com'],
  args: oneUserArgs,
  tier: 'dangerous',
  scopes: ['UserAuthenticationMethod.ReadWrite.All', 'User.Read.All'],
  personalOnly: true,
  async run(ctx, args) {
    const graph = graphOf(ctx);
    // No newPassword: Graph generates one, so no admin-chosen password ever passes through chat.
    const { user, results } = await readUserThen(graph, args.user, (path) => ({
      method: 'POST',
      url: `${path}/authentication/methods/${PASSWORD_METHOD_ID}/resetPassword`,
      body: {},
    }));
    const body = stepBody<{ newPassword?: string | null }>(results, 'step');
    const step = results.get('step');
    const requestId = stepHeader(step, 'request-id');
    // 202 + Location: the reset is a long-running operation; poll it briefly, then report what we know.
    const location = stepHeader(step, 'location');
    const operation = location ? await pollOperation(graph, location) : undefined;
    const state = operation?.status ?? (step?.status === 202 ? 'unknown' : 'succeeded');
    const failed = state === 'failed';
    const finished = state === 'succeeded';
    const key = userKey(user);
    return userDetailOutput({
      title: failed ? 'Password reset failed' : finished ? 'Password reset' : 'Password reset still running',
      subtitle: userLabel(user),
      status: failed ? 'Failed' : finished ? 'Done' : 'Still running',
      statusColor: failed ? 'Attention' : finished ? 'Good' : 'Warning',
      secret:
        body?.newPassword && !failed
          ? {
              label: 'New password',
              value: body.newPassword,
              note: 'Shown only here, once; the bot does not keep it. The user must change it at next sign-in.',
            }
          : undefined,
      facts: [
        { title: 'Operation', value: state },
        { title: 'Object id', value: user.id },
      ],
      note: failed
        ? 'Graph reported the reset as failed; the old password still applies. Try again, or reset it in the Entra ' +
          'admin center.'
        : finished
          ? body?.newPassword
            ? ''
            : 'Graph generated no password (for example with password writeback); reset it in the Entra admin center.'
          : 'Graph is still applying the new password. It works once the operation finishes, usually within a ' +
            'minute; run user signins to check.',
      requestId,
      actions: [{ title: 'Revoke sessions', text: `user revoke ${key}` }],
      text:
        `Password of ${key}: ${failed ? 'reset failed' : finished ? 'reset; the new password is on the card' : 'reset still running'} ` +
        `(request-id ${requestId ?? 'n/a'}).`,
    });
  },
});
