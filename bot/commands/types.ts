import type { TurnContext } from 'botbuilder';
import type { z } from 'zod';
import type { ApprovalService } from '../approvals/service.js';
import type { AuditLog } from '../audit/log.js';
import type { GraphApi } from '../graph/client.js';
import type { Logger } from '../log.js';
import type { ScheduleService } from '../schedule/service.js';
import type { BotStore } from '../store/database.js';
import type { ConversationAddress, FileDelivery, Messenger } from './ports.js';
import type { BulkJobs } from './ports-jobs.js';

/** How much a command can hurt: decides sign-in, MFA freshness and approval (see bot/identity/policy.ts). */
export type RiskTier = 'read' | 'write' | 'dangerous';

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

/** Who is asking, from the Teams activity. Tenant identity (tokens, roles) is added by the identity module. */
export interface TeamsActor {
  /** Teams user id (29:…), stable per bot. */
  teamsUserId: string;
  /** Entra object id from `from.aadObjectId`; every sign-in must match it. */
  aadObjectId?: string;
  name?: string;
  tenantId?: string;
}

export interface ConversationInfo {
  id: string;
  kind: ConversationKind;
  tenantId?: string;
}

/**
 * One command to run: the text as typed (normalised) and who asked where. Built from a message activity, or
 * from a parked operation when a command resumes after sign-in / step-up (then the turn is a proactive one).
 */
export interface CommandRequest {
  text: string;
  actor: TeamsActor;
  conversation: ConversationInfo;
}

/**
 * The signed-in admin behind a command, established by the gate for this command only (roles re-checked, MFA
 * evidence read from the token). Tokens never leave the identity module except through `accessToken`.
 */
export interface AdminSession {
  /** Entra object id; equals the Teams `from.aadObjectId` (the gate refuses otherwise). */
  oid: string;
  upn: string;
  tenantId: string;
  /** Directory role template ids held now (re-checked for this command). */
  roleTemplateIds: string[];
  mfa: { amr: string[]; acrs: string[]; authTime?: number };
  tokenExpiresOn?: Date;
  /** A delegated Graph access token for the admin (`claims` after a Graph claims challenge). */
  accessToken(claims?: string): Promise<string>;
  /**
   * Set when the command runs as the reports app for a scheduled report (bot/schedule/): the token is app-only,
   * there are no roles and no MFA, and `oid`/`upn` name the schedule's creator, not the caller.
   */
  readonly app?: { appId: string; scheduleId: string };
}

export interface CommandContext {
  readonly turn: TurnContext;
  readonly request: CommandRequest;
  readonly actor: TeamsActor;
  readonly conversation: ConversationInfo;
  readonly correlationId: string;
  readonly log: Logger;
  readonly services: CommandServices;
  /** Present for commands that require sign-in (the gate let them through with one). */
  readonly session?: AdminSession;
  /** Where this command was asked, for work that answers later (progress cards, results). */
  readonly address?: ConversationAddress;
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
  readonly approvals?: ApprovalService;
  /** Scheduled read-only reports (absent when the reports app is not configured). */
  readonly schedules?: ScheduleService;
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

/** A command's answer: a card template from `cards/`, the data bound into it, and a plain-text fallback. */
export interface CommandOutput {
  card: string;
  data: Record<string, unknown>;
  /** Plain text for clients without cards and for notifications; also the card's `fallbackText`. */
  text: string;
}

export interface CommandArgs<S extends z.ZodTypeAny> {
  /** Names of positional arguments, in order. A name ending in `...` takes the rest of the words. */
  positional: string[];
  /** Validates positional and `--flag` values together; boolean fields become switches (`--once`). */
  schema: S;
}

/**
 * One admin action, declared (in the style of CLI for Microsoft 365): everything help, the manifest, the
 * permission list and the gate need is data; `run` does the work and returns the data for `card`.
 */
export interface CommandDescriptor<S extends z.ZodTypeAny = z.ZodTypeAny> {
  /** Canonical name, lowercase words separated by one space: `user search`. */
  name: string;
  aliases?: string[];
  /** Help groups commands by area (users, roles, teams, …). */
  area: string;
  summary: string;
  /** One-line syntax, e.g. `user search <text> [--top <n>]`. */
  usage: string;
  examples: string[];
  args: CommandArgs<S>;
  tier: RiskTier;
  /** Delegated Microsoft Graph permissions the command needs (least privilege, from the catalog). */
  scopes: string[];
  /** False for commands anyone may run without signing in (help, whoami, signout). */
  requiresSignIn: boolean;
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
  /** The card template (file name in `cards/` without `.json`) the command answers with. */
  card: string;
  run(ctx: CommandContext, args: z.infer<S>): Promise<CommandOutput>;
}

// The registry stores descriptors of different argument types side by side.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommand = CommandDescriptor<any>;

/** Identity function that gives a descriptor its argument types without repeating them. */
export function defineCommand<S extends z.ZodTypeAny>(descriptor: CommandDescriptor<S>): CommandDescriptor<S> {
  return descriptor;
}
