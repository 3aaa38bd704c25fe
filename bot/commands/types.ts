import type { TurnContext } from 'botbuilder';
import type { z } from 'zod';
import type { Logger } from '../log.js';

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

export interface CommandContext {
  readonly turn: TurnContext;
  readonly actor: TeamsActor;
  readonly conversation: { id: string; kind: ConversationKind; tenantId?: string };
  readonly correlationId: string;
  readonly log: Logger;
  readonly services: CommandServices;
}

/**
 * What commands may use. Grows as capabilities land (graph client, identity, approvals, audit); commands never
 * reach around it to construct clients themselves, so tests can hand in real ones bound to the stand-ins.
 */
export interface CommandServices {
  readonly registry: CommandRegistryView;
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
   * The answer holds a secret (temporary access pass, new password): the command runs only in a 1:1 chat with
   * the requester, and is refused before doing anything elsewhere.
   */
  personalOnly?: boolean;
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
