import { defineCommand } from '../types.js';
import { TARGET_USAGE } from './_target.js';
import { licenseArgs, prepareLicenseJob } from './_license.js';

export default defineCommand({
  name: 'bulk license remove',
  area: 'bulk',
  summary: "Removes a license from many users (always needs a second admin's approval to run).",
  usage: `bulk license remove <sku> ${TARGET_USAGE}`,
  examples: [`bulk license remove ENTERPRISEPACK --filter "department eq 'Contractors'"`],
  args: licenseArgs,
  tier: 'read',
  scopes: ['LicenseAssignment.ReadWrite.All', 'User.Read.All', 'GroupMember.Read.All'],
  requiresSignIn: true,
  card: 'teams-detail',
  run: (ctx, args) => prepareLicenseJob(ctx, args, false),
});
