import { z } from 'zod';
import { defineCommand } from '../types.js';
import { ADMINS_CSV_HEADER, computeAdmins } from './_admins.js';
import { csvArg, runReport, type ReportDefinition } from './_run.js';

const SCOPES = [
  'RoleManagement.Read.Directory',
  'RoleAssignmentSchedule.Read.Directory',
  'RoleEligibilitySchedule.Read.Directory',
  'UserAuthenticationMethod.Read.All',
  'User.Read.All',
  'AuditLog.Read.All',
];

export const adminsReport: ReportDefinition<{ csv?: boolean }> = {
  command: 'admins report',
  title: 'Privileged roles',
  csvHeader: ADMINS_CSV_HEADER,
  variant: () => '',
  text: () => 'admins report',
  compute: (run) => computeAdmins(run),
};

export default defineCommand({
  name: 'admins report',
  summary: 'Every role holder (active, PIM-eligible): MFA, last sign-in, Global Admin count.',
  usage: 'admins report [--csv]',
  examples: ['admins report', 'admins report --csv'],
  args: { positional: [], schema: z.object({ ...csvArg }).strict() },
  tier: 'read',
  // Last sign-in (signInActivity) needs AuditLog.Read.All; MFA state comes from each holder's methods.
  scopes: SCOPES,
  schedulable: { appScopes: SCOPES },
  run: (ctx, args) => runReport(ctx, adminsReport, args),
});
