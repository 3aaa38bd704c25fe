import { defineCommand } from '../types.js';
import { TARGET_USAGE } from './_target.js';
import { licenseArgs, prepareLicenseJob } from './_license.js';

export default defineCommand({
  name: 'bulk license assign',
  area: 'bulk',
  summary: 'Assigns a license to many users directly. For a group, prefer group-based licensing (the preview says so).',
  usage: `bulk license assign <sku> ${TARGET_USAGE}`,
  examples: ['bulk license assign ENTERPRISEPACK --users alice@contoso.com,bob@contoso.com'],
  args: licenseArgs,
  tier: 'read',
  scopes: ['LicenseAssignment.ReadWrite.All', 'User.Read.All', 'GroupMember.Read.All'],
  requiresSignIn: true,
  card: 'teams-detail',
  run: (ctx, args) => prepareLicenseJob(ctx, args, true),
});
