import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ConversationAddress } from '../commands/ports.js';
import type { CommandRequest, RiskTier } from '../commands/types.js';
import type { Database } from '../store/schema.js';

/** A command parked until its requester signs in or steps up. */
export interface PendingOperation {
  id: string;
  userAadId: string;
  conversationId: string;
  address: ConversationAddress;
  request: CommandRequest;
  tier: RiskTier;
  /** This parked command is already the retry after a Graph claims challenge: a second challenge is not retried. */
  claimsRetry: boolean;
  /** A card click in a group chat: its answers go to this Teams user only (1:1), never to the whole group. */
  answerPrivately?: string;
  status: string;
  expiresAt: number;
}

/** Stored as `command_text`: the request (text, actor, conversation) plus the retry marker. */
interface StoredCommand {
  request: CommandRequest;
  claimsRetry?: boolean;
  answerPrivately?: string;
}

export const PENDING_TTL_MS = 10 * 60 * 1000;

/**
 * `pending_operations`: commands waiting for a sign-in. `waiting` → `resumed` happens once (conditional update),
 * whichever completion path (sign-in link callback, Teams SSO exchange) gets there first.
 */
export class PendingOperations {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  async park(input: {
    request: CommandRequest;
    address: ConversationAddress;
    tier: RiskTier;
    userAadId: string;
    claimsRetry?: boolean;
    answerPrivately?: string;
  }): Promise<string> {
    const id = randomUUID();
    const now = this.now();
    const stored: StoredCommand = {
      request: input.request,
      claimsRetry: input.claimsRetry,
      answerPrivately: input.answerPrivately,
    };
    await this.db
      .insertInto('pending_operations')
      .values({
        id,
        user_aad_id: input.userAadId,
        conversation_id: input.request.conversation.id,
        conversation_ref: JSON.stringify(input.address),
        command_text: JSON.stringify(stored),
        tier: input.tier,
        status: 'waiting',
        created_at: now,
        expires_at: now + PENDING_TTL_MS,
        updated_at: now,
      })
      .execute();
    return id;
  }

  async find(id: string): Promise<PendingOperation | undefined> {
    const row = await this.db.selectFrom('pending_operations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const stored = JSON.parse(row.command_text) as StoredCommand;
    return {
      id: row.id,
      userAadId: row.user_aad_id,
      conversationId: row.conversation_id,
      address: JSON.parse(row.conversation_ref) as ConversationAddress,
      request: stored.request,
      tier: row.tier as RiskTier,
      claimsRetry: stored.claimsRetry === true,
      answerPrivately: stored.answerPrivately,
      status: row.status,
      expiresAt: Number(row.expires_at),
    };
  }

  /** Moves a waiting, unexpired operation to `resumed`; true for exactly one caller. */
  async claim(id: string): Promise<boolean> {
    const now = this.now();
    const result = await this.db
      .updateTable('pending_operations')
      .set({ status: 'resumed', updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'waiting')
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Parks a command unless the same user already waits with the same command in the same conversation (a button
   * clicked again): then that one is kept, so every sign-in link handed out for it resumes it. Otherwise the new
   * command supersedes older waiting ones.
   */
  async parkOnce(input: Parameters<PendingOperations['park']>[0]): Promise<string> {
    const same = await this.waitingWith(input.userAadId, input.request.conversation.id, input.request.text);
    if (same) return same.id;
    await this.supersede(input.userAadId, input.request.conversation.id);
    return this.park(input);
  }

  /**
   * The waiting operation of this user and conversation with exactly this command: concurrent clicks can park it
   * twice (one superseding the other), and a link of either must resume the one still waiting.
   */
  async waitingWith(userAadId: string, conversationId: string, text: string): Promise<PendingOperation | undefined> {
    const rows = await this.db
      .selectFrom('pending_operations')
      .select('id')
      .where('user_aad_id', '=', userAadId)
      .where('conversation_id', '=', conversationId)
      .where('status', '=', 'waiting')
      .where('expires_at', '>', this.now())
      .orderBy('created_at', 'desc')
      .execute();
    for (const row of rows) {
      const operation = await this.find(row.id);
      if (operation?.request.text === text) return operation;
    }
    return undefined;
  }

  /** A newer request from the same user in the same conversation supersedes older waiting ones. */
  async supersede(userAadId: string, conversationId: string): Promise<void> {
    await this.db
      .updateTable('pending_operations')
      .set({ status: 'superseded', updated_at: this.now() })
      .where('user_aad_id', '=', userAadId)
      .where('conversation_id', '=', conversationId)
      .where('status', '=', 'waiting')
      .execute();
  }
}
