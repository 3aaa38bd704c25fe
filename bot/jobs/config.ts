import { z } from 'zod';
import { DEFAULT_RUNNER_SETTINGS, type RunnerSettings } from './runner.js';

const number = (min: number, max: number, fallback: number) => z.coerce.number().min(min).max(max).default(fallback);

/**
 * Bulk job settings. The budget is Microsoft's documented per app-and-tenant limit the job paces itself against
 * (default: Entra ID's 8,000 resource units per 10 s of a large tenant, one unit per read, batch steps counted one
 * by one); the share is the part a job may use, leaving the rest to interactive commands.
 */
export const bulkSettingsShape = {
  /** Above this many users a bulk change needs a second admin's approval. */
  BULK_APPROVAL_THRESHOLD: number(1, 1_000_000, 100),
  BULK_BUDGET_PER_10S: number(10, 1_000_000, DEFAULT_RUNNER_SETTINGS.budgetPer10s),
  BULK_BUDGET_SHARE: number(0.01, 1, DEFAULT_RUNNER_SETTINGS.share),
  BULK_MAX_CONCURRENCY: number(1, 64, DEFAULT_RUNNER_SETTINGS.maxConcurrency),
};

export interface BulkConfig {
  BULK_APPROVAL_THRESHOLD?: number;
  BULK_BUDGET_PER_10S?: number;
  BULK_BUDGET_SHARE?: number;
  BULK_MAX_CONCURRENCY?: number;
}

export function bulkSettings(config: BulkConfig): { approvalThreshold: number; runner: RunnerSettings } {
  return {
    approvalThreshold: config.BULK_APPROVAL_THRESHOLD ?? 100,
    runner: {
      ...DEFAULT_RUNNER_SETTINGS,
      budgetPer10s: config.BULK_BUDGET_PER_10S ?? DEFAULT_RUNNER_SETTINGS.budgetPer10s,
      share: config.BULK_BUDGET_SHARE ?? DEFAULT_RUNNER_SETTINGS.share,
      maxConcurrency: config.BULK_MAX_CONCURRENCY ?? DEFAULT_RUNNER_SETTINGS.maxConcurrency,
    },
  };
}
