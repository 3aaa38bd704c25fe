import { randomUUID } from 'node:crypto';
import type { CloudAdapterBase, ConversationReference } from 'botbuilder';
import type { AuditLog } from '../audit/log.js';
import { requestIdsOf } from '../commands/_lib/context.js';
import { errorOutput } from '../commands/error-output.js';
import type { CommandRegistry } from '../commands/registry.js';
import { requestFromActivity } from '../commands/dispatch.js';
import type { CommandContext, CommandServices } from '../commands/types.js';
import { ErrorCode, isCodedError } from '../errors.js';
import type { AppIdentity } from '../identity/app-identity.js';
import type { Logger } from '../log.js';
import { reportHeader, scheduledReportActivity } from './report-card.js';
import type { ScheduleRepository, ScheduleRow } from './repository.js';
import { resolveScheduledCommand } from './scheduled-command.js';
import { nextRunAfter } from './timing.js';

export interface SchedulerDeps {
  repo: ScheduleRepository;
  /** The command catalog as declared (not wrapped with interactive step-up: nobody is there to step up). */
  registry: CommandRegistry;
  app: AppIdentity;
  audit?: AuditLog;
  adapter: () => CloudAdapterBase;
  botAppId: string;
  services: () => CommandServices;
  log: Logger;
  clock: () => number;
  /** Names this instance in leases (any unique string). */
  instanceId?: string;
  /** How long a claimed run may take before another instance records it as abandoned. */
  leaseMs?: number;
  /** Schedules claimed per tick at most (the next tick takes the rest). */
  batch?: number;
}

export interface ClaimedRun {
  row: ScheduleRow;
  /** The instant of the claim (the run's identity together with the schedule id). */
  claimedAt: number;
}

/**
 * Runs due schedules as the reports app. Every instance runs this loop; a tick is claimed with one conditional
 * update (`next_run_at` still the value read), so of N instances exactly one runs it. The next run is computed
 * from now, so missed ticks (downtime) run once. A claimed run that never finishes is recorded as failed when
 * its lease expires and is not repeated (at most once per tick).
 */
export class Scheduler {
  readonly instanceId: string;
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<number>;
  private readonly leaseMs: number;

  constructor(private readonly deps: SchedulerDeps) {
    this.instanceId = deps.instanceId ?? randomUUID();
    this.leaseMs = deps.leaseMs ?? 10 * 60_000;
  }

  start(intervalMs = 15_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.tick().catch((err: unknown) => this.deps.log.warn({ err: String(err) }, 'scheduler tick failed'));
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the loop and waits for a tick in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight?.catch(() => undefined);
  }

  /** One pass: record abandoned runs, claim what is due, run it. Returns the number of runs this instance did. */
  tick(): Promise<number> {
    // One pass at a time per instance; a slow pass makes the next interval skip, not pile up.
    if (this.inFlight) return this.inFlight;
    this.inFlight = (async () => {
      try {
        await this.reapAbandoned();
        const claimed = await this.claimDue();
        for (const run of claimed) await this.run(run);
        return claimed.length;
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }

  /** Claims every due schedule this instance wins (exposed for the race tests). */
  async claimDue(): Promise<ClaimedRun[]> {
    const now = this.deps.clock();
    const claimed: ClaimedRun[] = [];
    for (const row of await this.deps.repo.due(now, this.deps.batch ?? 20)) {
      const next = nextRunAfter({ cron: row.cron, timeZone: row.time_zone }, now) ?? Number.MAX_SAFE_INTEGER;
      if (await this.deps.repo.claim(row.id, row.next_run_at, next, this.instanceId, now, this.leaseMs)) {
        claimed.push({ row, claimedAt: now });
      }
    }
    return claimed;
  }

  private async reapAbandoned(): Promise<void> {
    for (const row of await this.deps.repo.reapAbandoned(this.deps.clock())) {
      await this.deps.audit
        ?.append({ ...this.auditBase(row), action: 'schedule.run', outcome: 'failed:abandoned' })
        .catch((err: unknown) => this.deps.log.error({ err: String(err), scheduleId: row.id }, 'audit of an abandoned run failed'));
    }
  }

  /** Runs one claimed tick: audit start → command as the app → card in the conversation → outcome recorded. */
  async run({ row, claimedAt }: ClaimedRun): Promise<void> {
    const { deps } = this;
    const correlationId = randomUUID();
    let start;
    try {
      start = await deps.audit?.append({ ...this.auditBase(row), action: 'schedule.run', outcome: 'started' });
    } catch {
      await deps.repo.finish(row.id, this.instanceId, claimedAt, 'failed', 'The audit record could not be written, so nothing was run.');
      return;
    }
    const reference = JSON.parse(row.conversation_ref) as Partial<ConversationReference>;
    const header = reportHeader(row.command_text, claimedAt, row.time_zone);
    let status: 'succeeded' | 'failed' = 'succeeded';
    let detail = '';
    let requestIds: string[] = [];
    try {
      await deps.adapter().continueConversationAsync(deps.botAppId, reference, async (turn) => {
        const conversation = { ...requestFromActivity(turn).conversation, id: row.conversation_id, tenantId: row.tenant_id };
        const actor = { teamsUserId: `app:${deps.app.appId}`, aadObjectId: row.created_by_aad_id, name: `Scheduled report ${row.id}`, tenantId: row.tenant_id };
        const session = deps.app.session({ scheduleId: row.id, createdByOid: row.created_by_aad_id, createdByUpn: row.created_by_upn, tenantId: row.tenant_id });
        const services: CommandServices = { ...deps.services(), graphFor: () => deps.app.graph() };
        const ctx: CommandContext = { turn, request: { text: row.command_text, actor, conversation }, actor, conversation, correlationId, log: deps.log, services, session };
        let output;
        try {
          const { command, args } = resolveScheduledCommand(deps.registry, row.command_text);
          output = await command.run(ctx, args);
          detail = output.text.slice(0, 200);
        } catch (err) {
          status = 'failed';
          detail = failureDetail(err);
          output = errorOutput(err, { correlationId, registry: deps.registry });
          if (!isCodedError(err)) deps.log.error({ scheduleId: row.id, correlationId, err: err instanceof Error ? err.stack : String(err) }, 'scheduled report failed');
        } finally {
          requestIds = requestIdsOf(ctx);
        }
        await turn.sendActivity(scheduledReportActivity(output, header));
      });
    } catch (err) {
      status = 'failed';
      detail = `${detail ? `${detail}; ` : ''}the report could not be posted to the conversation (${err instanceof Error ? err.message.slice(0, 120) : 'error'})`;
      deps.log.warn({ scheduleId: row.id, correlationId }, 'scheduled report could not be posted');
    }
    await deps.repo.finish(row.id, this.instanceId, claimedAt, status, detail || status);
    await deps.audit
      ?.append({ ...this.auditBase(row), action: 'schedule.run', outcome: status === 'succeeded' ? 'succeeded' : `failed:${detail.slice(0, 160)}`, completes: start?.id, graphRequestIds: requestIds })
      .catch((err: unknown) => deps.log.error({ err: String(err), scheduleId: row.id }, 'audit end record of a scheduled run failed'));
  }

  /** The actor of a run is the reports app, on behalf of the schedule and the admin who created it. */
  private auditBase(row: ScheduleRow) {
    return {
      actorAadId: this.deps.app.appId,
      actorUpn: `app:${this.deps.app.appId}`,
      conversationId: row.conversation_id,
      command: row.command_name,
      tier: 'read',
      args: { schedule: row.id, createdBy: row.created_by_upn, onBehalfOf: row.created_by_aad_id, appId: this.deps.app.appId, instance: this.instanceId },
    };
  }
}

function failureDetail(err: unknown): string {
  if (!isCodedError(err)) return `${ErrorCode.Internal}: the command failed unexpectedly`;
  const graph = err as { graphCode?: string; requestId?: string };
  return graph.graphCode ? `Graph ${graph.graphCode} (request-id ${graph.requestId ?? 'n/a'})` : `${err.code}: ${err.message.slice(0, 160)}`;
}
