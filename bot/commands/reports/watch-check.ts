import { z } from 'zod';
import { defineCommand } from '../types.js';
import { describeDrift } from './_drift.js';
import { WATCH_CHECK, computeForWatch, loadSnapshot, saveSnapshot, watchedReport } from './_watch.js';

/** Every application permission a watched report may need (the reports app's consent list is built from these). */
const APP_SCOPES = [
  'AuditLog.Read.All',
  'User.Read.All',
  'UserAuthenticationMethod.Read.All',
  'RoleManagement.Read.Directory',
  'RoleAssignmentSchedule.Read.Directory',
  'RoleEligibilitySchedule.Read.Directory',
  'TeamsUserConfiguration.Read.All',
  'LicenseAssignment.Read.All',
];

/**
 * What a watch's schedule runs (`watch add` creates it): the report, compared with the last run's snapshot. As
 * the reports app it posts only what changed (the first run states the baseline); typed by an admin it only
 * checks that they can read the report (that is what `schedule add` runs once with the creator's sign-in).
 */
export default defineCommand({
  name: WATCH_CHECK,
  summary: 'Runs a watched report and says what changed (run by a watch).',
  usage: 'watch check "<report>"',
  examples: ['watch check "mfa report"'],
  args: { positional: ['report...'], schema: z.object({ report: z.string().min(1).max(200) }).strict() },
  tier: 'read',
  scopes: APP_SCOPES,
  schedulable: { appScopes: APP_SCOPES },
  async run(ctx, { report }) {
    watchedReport(ctx, report);
    const scheduleId = ctx.session?.app?.scheduleId;
    if (!scheduleId) {
      const result = await computeForWatch(ctx, report);
      const message = `You can read "${report}": ${result.text}`;
      return { card: 'notice', data: { title: 'Watch check', message, actions: [] }, text: message };
    }
    const previous = await loadSnapshot(ctx, scheduleId);
    const result = await computeForWatch(ctx, report, previous);
    await saveSnapshot(ctx, scheduleId, report, result.snapshot);
    if (!previous) {
      const message = `Watching "${report}" from now on; I post here only when it changes. Baseline: ${result.text}`;
      return { card: 'notice', data: { title: `Watch: ${report}`, message, actions: [] }, text: message };
    }
    const changes = describeDrift(previous, result.snapshot);
    if (changes.length === 0) return { card: 'notice', data: {}, text: `No change in "${report}".`, quiet: true };
    const message = changes.map((line) => `- ${line}`).join('\n');
    return {
      card: 'notice',
      data: { title: `"${report}" changed`, message, actions: [{ title: 'Full report', command: report }] },
      text: `"${report}" changed: ${changes.join('; ')}.`,
    };
  },
});
