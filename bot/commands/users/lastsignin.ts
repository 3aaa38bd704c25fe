import { graphOf } from '../_lib/context.js';
import { formatTime, userDetailOutput } from '../_lib/user-detail.js';
import { userKey, userLabel } from '../_lib/user-target.js';
import { resolveUser } from '../_lib/users.js';
import { defineCommand } from '../types.js';
import { oneUserArgs } from '../_lib/args.js';

interface SignInActivity {
  lastSignInDateTime?: string | null;
  lastNonInteractiveSignInDateTime?: string | null;
  lastSuccessfulSignInDateTime?: string | null;
}

const DAY_MS = 86_400_000;

/** Days since the most recent of the sign-in times, or undefined when Graph has none. */
function daysSince(activity: SignInActivity | undefined, now: number): number | undefined {
  const times = [activity?.lastSignInDateTime, activity?.lastNonInteractiveSignInDateTime]
    .map((t) => (typeof t === 'string' ? Date.parse(t) : NaN))
    .filter((t) => !Number.isNaN(t));
  return times.length ? Math.floor((now - Math.max(...times)) / DAY_MS) : undefined;
}

export default defineCommand({
  name: 'user lastsignin',
  summary: 'Shows when a user last signed in (interactive, non-interactive, last successful).',
  usage: 'user lastsignin <upn | object id | display name>',
  examples: ['user lastsignin alice@contoso.onmicrosoft.com'],
  args: oneUserArgs,
  tier: 'read',
  // signInActivity needs AuditLog.Read.All on top of reading the user (and Entra ID P1/P2 in the tenant).
  scopes: ['User.Read.All', 'AuditLog.Read.All'],
  async run(ctx, args) {
    // signInActivity is returned only when $select-ed: one round trip for a UPN or id.
    const user = await resolveUser(graphOf(ctx), args.user, ['signInActivity']);
    const activity = (user.signInActivity ?? undefined) as SignInActivity | undefined;
    const days = daysSince(activity, Date.now());
    const status =
      days === undefined
        ? 'No sign-in recorded'
        : days === 0
          ? 'Signed in today'
          : `Last sign-in ${days} day${days === 1 ? '' : 's'} ago`;
    const key = userKey(user);
    return userDetailOutput({
      title: 'Last sign-in',
      subtitle: userLabel(user),
      status,
      statusColor: days === undefined || days > 90 ? 'Attention' : days > 30 ? 'Warning' : 'Good',
      facts: [
        { title: 'Interactive', value: formatTime(activity?.lastSignInDateTime) },
        { title: 'Non-interactive', value: formatTime(activity?.lastNonInteractiveSignInDateTime) },
        { title: 'Last successful', value: formatTime(activity?.lastSuccessfulSignInDateTime) },
        { title: 'Account', value: user.accountEnabled === false ? 'blocked' : 'sign-in allowed' },
      ],
      note: activity
        ? ''
        : 'Graph returned no sign-in activity: the user never signed in, or the tenant has no Entra ID P1/P2 licence.',
      actions: [
        { title: 'Recent sign-ins', text: `user signins ${key}` },
        { title: 'User', text: `user ${key}` },
      ],
      text: `${userLabel(user)}: ${status.toLowerCase()}.`,
    });
  },
});
