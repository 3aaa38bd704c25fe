import type { Admission } from './admission.js';

/** The command engine's plain value types: who asks, where, the signed-in admin, and a command's answer. */

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
  /** Set when the role re-check of this read is still in flight (bot/commands/admission.ts). */
  readonly admission?: Admission;
  /** A delegated Graph access token for the admin (`claims` after a Graph claims challenge). */
  accessToken(claims?: string): Promise<string>;
  /**
   * Set when the command runs as the reports app for a scheduled report (bot/schedule/): the token is app-only,
   * there are no roles and no MFA, and `oid`/`upn` name the schedule's creator, not the caller.
   */
  readonly app?: { appId: string; scheduleId: string };
}

/** A command's answer: a card template from `cards/`, the data bound into it, and a plain-text fallback. */
export interface CommandOutput {
  card: string;
  data: Record<string, unknown>;
  /** Plain text for clients without cards and for notifications; also the card's `fallbackText`. */
  text: string;
  /**
   * Teams SSO for a sign-in card in a 1:1 chat: the client first tries a silent token exchange for `resource`
   * (bot/teams/ sends it as an OAuthCard before the card); `url` is its fallback button.
   */
  sso?: { operationId: string; resource: string; title: string; url: string };
  /** Nothing worth posting unattended (a watch whose report did not change): the scheduler posts nothing. */
  quiet?: boolean;
  /** A subtle line over the card saying nobody typed this now (`Scheduled report · admins nomfa · 08:00 UTC`). */
  header?: string;
  /**
   * `actor`: only the person who asked must see this (a sign-in link, a decision's own answer): in a group chat a
   * card click gets it in its invoke response or a 1:1 message, never a post to everyone (bot/teams/card-click.ts,
   * bot/commands/private-reply.ts).
   */
  audience?: 'actor';
}
