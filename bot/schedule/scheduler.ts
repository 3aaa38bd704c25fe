import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/log.js';
import { notice } from '../commands/notice.js';
import type { ConversationAddress, Messenger } from '../commands/ports.js';
import type { CommandRegistry } from '../commands/registry.js';
import { failureDetail, type CommandRunner } from '../commands/runner.js';
import type { CommandServices, Reply } from '../commands/types.js';
import type { AppIdentity } from '../identity/app-identity.js';
import type { Logger } from '../log.js';
import { CREATOR_NO_LONGER_ADMIN, checkCreator, type CreatorStatus } from './creator-check.js';
import { reportHeader } from './report-card.js';
import type { ScheduleRepository, ScheduleRow } from './repository.js';
import { resolveScheduledCommand } from './scheduled-command.js';
import { nextRunAfter } from './timing.js';

export interface SchedulerDeps {
  repo: ScheduleRepository;
  /** The command catalog as declared (not wrapped with interactive step-up: nobody is there to step up). */
  registry: CommandRegistry;
  app: AppIdentity;
  audit?: AuditLog;
  runner: CommandRunner;
  messenger: Messenger;
  services: CommandServices;
  log: Logger;
  clock: () => number;
  /** Names this instance in leases (any unique string). */
  instanceId?: string;
  /** How long a claimed run may take before another instance records it as abandoned. */
  leaseMs?: number;
  /** Runs per tick at most (the next tick takes the rest); each is claimed right before it runs. */
  batch?: number;
  /** How long one run may take before it is given up (default: half the lease; always shorter than the lease). */
  runTimeoutMs?: number;
  /** How long `stop()` waits for a run in progress (default 5 s): a hung post must not hang shutdown. */
  stopWaitMs?: number;
}

interface RunResult {
  status: 'succeeded' | 'failed';
  detail: string;
}

/** Shared between a run and its timeout: once given up, the run posts nothing more. */
interface RunAttempt {
  givenUp: boolean;
  requestIds: string[];
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
  private readonly runTimeoutMs: number;
  private stopped = false;

  constructor(private readonly deps: SchedulerDeps) {
    this.instanceId = deps.instanceId ?? randomUUID();
    this.leaseMs = deps.leaseMs ?? 10 * 60_000;
    // Strictly inside the lease, so this instance gives up (and records why) before another may reap the run.
    this.runTimeoutMs = Math.min(deps.runTimeoutMs ?? Math.floor(this.leaseMs / 2), Math.floor(this.leaseMs * 0.9));
  }

  start(intervalMs = 15_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.tick().catch((err: unknown) => this.deps.log.warn({ err: String(err) }, 'scheduler tick failed'));
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the loop and waits for a tick in progress, at most `stopWaitMs` (no further run starts meanwhile). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stopped = true;
    if (!this.inFlight) return;
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.deps.stopWaitMs ?? 5_000);
      timer.unref();
    });
    await Promise.race([this.inFlight.catch(() => undefined), cap]);
    clearTimeout(timer);
  }

  /** One pass: record abandoned runs, claim what is due, run it. Returns the number of runs this instance did. */
  tick(): Promise<number> {
    // One pass at a time per instance; a slow pass makes the next interval skip, not pile up.
    if (this.inFlight) return this.inFlight;
    this.inFlight = (async () => {
      try {
        await this.reapAbandoned();
        // One claim at a time, right before its run: a lease starts when its run does, not behind a queue.
        let runs = 0;
        for (let claimed; !this.stopped && runs < (this.deps.batch ?? 20) && (claimed = await this.claimNext()); runs++)
          await this.run(claimed);
        return runs;
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }

  /** Claims the oldest due schedule this instance wins, if any. */
  async claimNext(): Promise<ClaimedRun | undefined> {
    const now = this.deps.clock();
    for (const row of await this.deps.repo.due(now, 5)) {
      const next = nextRunAfter({ cron: row.cron, timeZone: row.time_zone }, now) ?? Number.MAX_SAFE_INTEGER;
      if (await this.deps.repo.claim(row.id, row.next_run_at, next, this.instanceId, now, this.leaseMs))
        return { row, claimedAt: now };
    }
    return undefined;
  }

  /** Claims every due schedule this instance wins (the race tests; `tick` claims one at a time). */
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
        .catch((err: unknown) =>
          this.deps.log.error({ err: String(err), scheduleId: row.id }, 'audit of an abandoned run failed'),
        );
    }
  }

  /**
   * Runs one claimed tick: audit start → creator still an admin? → command as the app → card in the conversation →
   * outcome recorded. The whole run is bounded by `runTimeoutMs` (inside the lease): a hung Graph call or post is
   * given up and recorded as failed by this instance, and nothing more is posted for it once given up.
   */
  async run({ row, claimedAt }: ClaimedRun): Promise<void> {
    const { deps } = this;
    let start;
    try {
      start = await this.append({ ...this.auditBase(row), action: 'schedule.run', outcome: 'started' });
    } catch {
      await deps.repo.finish(
        row.id,
        this.instanceId,
        claimedAt,
        'failed',
        'The audit record could not be written, so nothing was run.',
      );
      return;
    }
    const attempt: RunAttempt = { givenUp: false, requestIds: [] };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<RunResult>((resolve) => {
      timer = setTimeout(() => {
        attempt.givenUp = true;
        resolve({
          status: 'failed',
          detail: `timed-out: the run took longer than ${(this.runTimeoutMs / 1000).toFixed(1)} s and was given up`,
        });
      }, this.runTimeoutMs);
      timer.unref();
    });
    const result = await Promise.race([this.perform(row, claimedAt, attempt), timeout]);
    clearTimeout(timer);
    if (attempt.givenUp) deps.log.warn({ scheduleId: row.id }, 'scheduled report timed out');
    await deps.repo.finish(row.id, this.instanceId, claimedAt, result.status, result.detail || result.status);
    await this.append({
      ...this.auditBase(row),
      action: 'schedule.run',
      outcome: result.status === 'succeeded' ? 'succeeded' : `failed:${result.detail.slice(0, 160)}`,
      completes: start?.id,
      graphRequestIds: attempt.requestIds,
    }).catch((err: unknown) =>
      deps.log.error({ err: String(err), scheduleId: row.id }, 'audit end record of a scheduled run failed'),
    );
  }

  private async perform(row: ScheduleRow, claimedAt: number, attempt: RunAttempt): Promise<RunResult> {
    const { deps } = this;
    const correlationId = randomUUID();
    const address = JSON.parse(row.conversation_ref) as ConversationAddress;
    const header = reportHeader(row.command_text, claimedAt, row.time_zone);
    // Given up meanwhile: the outcome is recorded already, so nothing is posted late.
    const reply: Reply = {
      send: async (output) =>
        attempt.givenUp || output.quiet
          ? undefined
          : (await deps.messenger.post(address, { ...output, header })).messageId,
    };
    let creator: CreatorStatus;
    try {
      creator = await checkCreator(deps.app.graph(), row.created_by_aad_id, deps.app.adminRoleTemplateIds);
    } catch (err) {
      return {
        status: 'failed',
        detail: `The creator could not be re-checked, so nothing was run (${failureDetail(err)})`,
      };
    }
    if (!creator.ok) {
      const detail = `${CREATOR_NO_LONGER_ADMIN}: ${row.created_by_upn} — ${creator.reason}`;
      // Said once in the conversation: later skipped runs only record it (the previous outcome already says so).
      if (!row.last_detail?.startsWith(CREATOR_NO_LONGER_ADMIN)) {
        const message =
          `Schedule ${row.id} ("${row.command_text}") did not run: its creator ${row.created_by_upn} is no longer ` +
          `an admin (${creator.reason}). It will not run while that is so; an admin can remove it with "schedule ` +
          `remove ${row.id}".`;
        await reply.send(notice('Scheduled report skipped', message, { text: message })).catch(() => {
          deps.log.warn({ scheduleId: row.id }, 'skipped-run notice could not be posted');
        });
      }
      return { status: 'failed', detail };
    }
    const session = deps.app.session({
      scheduleId: row.id,
      createdByOid: row.created_by_aad_id,
      createdByUpn: row.created_by_upn,
      tenantId: row.tenant_id,
    });
    try {
      const outcome = await deps.runner.run(
        {
          origin: 'scheduled',
          text: row.command_text,
          actor: {
            teamsUserId: `app:${deps.app.appId}`,
            aadObjectId: row.created_by_aad_id,
            name: `Scheduled report ${row.id}`,
            tenantId: row.tenant_id,
          },
          conversation: { id: row.conversation_id, kind: address.kind, tenantId: row.tenant_id },
          address,
          correlationId,
          // Still schedulable (the catalog may have changed since it was stored), and run as the reports app.
          authorize: async () => {
            resolveScheduledCommand(deps.registry, row.command_text);
            return { kind: 'allow', session };
          },
          // The scheduler's own `schedule.run` records span the creator re-check and the post.
          audit: 'caller',
          services: { ...deps.services, graphFor: () => deps.app.graph() },
        },
        reply,
      );
      attempt.requestIds = outcome.requestIds;
      return outcome.outcome === 'ok'
        ? { status: 'succeeded', detail: outcome.detail }
        : { status: 'failed', detail: outcome.failure ?? outcome.detail };
    } catch (err) {
      deps.log.warn({ scheduleId: row.id, correlationId }, 'scheduled report could not be posted');
      return {
        status: 'failed',
        detail: `the report could not be posted to the conversation (${err instanceof Error ? err.message.slice(0, 120) : 'error'})`,
      };
    }
  }

  /**
   * An audit append, tried up to three times: on a shared SQLite file another instance's append can make ours fail
   * at once (a busy snapshot), and nothing was written then, so trying again cannot write it twice.
   */
  private async append(entry: Parameters<AuditLog['append']>[0]) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.deps.audit?.append(entry);
      } catch (err) {
        if (attempt >= 3) throw err;
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
      }
    }
  }

  /** The actor of a run is the reports app, on behalf of the schedule and the admin who created it. */
  private auditBase(row: ScheduleRow) {
    return {
      actorAadId: this.deps.app.appId,
      actorUpn: `app:${this.deps.app.appId}`,
      conversationId: row.conversation_id,
      command: row.command_name,
      tier: 'read',
      args: {
        schedule: row.id,
        createdBy: row.created_by_upn,
        onBehalfOf: row.created_by_aad_id,
        appId: this.deps.app.appId,
        instance: this.instanceId,
      },
    };
  }
}
