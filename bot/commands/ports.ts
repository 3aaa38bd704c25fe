import type { Selectable } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AdminSession, CommandOutput, ConversationInfo, ConversationKind, RiskTier, TeamsActor } from './model.js';

/**
 * A conversation the bot can write to later (a job's progress card, a report, an approval's outcome). Opaque
 * outside bot/teams/: features store it and hand it back, only the Teams boundary reads `channelRef`.
 */
export interface ConversationAddress {
  readonly conversationId: string;
  readonly kind: ConversationKind;
  readonly tenantId?: string;
  /** The channel's own reference to the conversation, serialized by bot/teams/. */
  readonly channelRef: string;
}

/** A card the bot posted, so it can be updated in place. */
export interface PostedMessage {
  readonly address: ConversationAddress;
  readonly messageId: string;
}

/** Proactive cards: post into a conversation, update a posted card in place (progress, decided approvals). */
export interface Messenger {
  post(address: ConversationAddress, output: CommandOutput): Promise<PostedMessage>;
  update(message: PostedMessage, output: CommandOutput): Promise<void>;
  /** Teams user ids of the conversation's members (at most `max`), for per-user card views. */
  members(address: ConversationAddress, max: number): Promise<string[]>;
  /**
   * A 1:1 message to one member of the conversation at `address` (what only they must see, said later than a card
   * click's invoke response). Rejects when Teams cannot open the 1:1 chat (the app is not installed for them).
   */
  postToUser?(address: ConversationAddress, teamsUserId: string, output: CommandOutput): Promise<PostedMessage>;
}

/**
 * A user's current session (cached sign-in, roles asked of Graph again) without prompting: for work that runs
 * later on someone's behalf (an approved command, a bulk job's next chunk). Undefined when they must sign in.
 */
export type SessionSource = (aadObjectId: string, tenantId: string) => Promise<AdminSession | undefined>;

/** A file an admin downloads: a bulk job's per-user results, a report's data, an audit export. */
export interface OutgoingFile {
  name: string;
  contentType: string;
  content: Buffer;
  description: string;
}

/**
 * Files to an admin: in a 1:1 chat a Teams file consent card (the file is uploaded once they accept, then a file
 * info card); elsewhere the admin is told to ask for it in a 1:1 chat. Implemented in bot/teams/.
 */
export interface FileDelivery {
  /** Offers `file` to the user in `address`; `personal` false → a notice to ask again in 1:1 (nothing sent). */
  offer(address: ConversationAddress, file: OutgoingFile): Promise<'offered' | 'needs-personal-chat'>;
}

export type ScheduleRecord = Selectable<Database['schedules']>;

/** A schedule to store: what runs, when, where its card goes, and who created it. */
export interface NewSchedule {
  tenantId: string;
  conversationId: string;
  address: ConversationAddress;
  commandName: string;
  commandText: string;
  cron: string;
  timeZone: string;
  description: string;
  createdByAadId: string;
  createdByUpn: string;
  nextRunAt: number;
}

/** Scheduled read-only reports, as the `schedule` commands use them (bot/schedule/ implements it). */
export interface SchedulesPort {
  /** False when the reports app is not configured: `schedule add` explains how to configure it. */
  readonly configured: boolean;
  readonly appId: string | undefined;
  now(): number;
  create(input: NewSchedule): Promise<ScheduleRecord>;
  get(id: string): Promise<ScheduleRecord | undefined>;
  inConversation(conversationId: string): Promise<ScheduleRecord[]>;
  countInConversation(conversationId: string): Promise<number>;
  remove(id: string): Promise<boolean>;
}

/** What the core commands (signout) may ask of the identity module. */
export interface IdentityPort {
  /** Removes the user's token-cache partition; false when there was nothing to remove. */
  signOut(actor: TeamsActor, conversation: ConversationInfo): Promise<boolean>;
}

/** Per-user and per-tenant command limits (bot/limits/ implements it). */
export interface CommandLimitsPort {
  /** A refusal card when the actor is over a limit; undefined when the command may go on. */
  /** `sameRequest`: the request's identity (a card click's text); repeats of it count once as a change. */
  command(
    actor: TeamsActor,
    conversation: ConversationInfo,
    tier: RiskTier | undefined,
    sameRequest?: string,
  ): Promise<CommandOutput | undefined>;
}
