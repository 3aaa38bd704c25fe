import type { Messenger } from '../commands/ports.js';
import type { CommandRunner } from '../commands/runner.js';
import type { AuditLog } from '../audit/log.js';
import type { CommandRegistry } from '../commands/registry.js';
import type { CommandServices } from '../commands/types.js';
import { AppIdentity } from '../identity/app-identity.js';
import type { IdentityService } from '../identity/service.js';
import type { Logger } from '../log.js';
import type { BotStore } from '../store/database.js';
import { reportsSettings, type ReportsSettings } from './config.js';
import { ScheduleRepository } from './repository.js';
import { Scheduler } from './scheduler.js';
import { ScheduleService } from './service.js';

export interface SchedulerOptions {
  /** Epoch ms; tests move it instead of waiting (default Date.now). */
  clock?: () => number;
  /** Loop interval (default 15 s); 0 = no loop (tests call `tick()`). */
  intervalMs?: number;
  instanceId?: string;
  leaseMs?: number;
}

export interface Schedules {
  service: ScheduleService;
  /** Present when the reports app is configured. */
  scheduler?: Scheduler;
  /** Starts the loop on this instance, once the runner exists. */
  start(link: { runner: CommandRunner; messenger: Messenger; services: CommandServices }): void;
  stop(): Promise<void>;
}

/**
 * Scheduled reports for one instance: the service the `schedule` commands use and, when the reports app is
 * configured, the scheduler loop (on every instance; the store's conditional claims keep each tick to one run).
 */
export function createSchedules(
  config: Parameters<typeof reportsSettings>[0],
  deps: { identity: IdentityService; store: BotStore; audit: AuditLog; catalog: CommandRegistry; log: Logger },
  options: SchedulerOptions = {},
): Schedules {
  const reports: ReportsSettings | undefined = reportsSettings(config);
  const app = reports ? new AppIdentity(reports, deps.identity.settings, deps.identity.trust, deps.log) : undefined;
  const clock = options.clock ?? Date.now;
  const repo = new ScheduleRepository(deps.store.db);
  const service = new ScheduleService({ repo, app, clock });
  let scheduler: Scheduler | undefined;
  if (app) deps.log.info({ reportsAppId: app.appId }, 'scheduled reports configured');
  return {
    service,
    get scheduler() {
      return scheduler;
    },
    start(link) {
      if (!app) return;
      scheduler = new Scheduler({
        repo,
        registry: deps.catalog,
        app,
        audit: deps.audit,
        clock,
        log: deps.log,
        instanceId: options.instanceId,
        leaseMs: options.leaseMs,
        ...link,
      });
      if (options.intervalMs !== 0) scheduler.start(options.intervalMs ?? 15_000);
    },
    async stop() {
      await scheduler?.stop();
    },
  };
}
