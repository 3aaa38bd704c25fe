import { z } from 'zod';
import { CsvBuilder } from '../_lib/csv.js';
import { fileOutcomeText, offerFiles } from '../_lib/offer-file.js';
import type { CommandContext, CommandOutput } from '../types.js';
import { reportOutput, type ReportView } from './_card.js';
import { joinOrRun, reportKey } from './_engine.js';
import { ReportProgress } from './_progress.js';

/** `--csv`: also send the full data as a CSV file (1:1 chat). */
export const csvArg = { csv: z.boolean().optional() };

/**
 * What a watch keeps of a run: counts, and the ids (with a name to show) behind the risky buckets, so the next run
 * can say what changed — "2 new admins without MFA: …", "Global Administrators 3 → 5".
 */
export interface Snapshot {
  counts: Record<string, number>;
  risky: Record<string, Record<string, string>>;
  /** Where the next run of a watch reads only what changed (see _mfa-watch.ts); absent: the next run is full. */
  delta?: { usersLink: string; incrementalRuns: number };
}

export interface ReportResult {
  view: ReportView;
  text: string;
  snapshot: Snapshot;
  /** The CSV's file name and description (its rows are in the run's builder). */
  csv: { name: string; description: string };
}

/** What a report computes with: the command context, a progress line, and a CSV builder when asked for one. */
export interface ReportRun {
  ctx: CommandContext;
  progress: ReportProgress;
  /** Present when the CSV was asked for (rows are folded in as pages arrive). */
  csv?: CsvBuilder;
}

export interface ReportDefinition<A> {
  /** The command's name (the drill-down and CSV buttons re-run it). */
  command: string;
  title: string;
  csvHeader: string[];
  /** Join key beyond the report name (the arguments that change the answer). */
  variant(args: A): string;
  /** The command text of this report with these arguments (for buttons). */
  text(args: A): string;
  compute(run: ReportRun, args: A): Promise<ReportResult>;
}

/**
 * Runs a report for a command: joins a run of the same report already in progress, shows a progress card when it
 * takes a while, and offers the CSV in a 1:1 chat when `--csv` was given (elsewhere: says to ask in a 1:1 chat).
 */
export async function runReport<A extends { csv?: boolean }>(
  ctx: CommandContext,
  definition: ReportDefinition<A>,
  args: A,
): Promise<CommandOutput> {
  const personal = ctx.address?.kind === 'personal' && !ctx.session?.app;
  const wantCsv = !!args.csv && personal;
  const key = `${reportKey(ctx, definition.command)}|${definition.variant(args)}|${wantCsv ? 'csv' : ''}`;
  const { result, joined } = await joinOrRun(key, async () => {
    const progress = new ReportProgress(ctx, definition.title);
    try {
      const csv = wantCsv ? new CsvBuilder(definition.csvHeader) : undefined;
      const computed = await definition.compute({ ctx, progress, csv }, args);
      await progress.close(`Done: ${computed.text.slice(0, 200)}`);
      return { ...computed, rows: csv };
    } catch (err) {
      await progress.close('The report failed; the reason is in the answer below.');
      throw err;
    }
  });
  const view = { ...result.view, actions: [...(result.view.actions ?? [])] };
  const footer: string[] = view.footer ? [view.footer] : [];
  if (joined) footer.push('This answer comes from the same report already running for your tenant.');
  if (args.csv) {
    const outcome =
      wantCsv && result.rows
        ? await offerFiles(ctx, [
            {
              name: result.csv.name,
              contentType: 'text/csv',
              content: result.rows.toBuffer(),
              description: result.csv.description,
            },
          ])
        : 'needs-personal-chat';
    footer.push(fileOutcomeText(outcome, 'The CSV of the full data', `${definition.text(args)} --csv`));
  } else if (!ctx.session?.app) {
    view.actions.push({ title: 'CSV of the full data', command: `${definition.text(args)} --csv` });
  }
  view.footer = footer.join(' ');
  return reportOutput(view, result.text);
}

/** A file name with the report and the date (no user data in it). */
export function csvName(report: string): string {
  return `${report}-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.csv`;
}
