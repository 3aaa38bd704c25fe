import type { SchedulesPort } from '../commands/ports.js';
import type { AppIdentity } from '../identity/app-identity.js';
import { ScheduleRepository, type ScheduleRow } from './repository.js';

/** Guard rails an admin would expect. */
export const SCHEDULE_LIMITS = {
  /** Schedules per conversation. */
  perConversation: 20,
} as const;

/**
 * What the `schedule` commands use: the store, the reports app (present only when configured) and the clock the
 * scheduler uses too (injectable, so tests move time instead of waiting).
 */
export class ScheduleService implements SchedulesPort {
  readonly repo: ScheduleRepository;

  constructor(
    readonly deps: {
      repo: ScheduleRepository;
      /** Undefined when REPORTS_* is not configured: `schedule add` then explains how to configure it. */
      app?: AppIdentity;
      clock: () => number;
    },
  ) {
    this.repo = deps.repo;
  }

  get configured(): boolean {
    return this.deps.app !== undefined;
  }

  get appId(): string | undefined {
    return this.deps.app?.appId;
  }

  now(): number {
    return this.deps.clock();
  }

  create(input: Parameters<SchedulesPort['create']>[0]): Promise<ScheduleRow> {
    return this.repo.create(input, this.now());
  }

  get(id: string): Promise<ScheduleRow | undefined> {
    return this.repo.get(id);
  }

  inConversation(conversationId: string): Promise<ScheduleRow[]> {
    return this.repo.inConversation(conversationId);
  }

  countInConversation(conversationId: string): Promise<number> {
    return this.repo.countInConversation(conversationId);
  }

  remove(id: string): Promise<boolean> {
    return this.repo.remove(id);
  }
}
