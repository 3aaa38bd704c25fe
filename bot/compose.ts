import { createAdapter, createBotApp, type BotApp } from './teams/app.js';
import { ApprovalRepository } from './approvals/repository.js';
import { ApprovalService } from './approvals/service.js';
import { InterruptedWork } from './audit/interrupted.js';
import { AuditLog } from './audit/log.js';
import { noIdentityGate, type CommandGate } from './commands/gate.js';
import { CommandRegistry } from './commands/registry.js';
import { CommandRunner } from './commands/runner.js';
import type { CommandServices } from './commands/types.js';
import type { BotConfig } from './config.js';
import { fetchAuthorityMetadata } from './identity/authority-metadata.js';
import { createIdentity, identitySettings, type Identity } from './identity/index.js';
import { createRateLimiter, rateLimitSettings } from './limits/index.js';
import { loadTrustAnchors } from './net/trust.js';
import type { Logger } from './log.js';
import { startServer, type RunningServer } from './server.js';
import { openStore, type BotStore } from './store/database.js';
import { createSchedules, type SchedulerOptions } from './schedule/index.js';
import type { Scheduler } from './schedule/scheduler.js';
import { createMessenger } from './teams/messenger.js';
import { phrasingSettings } from './phrasing/config.js';
import { phraseModelFrom } from './phrasing/model.js';
import { TeamsFileDelivery } from './teams/file-delivery.js';
import { createBulkJobs } from './jobs/index.js';

export interface RunningBot extends RunningServer {
  bot: BotApp;
  store: BotStore;
  registry: CommandRegistry;
  /** Present when identity is configured (IDENTITY_AUTHORITY). */
  identity?: Identity;
  /** Present when the reports app is configured (REPORTS_*): scheduled reports. */
  scheduler?: Scheduler;
  /** Files offered with Teams file consent cards (CSV results, exports). */
  files: TeamsFileDelivery;
}

export interface StartOptions {
  gate?: CommandGate;
  /** Commands to serve instead of the discovered catalog (tests add test-only commands). */
  registry?: CommandRegistry;
  /** Clock of the rate limits (tests move it past a window). */
  limitsClock?: () => number;
  /** Scheduler clock and interval (tests move the clock and call `scheduler.tick()`). */
  scheduler?: SchedulerOptions;
}

/**
 * Wires one bot instance: store → command registry → identity (gate, sign-in routes, SSO invokes) → teams-ai
 * app → HTTP server. The entry point and the HTTP tests both start the bot through here, so tests exercise the
 * same composition that production runs. Without identity settings the bot runs with `noIdentityGate`.
 */
export async function startBot(config: BotConfig, log: Logger, options: StartOptions = {}): Promise<RunningBot> {
  const store = await openStore(config);
  /** Once the server is up: stops the loops and closes the server (which closes the store). */
  let close: (() => Promise<void>) | undefined;
  try {
    const settings = identitySettings(config);
    if (settings) {
      settings.authorityMetadata = await fetchAuthorityMetadata(settings, loadTrustAnchors(settings.caFile), log);
    }
    const identity = settings ? createIdentity(settings, store, log) : undefined;
    const registry = options.registry ?? (await CommandRegistry.discover());
    const audit = new AuditLog(store.db);
    const limits = createRateLimiter(rateLimitSettings(config), store.db, { audit, log, now: options.limitsClock });
    // The adapter first: everything that posts to Teams later (approvals, schedules, sign-in completion) needs it.
    const botAppId = config.MICROSOFT_APP_ID ?? '';
    const adapter = createAdapter(config, log);
    const messenger = createMessenger(adapter, botAppId);
    const files = new TeamsFileDelivery({
      adapter,
      botAppId,
      db: store.db,
      trust: loadTrustAnchors(config.EXTRA_CA_FILE),
      log,
    });
    const schedules = identity
      ? createSchedules(config, { identity: identity.service, store, audit, catalog: registry, log }, options.scheduler)
      : undefined;
    const approvals = identity
      ? new ApprovalService({
          repo: new ApprovalRepository(store.db),
          audit,
          registry,
          messenger,
          sessions: (oid, tenantId) => currentAdminSession(identity, oid, tenantId),
          settings: {
            ttlMs: config.APPROVAL_TTL_MINUTES * 60_000,
            approverRoleTemplateIds: identity.service.settings.adminRoleTemplateIds,
          },
          log,
        })
      : undefined;
    // Bulk jobs run chunk by chunk as their requester (cached sign-in, roles re-checked), like approved commands.
    const jobs = identity
      ? createBulkJobs(config, {
          store,
          audit,
          log,
          messenger,
          sessions: (oid, tenantId) => currentAdminSession(identity, oid, tenantId),
          graphFor: (session) => identity.service.graphFor(session),
          files: () => files,
        })
      : undefined;
    const services: CommandServices = {
      registry,
      store,
      audit,
      limits,
      approvals,
      messenger,
      dataDir: config.DATA_DIR,
      graphFor: identity ? (session) => identity.service.graphFor(session) : undefined,
      identity: identity?.services,
      schedules: schedules?.service,
      files,
      phraseModel: phraseModelFrom(phrasingSettings(config), log),
      jobs: jobs?.service,
    };
    const gate = options.gate ?? identity?.gate ?? noIdentityGate;
    const runner = new CommandRunner({ registry, gate, services, log, stepUp: identity?.stepUp });
    const completion = identity?.completion({ messenger, runner, log }, audit);
    const bot = createBotApp(
      {
        config,
        store,
        log,
        runner,
        services,
        signIn: identity && completion ? { identity: identity.service, completion, limits } : undefined,
      },
      adapter,
    );
    files.installRoutes(bot.app);
    const server = await startServer({
      config,
      bot,
      store,
      log,
      routes: identity && completion ? (s) => identity.installHttpRoutes(s, completion, limits) : undefined,
    });
    const loops: { sweeper?: ReturnType<typeof setInterval> } = {};
    close = async () => {
      clearInterval(loops.sweeper);
      await schedules?.stop();
      await jobs?.runner.stop();
      await server.close();
    };
    schedules?.start({ runner, messenger, services });
    // Abandoned work (a crashed instance's): approvals stuck "executing" become "outcome unknown", commands started
    // and never finished get an "interrupted" audit record. At start (this instance may be the one that crashed)
    // and every 30 s (another instance may have).
    const abandonAfterMs = config.ABANDONED_AFTER_SECONDS * 1000;
    const interrupted = new InterruptedWork(store.db, audit, abandonAfterMs);
    const sweep = async () => {
      await approvals?.sweep(abandonAfterMs);
      for (const record of await interrupted.reconcile()) {
        log.warn(
          {
            auditSeq: record.seq,
            action: record.action,
            command: record.command,
            approvalId: record.approval_id ?? undefined,
          },
          'work interrupted by a stop was recorded as outcome unknown',
        );
      }
    };
    // Best effort, at start as every 30 s: a sweep that fails now is retried by the next one, and must not stop
    // the bot.
    const sweepSafely = () =>
      sweep().catch((err: unknown) => log.warn({ err: String(err) }, 'sweep of abandoned work failed'));
    jobs?.runner.start();
    loops.sweeper = setInterval(() => void sweepSafely(), 30_000);
    loops.sweeper.unref();
    await sweepSafely();
    return { ...server, close, bot, store, registry, identity, scheduler: schedules?.scheduler, files };
  } catch (err) {
    // A start that fails after the server is up must not leave it listening or its loops running.
    await (close ?? (() => store.close()))().catch((closeErr: unknown) =>
      log.warn({ err: String(closeErr) }, 'could not close a bot that failed to start'),
    );
    throw err;
  }
}

/**
 * The requester's session when their approved command runs: their cached sign-in, and roles asked of Graph again —
 * someone who lost their admin role while waiting gets nothing run.
 */
async function currentAdminSession(identity: Identity, oid: string, tenantId: string) {
  const signIn = await identity.service.cachedSignIn(oid, tenantId);
  if (!signIn) return undefined;
  const roles = await identity.service.roles(signIn);
  if (!roles.some((r) => identity.service.settings.adminRoleTemplateIds.includes(r))) return undefined;
  return identity.service.session(signIn, roles);
}
