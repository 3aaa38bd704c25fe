import { bindArgs } from '../bind-args.js';
import { CommandRegistry } from '../registry.js';
import { tokenize } from '../tokenize.js';
import type { CommandContext } from '../types.js';
import { UsageError } from '../../errors.js';
import { adminsReport } from './admins-report.js';
import { licensesReport } from './licenses-report.js';
import { mfaReport } from './mfa-report.js';
import { policyReport } from './policy-report.js';
import { watchMfa } from './_mfa-watch.js';
import { ReportProgress } from './_progress.js';
import type { ReportDefinition, ReportResult, Snapshot } from './_run.js';

/** Reports a watch can follow, by command name. */
// Definitions take their own argument types; a watch only passes back what their command's schema bound.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const WATCHABLE: Record<string, ReportDefinition<any>> = {
  'mfa report': mfaReport,
  'admins report': adminsReport,
  'policy report': policyReport,
  'licenses report': licensesReport,
};

export const WATCH_CHECK = 'watch check';

/** The report a watch follows, parsed and bound as if typed (a drill-down, a cursor or --csv cannot be watched). */
export function watchedReport(
  ctx: CommandContext,
  text: string,
): { definition: ReportDefinition<unknown>; args: unknown } {
  const registry =
    ctx.services.registry instanceof CommandRegistry
      ? ctx.services.registry
      : new CommandRegistry([...ctx.services.registry.all()]);
  const words = tokenize(text);
  const match = registry.match(words);
  const definition = match ? WATCHABLE[match.command.name] : undefined;
  if (!match || !definition)
    throw new UsageError(`A watch follows one of: ${Object.keys(WATCHABLE).join(', ')}.`, 'watch add', 'report');
  const args = bindArgs(match.command, words.slice(match.consumed)) as Record<string, unknown>;
  if (args.policy !== undefined || args.cursor !== undefined || args.csv)
    throw new UsageError('A watch follows a whole report: no --policy, --cursor or --csv.', 'watch add', 'report');
  return { definition, args };
}

/**
 * Runs the report for a watch: no progress card, no CSV. Given the last run's snapshot, `mfa report` reads only
 * what changed since (users/delta, see _mfa-watch.ts); the other reports read what they need each time (role
 * holders and SKUs are few; Teams policy assignments have no delta in Graph).
 */
export async function computeForWatch(
  ctx: CommandContext,
  text: string,
  previous?: Snapshot,
): Promise<Pick<ReportResult, 'text' | 'snapshot'>> {
  const { definition, args } = watchedReport(ctx, text);
  const run = { ctx, progress: new ReportProgress(ctx, definition.title, -1) };
  if (definition === mfaReport) return watchMfa(run, previous);
  return definition.compute(run, args);
}

/** Snapshots of watches, one per schedule. */
export async function loadSnapshot(ctx: CommandContext, scheduleId: string): Promise<Snapshot | undefined> {
  const row = await ctx.services.store?.db
    .selectFrom('report_snapshots')
    .select('snapshot')
    .where('schedule_id', '=', scheduleId)
    .executeTakeFirst();
  return row ? (JSON.parse(row.snapshot) as Snapshot) : undefined;
}

export async function saveSnapshot(ctx: CommandContext, scheduleId: string, report: string, snapshot: Snapshot) {
  const db = ctx.services.store?.db;
  if (!db) return;
  const values = { schedule_id: scheduleId, report, snapshot: JSON.stringify(snapshot), taken_at: Date.now() };
  await db
    .insertInto('report_snapshots')
    .values(values)
    .onConflict((oc) => oc.column('schedule_id').doUpdateSet({ snapshot: values.snapshot, taken_at: values.taken_at }))
    .execute();
}

export async function dropSnapshot(ctx: CommandContext, scheduleId: string): Promise<void> {
  await ctx.services.store?.db.deleteFrom('report_snapshots').where('schedule_id', '=', scheduleId).execute();
}
