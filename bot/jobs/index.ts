import type { AuditLog } from '../audit/log.js';
import type { FileDelivery, Messenger, SessionSource } from '../commands/ports.js';
import type { AdminSession } from '../commands/types.js';
import type { GraphApi } from '../graph/client.js';
import type { Logger } from '../log.js';
import type { BotStore } from '../store/database.js';
import { bulkSettings, type BulkConfig } from './config.js';
import { JobRepository } from './repository.js';
import { JobRunner, type RunnerSettings } from './runner.js';
import { BulkJobService } from './service.js';

export interface BulkJobsDeps {
  store: BotStore;
  audit?: AuditLog;
  log: Logger;
  sessions: SessionSource;
  graphFor: (session: AdminSession) => GraphApi;
  messenger?: Messenger;
  files?: () => FileDelivery | undefined;
  /** Tests shorten heartbeats and progress intervals. */
  runner?: Partial<RunnerSettings>;
  instanceId?: string;
}

/** Bulk jobs for one instance: the service commands call (the BulkJobs port) and the runner loop. */
export function createBulkJobs(config: BulkConfig, deps: BulkJobsDeps): { service: BulkJobService; runner: JobRunner } {
  const settings = bulkSettings(config);
  const runnerSettings = { ...settings.runner, ...deps.runner };
  const repo = new JobRepository(deps.store.db);
  const runner = new JobRunner({
    repo,
    sessions: deps.sessions,
    graphFor: deps.graphFor,
    messenger: deps.messenger,
    audit: deps.audit,
    log: deps.log,
    settings: runnerSettings,
    instanceId: deps.instanceId,
  });
  const service = new BulkJobService({
    repo,
    audit: deps.audit,
    files: deps.files,
    runner: () => runner,
    approvalThreshold: settings.approvalThreshold,
    runnerSettings,
  });
  return { service, runner };
}
