import { graphOf } from '../_lib/context.js';
import { detailOutput } from '../_lib/detail-card.js';
import { utcText } from '../_lib/time-args.js';
import { defineCommand } from '../types.js';
import { accountTypeView, describePolicy, readUserConfiguration } from './_user-config.js';
import { oneUserArgs } from '../_lib/args.js';

export default defineCommand({
  name: 'teams config',
  summary:
    "Shows a user's Teams configuration (like Get-CsOnlineUser): account type, effective policies and where they " +
    'come from, phone numbers, Enterprise Voice.',
  usage: 'teams config <upn | object id | display name>',
  examples: ['teams config alice@contoso.onmicrosoft.com', 'teams config "Alice Anders"'],
  args: oneUserArgs,
  tier: 'read',
  // User.Read.All only for resolving a display name; a UPN or object id needs just the configuration read.
  scopes: ['TeamsUserConfiguration.Read.All', 'User.Read.All'],
  async run(ctx, args) {
    const config = await readUserConfiguration(graphOf(ctx), args.user);
    const upn = config.userPrincipalName ?? config.id;
    const name = config.user?.displayName ?? upn;
    const account = accountTypeView(config.accountType);
    const numbers = (config.telephoneNumbers ?? []).map(
      (n) => `${n.telephoneNumber}${n.assignmentCategory ? ` (${n.assignmentCategory})` : ''}`,
    );
    const policies = (config.effectivePolicyAssignments ?? []).map((p) => ({
      title: p.policyType,
      value: describePolicy(p),
    }));
    const voice = config.isEnterpriseVoiceEnabled === true;
    return detailOutput({
      title: name,
      subtitle: `${upn} · Teams configuration`,
      status: account.label,
      statusColor: account.color,
      facts: [
        { title: 'Account type', value: config.accountType ?? 'unknown' },
        { title: 'Enterprise Voice', value: voice ? 'Enabled' : 'Disabled' },
        { title: 'Phone numbers', value: numbers.length ? numbers.join(', ') : 'none' },
        { title: 'Features', value: (config.featureTypes ?? []).join(', ') || 'none' },
        { title: 'Sign-in', value: config.user?.accountEnabled === false ? 'Blocked' : 'Allowed' },
        { title: 'Last change', value: utcText(config.modifiedDateTime) },
      ],
      section: {
        title: 'Effective policies',
        empty: 'No direct or group assignments: the org-wide Global policies apply.',
        facts: policies,
      },
      note: policies.length
        ? 'Policy types not listed use the org-wide Global policy. A direct assignment overrides a group one.'
        : '',
      actions: [
        { title: 'User', text: `user ${upn}` },
        ...(voice && numbers.length === 0 ? [{ title: 'Free numbers', text: 'phone numbers --unassigned' }] : []),
      ],
      text:
        `${name} (${upn}): ${account.label}; Enterprise Voice ${voice ? 'on' : 'off'}; numbers: ${numbers.join(', ') || 'none'}; ` +
        `policies: ${policies.map((p) => `${p.title}=${p.value}`).join('; ') || 'Global only'}.`,
    });
  },
});
