import type {
  ConversationAddress,
  FileDelivery,
  Messenger,
  OutgoingFile,
  PostedMessage,
} from '../../bot/commands/ports.js';
import type { CommandOutput, CommandServices } from '../../bot/commands/types.js';
import { createBulkJobs } from '../../bot/jobs/index.js';
import { JobRepository, type JobRow } from '../../bot/jobs/repository.js';
import type { RunnerSettings } from '../../bot/jobs/runner.js';
import { CommandHarness } from '../helpers/command-harness.js';
import type { DevTenantOptions } from '../../devtenant/index.js';
import { captureLogger } from '../helpers/log-capture.js';

/** Records every proactive card: what a Teams client would show (posts, then in-place updates). */
export class FakeMessenger implements Messenger {
  readonly posts: Array<{ address: ConversationAddress; output: CommandOutput; messageId: string }> = [];
  readonly updates: Array<{ messageId: string; output: CommandOutput; at: number }> = [];
  async post(address: ConversationAddress, output: CommandOutput): Promise<PostedMessage> {
    const messageId = `m${this.posts.length + 1}`;
    this.posts.push({ address, output, messageId });
    return { address, messageId };
  }
  async update(message: PostedMessage, output: CommandOutput): Promise<void> {
    this.updates.push({ messageId: message.messageId, output, at: Date.now() });
  }
  async members(): Promise<string[]> {
    return [];
  }

  /** The latest card of a message (its post or last update). */
  latest(): CommandOutput | undefined {
    return this.updates.at(-1)?.output ?? this.posts.at(-1)?.output;
  }
  clear(): void {
    this.posts.length = 0;
    this.updates.length = 0;
  }
}

export class FakeFiles implements FileDelivery {
  readonly offered: OutgoingFile[] = [];
  async offer(address: ConversationAddress, file: OutgoingFile): Promise<'offered' | 'needs-personal-chat'> {
    if (address.kind !== 'personal') return 'needs-personal-chat';
    this.offered.push(file);
    return 'offered';
  }
}

/** Fast heartbeats and progress for tests (the product's are 2 s / 5–15 s). */
export const FAST: Partial<RunnerSettings> = {
  heartbeatMs: 30,
  progressMinMs: 0,
  progressMaxMs: 50,
  leaseMs: 5_000,
};

export type BulkJobs = ReturnType<typeof createBulkJobs>;

export interface BulkHarness {
  harness: CommandHarness;
  jobs: BulkJobs;
  messenger: FakeMessenger;
  files: FakeFiles;
  repo: JobRepository;
  graphFor: NonNullable<CommandServices['graphFor']>;
}

/**
 * The command harness with bulk jobs wired as compose.ts does: the service behind `ctx.services.jobs`, a runner
 * whose sessions are the harness's (the requester's token, as the identity module would refresh it).
 */
export async function startBulkHarness(
  options: { devtenant?: Partial<DevTenantOptions>; approvalThreshold?: number; runner?: Partial<RunnerSettings> } = {},
): Promise<BulkHarness> {
  const harness = new CommandHarness();
  const messenger = new FakeMessenger();
  const files = new FakeFiles();
  let jobs: BulkJobs | undefined;
  let graphFor: BulkHarness['graphFor'] | undefined;
  await harness.start(options.devtenant ?? {}, {
    services: (base, h) => {
      graphFor = base.graphFor!;
      jobs = createBulkJobs(
        { BULK_APPROVAL_THRESHOLD: options.approvalThreshold ?? 100 },
        {
          store: h.store,
          audit: base.audit,
          log: captureLogger().log,
          messenger,
          files: () => files,
          sessions: async (oid) => {
            const user = h.dev.tenant.userById(oid);
            return user ? h.sessionFor(user.userPrincipalName) : undefined;
          },
          graphFor: base.graphFor!,
          runner: { ...FAST, ...options.runner },
          instanceId: 'instance-A',
        },
      );
      return { jobs: jobs.service, messenger, files };
    },
  });
  return { harness, jobs: jobs!, messenger, files, repo: new JobRepository(harness.store.db), graphFor: graphFor! };
}

/** Polls until `check` holds (bounded). */
export async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function finished(repo: JobRepository, id: string, timeoutMs = 10_000): Promise<JobRow> {
  let row: JobRow | undefined;
  await until(
    async () => {
      row = await repo.get(id);
      return row !== undefined && ['done', 'failed', 'cancelled'].includes(row.status);
    },
    `job ${id} to finish`,
    timeoutMs,
  );
  return row!;
}

/** The job id on a preview card ("Job" fact). */
export function jobIdOf(text: string): string {
  const match = /Job\n([0-9A-F]{8})/.exec(text);
  if (!match) throw new Error(`no job id on the card:\n${text}`);
  return match[1];
}
