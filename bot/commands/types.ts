import type { z } from 'zod';
import type { AuditLog } from '../audit/log.js';
import type { GraphApi } from '../graph/client.js';
import type { Logger } from '../log.js';
import type { Selectable } from 'kysely';
import type { BotStore } from '../store/database.js';
import type { Database } from '../store/schema.js';
import type { PhraseModel } from './ports-phrasing.js';
import type {
  CommandLimitsPort,
  ConversationAddress,
  FileDelivery,
  IdentityPort,
  Messenger,
  SchedulesPort,
} from './ports.js';
import type { AdminSession, CommandOutput, CommandRequest, ConversationInfo, RiskTier, TeamsActor } from './model.js';
import type { BulkJobs } from './ports-jobs.js';

export type {
  AdminSession,
  CommandOutput,
  CommandRequest,
  ConversationInfo,
  ConversationKind,
  RiskTier,
  TeamsActor,
} from './model.js';

/** Who started a run: people (typing, clicking, a parked command resuming) or the bot on someone's behalf. */
export type RunOrigin = 'chat' | 'card' | 'resumed' | 'approved' | 'scheduled' | 'job';

/**
 * Decides whether a parsed command may run now. The identity module provides the real gate (signed in, admin
 * role re-checked, MFA fresh enough for the tier, approval for `dangerous`); when it answers `hold`, the
 * command is parked and resumes by itself once the condition is met.
 */
export type GateDecision =
  | { kind: 'allow'; session?: AdminSession }
  /** Everything a `dangerous` command needs from its requester is there; a second admin must now approve. */
  | { kind: 'approval'; session: AdminSession }
  /** `reason` names why in the audit record (`command.held` / `command.refused` outcome), e.g. `other-tenant`. */
  | { kind: 'hold'; reply: CommandOutput; reason?: string }
  | { kind: 'refuse'; reply: CommandOutput; reason?: string };

export interface CommandGate {
  /** `ctx.request.text` is what to park and replay when the answer is `hold`. */
  check(command: AnyCommand, ctx: CommandContext): Promise<GateDecision>;
}

/**
 * Where a run's cards go: the runner never knows the channel. Returns the posted message's id when known. `outcome`
 * says what the card answers (a refusal, a hold, a result) so a channel can keep personal answers private.
 */
export interface Reply {
  send(output: CommandOutput, outcome?: RunOutcome['outcome']): Promise<string | undefined>;
}

/** The audit record names of one kind of run: `command.*` for people's requests, `approval.execute.*` when approved. */
export interface AuditNames {
  prefix: string;
  approvalId?: string;
}

export interface RunRequest extends CommandRequest {
  origin: RunOrigin;
  address: ConversationAddress;
  correlationId: string;
  /** Arguments fixed earlier (an approved request's pinned target); otherwise bound from `text`. */
  args?: unknown;
  /** This run is already the retry after a Graph claims challenge: a second challenge is reported, not held again. */
  claimsRetry?: boolean;
  /**
   * How the run is authorized when nobody is asking now (an approved request: the requester's current session;
   * a schedule: the reports app after the creator's re-check). People's requests go through the gate.
   */
  authorize?: (command: AnyCommand, ctx: CommandContext) => Promise<GateDecision>;
  /** Audit record names for this origin, or `caller` when the caller audits the run itself (schedules). */
  audit?: AuditNames | 'caller';
  /** Services for this run (a scheduled run reads Graph as the reports app). */
  services?: CommandServices;
  /** Free text re-entering as the command it was understood as: counted once already, as the message it is. */
  understood?: boolean;
}

/** What the turn log and the callers learn about a run: never the text or arguments, which may hold secrets. */
export interface RunOutcome {
  command?: string;
  tier?: string;
  outcome: 'ok' | 'empty' | 'held' | 'refused' | 'usage' | 'unknown' | 'error';
  errorCode?: string;
  /** The answer's text, cut to OUTCOME_MAX (for approval and schedule records). */
  detail: string;
  /** For a failed run: `Graph <code> (request-id <id>)` or `<error code>: <message>` (records and lists). */
  failure?: string;
  requestIds: string[];
}

/**
 * Work a command releases to run after its own answer (an approved request): the runner runs it in the
 * background through the same path, posts its card with the messenger and reports the outcome to `done`.
 */
export interface FollowUpRun {
  request: Omit<RunRequest, 'correlationId'>;
  /** Where its answer goes instead of a post in `request.address` (a group's request: its requester only). */
  reply?: Reply;
  done(outcome: RunOutcome): Promise<void>;
}

/** A command's answer, and the work it releases to run after it (approving a request releases the request). */
export interface CommandResult extends CommandOutput {
  followUp?: FollowUpRun;
}

/** Approval requests as commands see them (the row of the approvals table). */
export type ApprovalRecord = Selectable<Database['approvals']>;

/** The two-person rule, as the engine and the `approval*` commands use it (bot/approvals/ implements it). */
export interface ApprovalsPort {
  /** Records the request and answers with the shared card. */
  request(
    ctx: CommandContext,
    command: AnyCommand,
    args: unknown,
    session: AdminSession,
    justification: string,
    ticket?: string,
  ): Promise<CommandOutput>;
  /** Remembers which message shows the request, so decisions update it for everyone. */
  attachActivity(id: string, activityId: string | undefined): Promise<void>;
  decide(
    ctx: CommandContext,
    id: string,
    decision: 'approved' | 'rejected',
    approver: AdminSession,
    note?: string,
  ): Promise<CommandResult>;
  cancel(ctx: CommandContext, id: string, requester: AdminSession): Promise<CommandOutput>;
  viewFor(
    id: string,
    viewer: { aadObjectId?: string; tenantId?: string },
    roles?: string[],
  ): Promise<CommandOutput | undefined>;
  forUser(aadId: string, tenantId: string): Promise<{ waiting: ApprovalRecord[]; mine: ApprovalRecord[] }>;
}

/**
 * Graph asked for a stronger sign-in in the middle of a command (claims challenge): the identity module parks the
 * command and answers with the step-up card for these claims; the command resumes once after the MFA.
 */
export interface StepUpPort {
  holdForClaims(command: AnyCommand, ctx: CommandContext, claims: string): Promise<CommandOutput>;
}

export interface CommandContext {
  readonly request: CommandRequest;
  readonly actor: TeamsActor;
  readonly conversation: ConversationInfo;
  readonly correlationId: string;
  readonly log: Logger;
  readonly services: CommandServices;
  /** Present for commands that require sign-in (the gate let them through with one). */
  readonly session?: AdminSession;
  /** Where this command was asked, for work that answers later (progress cards, results, parked commands). */
  readonly address: ConversationAddress;
  /** How it was asked: a parked card click in a group chat answers its person privately when it resumes. */
  readonly origin?: RunOrigin;
}

/**
 * What commands may use. Grows as capabilities land (graph client, identity, approvals, audit); commands never
 * reach around it to construct clients themselves, so tests can hand in real ones bound to the stand-ins.
 */
export interface CommandServices {
  readonly registry: CommandRegistryView;
  /** Graph access as the signed-in admin (base URL and trust from configuration). */
  readonly graphFor?: (session: AdminSession) => GraphApi;
  /** The bot's database (list cursors, approvals, audit). */
  readonly store?: BotStore;
  /** Every command run, refusal and hold is appended here; nothing runs if its start record cannot be written. */
  readonly audit?: AuditLog;
  /** The bot's data folder (audit exports). */
  readonly dataDir?: string;
  /** Two-person rule for `dangerous` commands. */
  readonly approvals?: ApprovalsPort;
  /** Scheduled read-only reports (absent when the reports app is not configured). */
  readonly schedules?: SchedulesPort;
  /** Optional (AZURE_OPENAI_*): proposals for phrases the matcher cannot place. */
  readonly phraseModel?: PhraseModel;
  /** Sign-out (absent without identity). */
  readonly identity?: IdentityPort;
  /** Rate limits of commands (absent in unit harnesses). */
  readonly limits?: CommandLimitsPort;
  /** Proactive cards: post into a conversation and update them in place. */
  readonly messenger?: Messenger;
  /** Files to download (CSV results, exports): Teams file consent in 1:1 chats. */
  readonly files?: FileDelivery;
  /** Durable bulk jobs (bot/jobs/): preview, run, progress, undo. */
  readonly jobs?: BulkJobs<CommandContext, CommandOutput>;
}

export interface CommandRegistryView {
  all(): readonly AnyCommand[];
  find(name: string): AnyCommand | undefined;
}

export interface CommandArgs<S extends z.ZodTypeAny> {
  /** Names of positional arguments, in order. A name ending in `...` takes the rest of the words. */
  positional: string[];
  /** Validates positional and `--flag` values together; boolean fields become switches (`--once`). */
  schema: S;
}

/**
 * One admin action, declared (in the style of CLI for Microsoft 365): everything help, the manifest, the
 * permission list and the gate need is data; `run` does the work and returns the card to answer with. Only what
 * varies is declared: the area is the command's folder, and sign-in is required unless the command is `public`.
 */
export interface CommandDescriptor<S extends z.ZodTypeAny = z.ZodTypeAny> {
  /** Canonical name, lowercase words separated by one space: `user search`. */
  name: string;
  aliases?: string[];
  summary: string;
  /** One-line syntax, e.g. `user search <text> [--top <n>]`. */
  usage: string;
  examples: string[];
  args: CommandArgs<S>;
  tier: RiskTier;
  /** Delegated Microsoft Graph permissions the command needs (least privilege, from the catalog). */
  scopes: string[];
  /** Anyone may run it without signing in (help, whoami, signout); every other command needs sign-in. */
  public?: true;
  /** Narrower directory roles (template ids) than the bot-wide admin set, when the command needs them. */
  roles?: string[];
  /**
   * Also for admins whose admin role is only PIM-eligible (not active): the commands that exist to see and
   * activate such a role. Everything else needs an active admin role.
   */
  eligibleAdmins?: boolean;
  /**
   * MFA no older than this (seconds) regardless of tier: approval decisions are `write` but need the
   * `dangerous` freshness (5 minutes), since they release a dangerous command.
   */
  mfaMaxAgeSeconds?: number;
  /**
   * The answer holds a secret (temporary access pass, new password): the command runs only in a 1:1 chat with
   * the requester, and is refused before doing anything elsewhere.
   */
  personalOnly?: boolean;
  /**
   * The command can run unattended as the reports app (`schedule add`): a `read` command whose Graph calls work
   * app-only (no `/me`, nothing of the admin's own session), with the application permissions it needs.
   */
  schedulable?: { appScopes: string[] };
  run(ctx: CommandContext, args: z.infer<S>): Promise<CommandResult>;
}

/** A command as the registry holds it: its descriptor and its area, the folder it lives in (users, roles, …). */
export type Command<S extends z.ZodTypeAny = z.ZodTypeAny> = CommandDescriptor<S> & { readonly area: string };

// The registry stores commands of different argument types side by side.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommand = Command<any>;

/** Identity function that gives a descriptor its argument types without repeating them. */
export function defineCommand<S extends z.ZodTypeAny>(descriptor: CommandDescriptor<S>): CommandDescriptor<S> {
  return descriptor;
}
