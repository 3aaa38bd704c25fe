import { CodedError, ErrorCode } from '../../errors.js';
import { isGuid } from '../../graph/odata.js';
import { stepBody } from '../_lib/batch-steps.js';
import { graphOf, sessionOf } from '../_lib/context.js';
import { userDetailOutput } from '../_lib/user-detail.js';
import { readUserThen, stepHeader, userKey, userLabel } from '../_lib/user-target.js';
import { defineCommand } from '../types.js';
import { oneUserArgs } from '../_lib/args.js';

function refuseSelf(): never {
  throw new CodedError(ErrorCode.Forbidden, 'You cannot delete your own account from the bot. Nothing was done.');
}

export default defineCommand({
  name: 'user delete',
  summary: 'Deletes a user (soft delete: restorable from Deleted users for 30 days).',
  usage: 'user delete <upn | object id | display name>',
  examples: ['user delete alex@contoso.onmicrosoft.com'],
  args: oneUserArgs,
  tier: 'dangerous',
  scopes: ['User.ReadWrite.All'],
  async run(ctx, args) {
    const me = sessionOf(ctx);
    // The UPN/id path deletes in the same round trip as the read, so the self-check happens on what was typed.
    if (
      args.user.toLowerCase() === me.upn.toLowerCase() ||
      (isGuid(args.user) && args.user.toLowerCase() === me.oid.toLowerCase())
    )
      refuseSelf();
    const { user, results } = await readUserThen(graphOf(ctx), args.user, (path) => {
      if (path === `/users/${me.oid}`) refuseSelf();
      return { method: 'DELETE', url: path };
    });
    stepBody(results, 'step');
    const requestId = stepHeader(results.get('step'), 'request-id');
    const key = userKey(user);
    return userDetailOutput({
      title: 'User deleted',
      subtitle: userLabel(user),
      status: 'In the recycle bin',
      statusColor: 'Warning',
      facts: [
        { title: 'Object id', value: user.id },
        { title: 'Type', value: String(user.userType ?? 'Member') },
      ],
      note:
        'The user is soft-deleted: restorable with their licences and groups for 30 days from Deleted users in the ' +
        'Entra admin center.',
      requestId,
      text: `${key} deleted (restorable for 30 days; request-id ${requestId ?? 'n/a'}).`,
    });
  },
});
