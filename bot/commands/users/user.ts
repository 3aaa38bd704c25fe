import { resolveUser } from '../_lib/users.js';
import { graphOf } from '../_lib/context.js';
import { defineCommand } from '../types.js';
import { oneUserArgs } from '../_lib/args.js';

const FIELDS = [
  'id',
  'displayName',
  'userPrincipalName',
  'accountEnabled',
  'userType',
  'usageLocation',
  'assignedLicenses',
  'onPremisesSyncEnabled',
  'jobTitle',
  'department',
  'createdDateTime',
];

export default defineCommand({
  name: 'user',
  summary: 'Shows a user: status, type, licences, sync, with follow-up actions.',
  usage: 'user <upn | object id | display name>',
  examples: ['user alice@contoso.onmicrosoft.com', 'user "Alex Wilber"'],
  args: oneUserArgs,
  tier: 'read',
  scopes: ['User.Read.All'],
  async run(ctx, args) {
    const user = await resolveUser(graphOf(ctx), args.user, FIELDS);
    const enabled = user.accountEnabled !== false;
    const upn = String(user.userPrincipalName ?? user.id);
    const licences = Array.isArray(user.assignedLicenses) ? user.assignedLicenses.length : 0;
    return {
      card: 'user',
      data: {
        displayName: user.displayName ?? upn,
        upn,
        id: user.id,
        status: enabled ? 'Sign-in allowed' : 'Blocked',
        statusColor: enabled ? 'Good' : 'Attention',
        userType: user.userType ?? 'Member',
        jobTitle: user.jobTitle ?? '—',
        department: user.department ?? '—',
        usageLocation: user.usageLocation ?? 'not set',
        licences: licences === 0 ? 'none' : String(licences),
        source: user.onPremisesSyncEnabled ? 'synced from on-premises AD' : 'cloud',
        created: typeof user.createdDateTime === 'string' ? user.createdDateTime.slice(0, 10) : '—',
        actions: [
          { title: 'MFA methods', text: `user methods ${upn}` },
          { title: 'Licences', text: `user licenses ${upn}` },
          { title: 'Revoke sessions', text: `user revoke ${upn}` },
          enabled
            ? { title: 'Block sign-in', text: `user block ${upn}` }
            : { title: 'Unblock', text: `user unblock ${upn}` },
        ],
      },
      text:
        `${user.displayName ?? upn} (${upn}): ${enabled ? 'sign-in allowed' : 'blocked'}, ${user.userType ?? 'Member'}, ` +
        `${licences} licence(s).`,
    };
  },
});
