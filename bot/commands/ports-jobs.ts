/** What the admin named as the target set of a bulk change (kept as typed, for the audit record and the cards). */
export type BulkTarget =
  | { kind: 'group'; group: string }
  | { kind: 'filter'; filter: string }
  | { kind: 'users'; users: string[] }
  | { kind: 'job'; jobId: string };

/** Which Graph surface a bulk change uses; each has its own state model (bot/jobs/families.ts). */
export type BulkFamily = 'policy' | 'account' | 'license' | 'sessions';

/** The change itself; `desired` is the state every user should end in (family-specific text). */
export interface BulkParams {
  family: BulkFamily;
  action: string;
  desired?: string;
  policyType?: string;
  policyName?: string;
  skuId?: string;
  skuName?: string;
}

export interface BulkSpec {
  /** As shown on cards, e.g. `policy grant TeamsMeetingPolicy "AllOn"`. */
  verb: string;
  params: BulkParams;
  target: BulkTarget;
  /** Always needs a second admin (block, license removal), whatever the size. */
  dangerous?: boolean;
}

export type BulkControl = 'pause' | 'resume' | 'cancel';

/**
 * Durable bulk jobs, as commands see them (implemented in bot/jobs/). Every method answers with a card; bad input
 * and unknown or foreign jobs are coded errors that change nothing. Generic over the command context and output
 * types so this port does not import types.ts (which names it): no import cycle.
 */
export interface BulkJobs<CommandContext, CommandOutput> {
  /** Resolves the target (streamed into the store) and answers with the what-if preview; nothing changes. */
  prepare(ctx: CommandContext, spec: BulkSpec): Promise<CommandOutput>;
  /** Starts a previewed job; `approvedBy` is set when a second admin approved it (dangerous path). */
  start(ctx: CommandContext, id: string, approval?: { approverUpn: string }): Promise<CommandOutput>;
  /** Whether starting `id` needs a second admin (large set, block, license removal). */
  needsApproval(ctx: CommandContext, id: string): Promise<boolean>;
  control(ctx: CommandContext, id: string, action: BulkControl): Promise<CommandOutput>;
  list(ctx: CommandContext): Promise<CommandOutput>;
  show(ctx: CommandContext, id: string): Promise<CommandOutput>;
  /** The per-user results as CSV, through file delivery (1:1 chat). */
  report(ctx: CommandContext, id: string): Promise<CommandOutput>;
  /** A new job (preview first) that restores every changed user's recorded before-state. */
  undo(ctx: CommandContext, id: string): Promise<CommandOutput>;
}
