import { detailOutput, type Fact } from '../commands/_lib/detail-card.js';
import type { CommandOutput } from '../commands/types.js';
import { familyOf } from './families.js';
import type { JobParams, TargetDefinition } from './model.js';
import type { ItemRow, JobCounts, JobRow } from './repository.js';

/** What the preview found, stored with the job (the approver sees the same). */
export interface JobPreview {
  count: number;
  sample: string[];
  /** Users of the sample already in the wanted state, and how many were read (all, or the first chunk). */
  alreadyInState: number;
  checked: number;
  requests: number;
  estimatedSeconds: number;
  budgetNote: string;
  suggestion?: string;
}

export interface Progress {
  counts: JobCounts;
  ratePerSecond: number;
  throttle: string;
}

export function describeTarget(target: TargetDefinition): string {
  switch (target.kind) {
    case 'group':
      return `members of group "${target.group}" (transitive)`;
    case 'filter':
      return `users where ${target.filter}`;
    case 'users':
      return `${target.users.length} listed user(s)`;
    case 'job':
      return `the users changed by job ${target.jobId}`;
  }
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

function jobFacts(job: JobRow): Fact[] {
  return [
    { title: 'Job', value: job.id },
    { title: 'Change', value: job.verb },
    { title: 'Target', value: describeTarget(JSON.parse(job.target) as TargetDefinition) },
    { title: 'Requested by', value: job.requester_upn },
  ];
}

/** The what-if card: nothing has changed yet; Run (or Ask for approval) and Cancel. */
export function previewOutput(job: JobRow, preview: JobPreview): CommandOutput {
  const approval = job.needs_approval === 1;
  const run = approval
    ? { title: 'Ask for approval', text: `bulk approve-run ${job.id}` }
    : { title: `Run on ${preview.count} users`, text: `bulk run ${job.id}` };
  const already =
    preview.checked === preview.count
      ? `${preview.alreadyInState} of ${preview.count} (skipped)`
      : `${preview.alreadyInState} of the first ${preview.checked} checked (skipped when reached)`;
  return detailOutput({
    title: 'Preview: nothing changed yet',
    subtitle: job.verb,
    status: approval ? 'Needs a second admin' : 'Ready',
    statusColor: approval ? 'Warning' : 'Accent',
    facts: [
      ...jobFacts(job),
      { title: 'Users', value: String(preview.count) },
      { title: 'Sample', value: preview.sample.join(', ') || '—' },
      { title: 'Already in that state', value: already },
      { title: 'Graph requests', value: `about ${preview.requests}` },
      { title: 'Estimated time', value: `${duration(preview.estimatedSeconds)} (${preview.budgetNote})` },
    ],
    note: [
      approval
        ? 'This change needs a second admin: it is large or blocks sign-in. The approver sees this preview.'
        : 'Running needs a recent MFA sign-in.',
      preview.suggestion ?? '',
    ]
      .filter(Boolean)
      .join(' '),
    actions: preview.count > 0 ? [run, { title: 'Cancel', text: `bulk cancel ${job.id}` }] : [],
    text: `Preview of job ${job.id}: ${job.verb} for ${preview.count} users (${already} already). Nothing changed yet.`,
  });
}

/** The live card: counts, rate, ETA, throttling; Pause / Resume / Cancel. */
export function progressOutput(job: JobRow, progress: Progress): CommandOutput {
  const { counts } = progress;
  const done = counts.changed + counts.skipped + counts.failed;
  const eta = progress.ratePerSecond > 0 ? counts.remaining / progress.ratePerSecond : Number.NaN;
  const paused = job.status === 'paused';
  const needsSignIn = paused && job.detail === 'sign-in';
  return detailOutput({
    title: paused ? (needsSignIn ? 'Paused: sign in to continue' : 'Paused') : 'Running',
    subtitle: job.verb,
    status: `${done} / ${job.total}`,
    statusColor: paused ? 'Warning' : 'Accent',
    facts: [
      ...jobFacts(job),
      { title: 'Changed', value: String(counts.changed) },
      { title: 'Skipped (already so)', value: String(counts.skipped) },
      { title: 'Failed', value: String(counts.failed) },
      { title: 'Remaining', value: String(counts.remaining) },
      { title: 'Rate', value: `${progress.ratePerSecond.toFixed(1)} users/s` },
      { title: 'ETA', value: paused ? '—' : duration(eta) },
      { title: 'Throttling', value: progress.throttle },
    ],
    note: needsSignIn
      ? 'Your sign-in has expired for this job. Sign in to the bot again (send "whoami"), then Resume.'
      : 'Every chunk is recorded before the next is sent: the job continues where it stopped after a restart.',
    actions: [
      paused ? { title: 'Resume', text: `bulk run ${job.id}` } : { title: 'Pause', text: `bulk pause ${job.id}` },
      { title: 'Cancel', text: `bulk cancel ${job.id}` },
    ],
    text: `Job ${job.id} ${paused ? 'paused' : 'running'}: ${done} of ${job.total} done (${counts.failed} failed).`,
  });
}

/** The final card: counts, the first failures with Graph code and request-id, Undo, CSV. */
export function finalOutput(job: JobRow, counts: JobCounts, failures: readonly ItemRow[]): CommandOutput {
  const params = JSON.parse(job.params) as JobParams;
  const undoable = familyOf(params).readable;
  const title = job.status === 'cancelled' ? 'Cancelled' : job.status === 'failed' ? 'Failed' : 'Done';
  return detailOutput({
    title: `${title}: ${job.verb}`,
    subtitle: `Job ${job.id}`,
    status: counts.failed ? `${counts.failed} failed` : title,
    statusColor: counts.failed || job.status !== 'done' ? 'Attention' : 'Good',
    facts: [
      ...jobFacts(job),
      { title: 'Changed', value: String(counts.changed) },
      { title: 'Skipped (already so)', value: String(counts.skipped) },
      { title: 'Failed', value: String(counts.failed) },
      { title: 'Not done', value: String(counts.remaining) },
      ...(job.approved_by_upn ? [{ title: 'Approved by', value: job.approved_by_upn }] : []),
    ],
    section: {
      title: 'First failures',
      empty: 'None.',
      facts: failures.map((f) => ({
        title: f.upn,
        value: `${f.graph_code ?? 'failed'} · request-id ${f.request_id ?? 'n/a'}`,
      })),
    },
    note: job.detail ?? '',
    actions: [
      { title: 'Results (CSV)', text: `bulk report ${job.id}` },
      ...(undoable && counts.changed > 0 ? [{ title: 'Undo', text: `bulk undo ${job.id}` }] : []),
    ],
    text:
      `Job ${job.id} ${title.toLowerCase()}: ${counts.changed} changed, ${counts.skipped} skipped, ` +
      `${counts.failed} failed.`,
  });
}
