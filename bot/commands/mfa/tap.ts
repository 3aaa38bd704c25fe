import { z } from 'zod';
import { stepBody } from '../_lib/batch-steps.js';
import { graphOf } from '../_lib/context.js';
import { formatTime, userDetailOutput } from '../_lib/user-detail.js';
import { readUserThen, stepHeader, userKey, userLabel } from '../_lib/user-target.js';
import { defineCommand } from '../types.js';
import { userArg } from '../_lib/args.js';

interface TemporaryAccessPass {
  id: string;
  temporaryAccessPass?: string;
  startDateTime?: string;
  lifetimeInMinutes?: number;
  isUsableOnce?: boolean;
}

export default defineCommand({
  name: 'user tap',
  summary: 'Creates a Temporary Access Pass so a user can sign in and register MFA (shown once, 1:1 chat only).',
  usage: 'user tap <upn | object id | display name> [--once] [--minutes <10-43200>]',
  examples: ['user tap alice@contoso.onmicrosoft.com --once', 'user tap alice@contoso.onmicrosoft.com --minutes 480'],
  args: {
    positional: ['user'],
    schema: z
      .object({
        user: userArg,
        once: z.boolean().default(false),
        minutes: z.coerce
          .number()
          .int('must be a whole number')
          .min(10, 'must be at least 10')
          .max(43200, 'is at most 43200 (30 days)')
          .default(60),
      })
      .strict(),
  },
  tier: 'dangerous',
  scopes: ['UserAuthMethod-TAP.ReadWrite.All', 'User.Read.All'],
  personalOnly: true,
  async run(ctx, args) {
    const { user, results } = await readUserThen(graphOf(ctx), args.user, (path) => ({
      method: 'POST',
      url: `${path}/authentication/temporaryAccessPassMethods`,
      body: { lifetimeInMinutes: args.minutes, isUsableOnce: args.once },
    }));
    const tap = stepBody<TemporaryAccessPass>(results, 'step');
    const requestId = stepHeader(results.get('step'), 'request-id');
    const key = userKey(user);
    const minutes = tap.lifetimeInMinutes ?? args.minutes;
    const once = tap.isUsableOnce ?? args.once;
    return userDetailOutput({
      title: 'Temporary Access Pass created',
      subtitle: userLabel(user),
      status: once ? 'Usable once' : 'Reusable until expiry',
      statusColor: 'Good',
      secret: tap.temporaryAccessPass
        ? {
            label: 'Temporary Access Pass',
            value: tap.temporaryAccessPass,
            note:
              'Shown only here, once: Graph never returns it again and the bot does not keep it. Give it to the ' +
              'user over a trusted channel.',
          }
        : undefined,
      facts: [
        { title: 'Valid from', value: formatTime(tap.startDateTime, 'now') },
        { title: 'Lifetime', value: `${minutes} minutes` },
        { title: 'Method id', value: tap.id },
      ],
      note: tap.temporaryAccessPass
        ? ''
        : 'Graph created the pass but returned no code. Delete it (user mfa reset) and create a new one.',
      requestId,
      actions: [{ title: 'Methods', text: `user methods ${key}` }],
      // No secret in the summary: it shows in notifications and activity feeds.
      text:
        `Temporary Access Pass created for ${key}, valid ${minutes} min${once ? ', usable once' : ''}; the code is ` +
        `on the card.`,
    });
  },
});
