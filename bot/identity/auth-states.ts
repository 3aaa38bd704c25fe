import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { randomToken } from './crypto.js';

export type AuthPurpose = 'sign-in' | 'step-up';

/** What a sign-in link is for; stored with the state (the PKCE verifier is sealed, never stored in the clear). */
export interface AuthStatePayload {
  /** The parked command this sign-in unblocks (resumed once after the callback). */
  pendingOperationId?: string;
  tenantId: string;
  /** Step-up: the claims request (acrs, or a Graph challenge's claims) and the freshness asked for. */
  claims?: string;
  maxAgeSeconds?: number;
  loginHint?: string;
  /** Set by /auth/start: the sealed PKCE verifier and the hash of the browser-binding cookie. */
  sealedVerifier?: string;
  browserBinding?: string;
}

export interface AuthStateRow {
  state: string;
  userAadId: string;
  teamsUserId: string;
  conversationId: string;
  purpose: AuthPurpose;
  payload: AuthStatePayload;
  expiresAt: number;
  usedAt: number | null;
}

export const AUTH_STATE_TTL_MS = 10 * 60 * 1000;

/** What `randomToken()` makes (32 bytes, base64url); anything else is not looked up. */
const STATE_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/** Why a state cannot be used; each has its own explanation on the page and in chat. */
export type StateProblem = 'unknown' | 'expired' | 'used';

/**
 * Single-use sign-in states (`auth_states`): created when the bot sends a sign-in or step-up card, bound to the
 * Teams user, their Entra object id and the conversation; valid for 10 minutes; consumed by exactly one callback
 * (a conditional update, so two racing callbacks cannot both win).
 */
export class AuthStates {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  async create(input: {
    userAadId: string;
    teamsUserId: string;
    conversationId: string;
    purpose: AuthPurpose;
    payload: AuthStatePayload;
  }): Promise<string> {
    await this.purgeExpired();
    const state = randomToken();
    const now = this.now();
    await this.db
      .insertInto('auth_states')
      .values({
        state,
        user_aad_id: input.userAadId,
        teams_user_id: input.teamsUserId,
        conversation_id: input.conversationId,
        purpose: input.purpose,
        payload: JSON.stringify(input.payload),
        created_at: now,
        expires_at: now + AUTH_STATE_TTL_MS,
        used_at: null,
      })
      .execute();
    return state;
  }

  async find(state: string): Promise<AuthStateRow | undefined> {
    if (!STATE_FORMAT.test(state)) return undefined;
    const row = await this.db.selectFrom('auth_states').selectAll().where('state', '=', state).executeTakeFirst();
    if (!row) return undefined;
    return {
      state: row.state,
      userAadId: row.user_aad_id,
      teamsUserId: row.teams_user_id,
      conversationId: row.conversation_id,
      purpose: row.purpose as AuthPurpose,
      payload: JSON.parse(row.payload) as AuthStatePayload,
      expiresAt: Number(row.expires_at),
      usedAt: row.used_at === null ? null : Number(row.used_at),
    };
  }

  problem(row: AuthStateRow | undefined): StateProblem | undefined {
    if (!row) return 'unknown';
    if (row.usedAt !== null) return 'used';
    if (row.expiresAt <= this.now()) return 'expired';
    return undefined;
  }

  /**
   * Records what /auth/start generated; only while the state is still unused and unexpired, and only over the
   * payload `row` was read with (compare-and-swap): of two browsers opening the link at once, one binds it.
   */
  async begin(row: AuthStateRow, payload: AuthStatePayload): Promise<boolean> {
    const result = await this.db
      .updateTable('auth_states')
      .set({ payload: JSON.stringify(payload) })
      .where('state', '=', row.state)
      .where('payload', '=', JSON.stringify(row.payload))
      .where('used_at', 'is', null)
      .where('expires_at', '>', this.now())
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Consumes the state; true for exactly one caller. */
  async consume(state: string): Promise<boolean> {
    const now = this.now();
    const result = await this.db
      .updateTable('auth_states')
      .set({ used_at: now })
      .where('state', '=', state)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Housekeeping: states expired for a day are deleted. */
  async purgeExpired(): Promise<void> {
    await this.db
      .deleteFrom('auth_states')
      .where('expires_at', '<', this.now() - 24 * 3600 * 1000)
      .execute();
  }
}
