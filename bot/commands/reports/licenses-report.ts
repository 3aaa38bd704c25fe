import { z } from 'zod';
import { defineCommand } from '../types.js';
import { LICENSES_CSV_HEADER, computeLicenses } from './_licenses.js';
import { csvArg, runReport, type ReportDefinition } from './_run.js';

const SCOPES = ['LicenseAssignment.Read.All', 'User.Read.All'];

export const licensesReport: ReportDefinition<{ csv?: boolean }> = {
  command: 'licenses report',
  title: 'Licences',
  csvHeader: LICENSES_CSV_HEADER,
  variant: () => '',
  text: () => 'licenses report',
  compute: (run) => computeLicenses(run),
};

export default defineCommand({
  name: 'licenses report',
  summary: 'Seats per SKU (used, unassigned) and users with licence assignment errors.',
  usage: 'licenses report [--csv]',
  examples: ['licenses report', 'licenses report --csv'],
  args: { positional: [], schema: z.object({ ...csvArg }).strict() },
  tier: 'read',
  scopes: SCOPES,
  schedulable: { appScopes: SCOPES },
  run: (ctx, args) => runReport(ctx, licensesReport, args),
});
