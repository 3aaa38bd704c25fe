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
  status: string;
  expiresAt: number;
}

/** Stored as `command_text`: the request (text, actor, conversation) plus the retry marker. */
interface StoredCommand {
  request: CommandRequest;
  claimsRetry?: boolean;
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
  }): Promise<string> {
    const id = randomUUID();
    const now = this.now();
    const stored: StoredCommand = { request: input.request, claimsRetry: input.claimsRetry };
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
