import type { AuditLog } from '../audit/log.js';
import { sessionOf } from '../commands/_lib/context.js';
import { detailOutput } from '../commands/_lib/detail-card.js';
import type { ConversationAddress, FileDelivery } from '../commands/ports.js';
import type { BulkControl, BulkJobs, BulkSpec } from '../commands/ports-jobs.js';
import type { AdminSession, CommandContext, CommandOutput } from '../commands/types.js';
import { CodedError, ErrorCode, NotFoundError } from '../errors.js';
import { familyOf } from './families.js';
import { CHUNK_SIZE, FINAL_JOB_STATUSES, type JobParams, type JobStatus, type TargetDefinition } from './model.js';
import { resultsCsv } from './report.js';
import type { JobRepository, JobRow, NewItem } from './repository.js';
import type { JobRunner, RunnerSettings } from './runner.js';
import { resolveTargets } from './targets.js';
import { describeTarget, finalOutput, previewOutput, progressOutput, type JobPreview } from './views.js';

export interface BulkServiceDeps {
  repo: JobRepository;
  audit?: AuditLog;
  files?: () => FileDelivery | undefined;
  runner?: () => JobRunner | undefined;
  approvalThreshold: number;
  runnerSettings: RunnerSettings;
}

const SAMPLE = 5;

/** The commands' side of bulk jobs (the BulkJobs port): preview, start, control, views, CSV, undo. */
export class BulkJobService implements BulkJobs<CommandContext, CommandOutput> {
  constructor(private readonly deps: BulkServiceDeps) {}

  async prepare(ctx: CommandContext, spec: BulkSpec): Promise<CommandOutput> {
    const session = sessionOf(ctx);
    const graphFor = ctx.services.graphFor;
    if (!graphFor) throw new CodedError(ErrorCode.Internal, 'Graph access is not configured on this bot.');
    const job = await this.createJob(ctx, session, spec.verb, spec.params, spec.target);
    let seq = 0;
    try {
      const resolution = await resolveTargets(
        () => graphFor(session),
        spec.target,
        async (page) => {
          await this.deps.repo.addItems(job.id, seq, page, CHUNK_SIZE);
          seq += page.length;
        },
      );
      const notFound = resolution.notFound.length
        ? `Not found, left out: ${resolution.notFound.slice(0, 10).join(', ')}${resolution.notFound.length > 10 ? '…' : ''}.`
        : undefined;
      const suggestion =
        spec.params.family === 'license' && spec.target.kind === 'group'
          ? 'For a group, group-based licensing (assign the license to the group in Entra ID) keeps members ' +
            'licensed as they join and leave, with no job to run.'
          : undefined;
      return await this.finishPreview(ctx, session, job, seq, spec.dangerous === true, [notFound, suggestion]);
    } catch (err) {
      await this.deps.repo.transition(job.id, ['resolving'], 'failed', { detail: 'target resolution failed' });
      throw err;
    }
  }

  async needsApproval(ctx: CommandContext, id: string): Promise<boolean> {
    return (await this.mustGet(ctx, id)).needs_approval === 1;
  }

  async start(ctx: CommandContext, id: string, approval?: { approverUpn: string }): Promise<CommandOutput> {
    const session = sessionOf(ctx);
    const job = await this.mustGet(ctx, id);
    // `bulk run` of a paused job resumes it (the requester or the approver may).
    if (job.status === 'paused') return this.control(ctx, id, 'resume');
    if (job.requester_aad_id !== session.oid)
      throw new CodedError(ErrorCode.Forbidden, `Only ${job.requester_upn}, who previewed job ${job.id}, can run it.`);
    if (job.needs_approval === 1 && !approval) {
      throw new CodedError(
        ErrorCode.ApprovalRequired,
        `Job ${job.id} needs a second admin's approval: send "bulk approve-run ${job.id} --reason <why>". ` +
          `Nothing was run.`,
      );
    }
    if (job.status !== 'preview' && job.status !== 'awaiting-approval')
      return notice(`Job ${job.id} is ${job.status}`, `Nothing was started: job ${job.id} is already ${job.status}.`);
    const started = await this.deps.repo.transition(job.id, ['preview', 'awaiting-approval'], 'running', {
      mfa: JSON.stringify(session.mfa),
      approved_by_upn: approval?.approverUpn.toLowerCase() ?? null,
    });
    if (!started) return notice(`Job ${job.id}`, `Job ${job.id} was started or cancelled meanwhile; nothing changed.`);
    await this.auditControl(
      ctx,
      session,
      job,
      'bulk.start',
      approval ? `approved by ${approval.approverUpn}` : 'started',
    );
    this.kick();
    return notice(
      `Job ${job.id} started`,
      `${job.verb} for ${job.total} users runs now. A progress card follows in this conversation; it updates itself.`,
    );
  }

  async control(ctx: CommandContext, id: string, action: BulkControl): Promise<CommandOutput> {
    const session = sessionOf(ctx);
    const job = await this.mustGet(ctx, id);
    const upn = session.upn.toLowerCase();
    if (job.requester_aad_id !== session.oid && job.approved_by_upn !== upn)
      throw new CodedError(
        ErrorCode.Forbidden,
        `Only the requester or the approver of job ${job.id} can ${action} it.`,
      );
    const moves: Record<BulkControl, { from: JobStatus[]; to: JobStatus }> = {
      pause: { from: ['running'], to: 'paused' },
      resume: { from: ['paused'], to: 'running' },
      cancel: { from: ['preview', 'awaiting-approval', 'running', 'paused'], to: 'cancelled' },
    };
    const move = moves[action];
    const won = await this.deps.repo.transition(job.id, move.from, move.to, {
      detail: action === 'resume' ? null : `${action === 'pause' ? 'Paused' : 'Cancelled'} by ${upn}.`,
    });
    await this.auditControl(ctx, session, job, `bulk.${action}`, won ? move.to : `no effect: ${job.status}`);
    if (!won) return notice(`Job ${job.id} is ${job.status}`, `Nothing changed: job ${job.id} is ${job.status}.`);
    if (action === 'resume') this.kick();
    const current = (await this.deps.repo.get(job.id))!;
    // A job this instance runs updates its own card; one that was not running gets its final card here.
    if (action === 'cancel' && job.status !== 'running') return this.view(current);
    return notice(
      `Job ${job.id} ${move.to}`,
      action === 'resume'
        ? `Job ${job.id} continues from its first unfinished chunk.`
        : `Job ${job.id} is ${move.to}; the chunk in flight (if any) finishes and is recorded, nothing more is sent.`,
    );
  }

  async list(ctx: CommandContext): Promise<CommandOutput> {
    const session = sessionOf(ctx);
    const jobs = await this.deps.repo.list(session.tenantId, 10);
    return detailOutput({
      title: 'Bulk jobs',
      subtitle: 'The 10 most recent in this tenant',
      status: `${jobs.length}`,
      statusColor: 'Default',
      facts: jobs.map((j) => ({
        title: j.id,
        value: `${j.verb} · ${j.status} · ${j.total} users · ${j.requester_upn}`,
      })),
      actions: jobs.slice(0, 5).map((j) => ({ title: `Show ${j.id}`, text: `bulk show ${j.id}` })),
      text: jobs.length ? jobs.map((j) => `${j.id} ${j.verb} ${j.status}`).join('; ') : 'No bulk jobs yet.',
    });
  }

  async show(ctx: CommandContext, id: string): Promise<CommandOutput> {
    return this.view(await this.mustGet(ctx, id));
  }

  async report(ctx: CommandContext, id: string): Promise<CommandOutput> {
    const job = await this.mustGet(ctx, id);
    const files = this.deps.files?.();
    if (!files || !ctx.address)
      return notice('Files unavailable', 'This bot cannot send files here. Use "bulk show" for the counts.');
    const content = await resultsCsv(this.deps.repo, job);
    const result = await files.offer(ctx.address, {
      name: `bulk-${job.id}.csv`,
      contentType: 'text/csv',
      content,
      description: `Per-user results of bulk job ${job.id} (${job.verb})`,
    });
    return result === 'offered'
      ? notice(`Results of job ${job.id}`, 'Accept the file card to download the CSV.')
      : notice(
          `Results of job ${job.id}`,
          `Files are sent in a 1:1 chat: send "bulk report ${job.id}" to the bot there.`,
        );
  }

  async undo(ctx: CommandContext, id: string): Promise<CommandOutput> {
    const session = sessionOf(ctx);
    const source = await this.mustGet(ctx, id);
    const params = JSON.parse(source.params) as JobParams;
    const family = familyOf(params);
    if (!FINAL_JOB_STATUSES.includes(source.status as JobStatus))
      throw new CodedError(ErrorCode.Conflict, `Job ${source.id} is ${source.status}: undo it once it has ended.`);
    if (!family.readable)
      throw new CodedError(ErrorCode.Conflict, `"${source.verb}" cannot be undone (there is no state to restore).`);
    const target: TargetDefinition = { kind: 'job', jobId: source.id };
    const job = await this.createJob(
      ctx,
      session,
      `undo ${source.id} (${source.verb})`,
      { ...params, action: 'undo', desired: undefined },
      target,
      source.id,
    );
    let seq = 0;
    let dangerous = false;
    // The users the source job changed, each back to its recorded before-state; page by page.
    for (let after = -1; ;) {
      const page = await this.deps.repo.itemsPage(source.id, after, 1000);
      if (page.length === 0) break;
      after = page[page.length - 1].seq;
      const items: NewItem[] = page
        .filter((i) => i.outcome === 'changed' && family.undoable(i.before))
        .map((i) => ({ userId: i.user_id, upn: i.upn, want: i.before! }));
      dangerous ||= items.some((i) => i.want === 'disabled' || i.want === 'unassigned');
      await this.deps.repo.addItems(job.id, seq, items, CHUNK_SIZE);
      seq += items.length;
    }
    return this.finishPreview(ctx, session, job, seq, dangerous, []);
  }

  private async createJob(
    ctx: CommandContext,
    session: AdminSession,
    verb: string,
    params: JobParams,
    target: TargetDefinition,
    undoOf?: string,
  ): Promise<JobRow> {
    const address: ConversationAddress = ctx.address ?? {
      conversationId: ctx.conversation.id,
      kind: ctx.conversation.kind,
      tenantId: ctx.conversation.tenantId,
      channelRef: '',
    };
    return this.deps.repo.create({
      tenantId: session.tenantId,
      requester: { aadId: session.oid, upn: session.upn, teamsId: ctx.actor.teamsUserId },
      conversation: address,
      verb,
      params,
      target,
      undoOf,
    });
  }

  /** Counts, sample, the first chunk read for "already in that state", the estimate; the job moves to preview. */
  private async finishPreview(
    ctx: CommandContext,
    session: AdminSession,
    job: JobRow,
    total: number,
    dangerous: boolean,
    notes: Array<string | undefined>,
  ): Promise<CommandOutput> {
    const params = JSON.parse(job.params) as JobParams;
    const family = familyOf(params);
    const first = await this.deps.repo.itemsPage(job.id, -1, CHUNK_SIZE);
    let already = 0;
    const unreadable: string[] = [];
    if (family.readable && first.length) {
      const states = await family.read(
        ctx.services.graphFor!(session),
        params,
        first.map((i) => ({ seq: i.seq, userId: i.user_id, upn: i.upn, desired: i.want ?? params.desired ?? '' })),
        () => undefined,
      );
      for (const item of first) {
        const state = states.get(item.user_id);
        if (state && !state.ok) unreadable.push(state.code);
        else if (state?.ok && family.satisfied(state.state, item.want ?? params.desired ?? '')) already++;
      }
    }
    const { budgetPer10s, share } = this.deps.runnerSettings;
    const requests = Math.ceil(total * family.requestsPerUser);
    const preview: JobPreview = {
      count: total,
      sample: first.slice(0, SAMPLE).map((i) => i.upn),
      alreadyInState: already,
      checked: family.readable ? first.length : 0,
      requests,
      estimatedSeconds: requests / ((budgetPer10s / 10) * share),
      budgetNote: `at ${Math.round(share * 100)} % of ${budgetPer10s} requests per 10 s`,
      suggestion:
        [
          ...notes,
          // A preview that could not read the states must say so: those users would fail the same way when run.
          unreadable.length
            ? `${unreadable.length} of the ${first.length} checked could not be read (${[...new Set(unreadable)].join(', ')}): ` +
              `they would fail the same way.`
            : undefined,
        ]
          .filter(Boolean)
          .join(' ') || undefined,
    };
    const needsApproval = dangerous || total > this.deps.approvalThreshold;
    await this.deps.repo.finishResolution(job.id, total, CHUNK_SIZE, preview, needsApproval);
    return previewOutput((await this.deps.repo.get(job.id))!, preview);
  }

  private async view(job: JobRow): Promise<CommandOutput> {
    if (job.status === 'preview' || job.status === 'awaiting-approval')
      return previewOutput(job, JSON.parse(job.preview ?? '{}') as JobPreview);
    const counts = await this.deps.repo.counts(job.id);
    if (FINAL_JOB_STATUSES.includes(job.status as JobStatus))
      return finalOutput(job, counts, await this.deps.repo.failures(job.id, 5));
    return progressOutput(job, {
      counts,
      ratePerSecond: 0,
      throttle: job.status === 'running' ? 'see the live card' : 'not sending',
    });
  }

  /** A job of the admin's tenant, or not found (jobs of other tenants do not exist for them). */
  private async mustGet(ctx: CommandContext, id: string): Promise<JobRow> {
    const session = sessionOf(ctx);
    const job = /^[0-9a-f]{8}$/i.test(id) ? await this.deps.repo.get(id) : undefined;
    if (!job || job.tenant_id !== session.tenantId)
      throw new NotFoundError(`No bulk job ${id}. "bulk list" shows recent ones.`);
    return job;
  }

  private async auditControl(ctx: CommandContext, session: AdminSession, job: JobRow, action: string, outcome: string) {
    await this.deps.audit?.append({
      actorAadId: session.oid,
      actorUpn: session.upn.toLowerCase(),
      conversationId: ctx.conversation.id,
      action,
      command: job.verb,
      args: { jobId: job.id, target: describeTarget(JSON.parse(job.target) as TargetDefinition), users: job.total },
      mfa: session.mfa,
      outcome,
    });
  }

  /** Lets this instance's runner pick the job up now instead of at its next interval. */
  private kick(): void {
    const runner = this.deps.runner?.();
    if (runner) setImmediate(() => void runner.tick().catch(() => undefined));
  }
}

function notice(title: string, message: string): CommandOutput {
  return { card: 'notice', data: { title, message, actions: [] }, text: message };
}
