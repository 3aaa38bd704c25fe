import { z } from 'zod';
import { defineCommand } from '../types.js';
import { MFA_CSV_HEADER, computeMfa } from './_mfa.js';
import { csvArg, runReport, type ReportDefinition } from './_run.js';

type Args = { csv?: boolean };

export const mfaReport: ReportDefinition<Args> = {
  command: 'mfa report',
  title: 'MFA registration',
  csvHeader: MFA_CSV_HEADER,
  variant: () => '',
  text: () => 'mfa report',
  compute: (run) => computeMfa(run),
};

export default defineCommand({
  name: 'mfa report',
  summary: 'MFA posture of every user: capable, methods, passwordless, admins without MFA, departments.',
  usage: 'mfa report [--csv]',
  examples: ['mfa report', 'mfa report --csv'],
  args: { positional: [], schema: z.object({ ...csvArg }).strict() },
  tier: 'read',
  // Department needs User.Read.All; the no-P1/P2 fallback reads each user's methods and role assignments.
  scopes: ['AuditLog.Read.All', 'User.Read.All', 'UserAuthenticationMethod.Read.All', 'RoleManagement.Read.Directory'],
  schedulable: {
    appScopes: [
      'AuditLog.Read.All',
      'User.Read.All',
      'UserAuthenticationMethod.Read.All',
      'RoleManagement.Read.Directory',
    ],
  },
  run: (ctx, args) => runReport(ctx, mfaReport, args),
});
