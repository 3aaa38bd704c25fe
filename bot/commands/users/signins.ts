import { z } from 'zod';
import { isGuid, odataLiteral, withQuery } from '../../graph/odata.js';
import { graphOf } from '../_lib/context.js';
import { cursorArg, fetchListPage } from '../_lib/list.js';
import { listOutput } from '../_lib/list-card.js';
import { formatTime } from '../_lib/user-detail.js';
import { resolveUser } from '../_lib/users.js';
import { defineCommand } from '../types.js';
import { userArg } from '../_lib/args.js';

interface SignIn {
  id: string;
  createdDateTime?: string;
  userPrincipalName?: string;
  appDisplayName?: string;
  ipAddress?: string;
  clientAppUsed?: string;
  authenticationRequirement?: string;
  status?: { errorCode?: number; failureReason?: string | null };
  location?: { city?: string | null; countryOrRegion?: string | null };
}

function where(signIn: SignIn): string {
  const place = [signIn.location?.city, signIn.location?.countryOrRegion].filter(Boolean).join(', ');
  return [signIn.ipAddress, place].filter(Boolean).join(' · ');
}

export default defineCommand({
  name: 'user signins',
  summary: "Lists a user's most recent sign-ins (newest first; 10 unless --last says otherwise), with More.",
  usage: 'user signins <upn | object id | display name> [--last <1-50>]',
  examples: ['user signins alice@contoso.onmicrosoft.com', 'user signins alice@contoso.onmicrosoft.com --last 25'],
  args: {
    positional: ['user'],
    schema: z
      .object({
        user: userArg,
        last: z.coerce
          .number()
          .int('must be a whole number')
          .min(1, 'must be at least 1')
          .max(50, 'is at most 50')
          .default(10),
        ...cursorArg,
      })
      .strict(),
  },
  tier: 'read',
  scopes: ['AuditLog.Read.All', 'User.Read.All'],
  // Works app-only (no /me, nothing of the admin's session): may run as the reports app (schedule add).
  schedulable: { appScopes: ['AuditLog.Read.All', 'User.Read.All'] },
  async run(ctx, args) {
    // The sign-in log is filtered by what was typed: a UPN or an object id needs no lookup (one round trip).
    let filter: string;
    let who = args.user;
    if (isGuid(args.user)) filter = `userId eq ${odataLiteral(args.user.toLowerCase())}`;
    else if (args.user.includes('@')) filter = `userPrincipalName eq ${odataLiteral(args.user)}`;
    else {
      const user = await resolveUser(graphOf(ctx), args.user);
      filter = `userId eq ${odataLiteral(user.id)}`;
      who = String(user.userPrincipalName ?? user.id);
    }
    const path = withQuery('/auditLogs/signIns', { $filter: filter, $top: args.last });
    const page = await fetchListPage<SignIn>(ctx, 'user signins', path, { cursor: args.cursor });
    return listOutput(page, {
      title: `Sign-ins of ${who}`,
      noun: 'sign-ins',
      empty: `No sign-in of ${who} in the sign-in log (it keeps 30 days; check the UPN).`,
      row: (signIn) => {
        const failed = (signIn.status?.errorCode ?? 0) !== 0;
        const factor = signIn.authenticationRequirement === 'multiFactorAuthentication' ? 'MFA' : 'single factor';
        return {
          title: `${formatTime(signIn.createdDateTime, '?')} · ${signIn.appDisplayName ?? 'unknown app'}`,
          detail: [where(signIn), signIn.clientAppUsed, factor, failed ? signIn.status?.failureReason : '']
            .filter(Boolean)
            .join(' · '),
          badge: failed ? `Failed ${signIn.status?.errorCode}` : 'Success',
          badgeColor: failed ? 'Attention' : 'Good',
          open: `user lastsignin ${signIn.userPrincipalName ?? who}`,
        };
      },
    });
  },
});
