import type { ICacheClient } from '@azure/msal-node';
import type { Kysely } from 'kysely';
import type { Logger } from '../log.js';
import type { Database } from '../store/schema.js';
import type { Sealer } from './crypto.js';

/** An empty msal cache: deserialising it clears an instance's in-memory copy (an empty string would not). */
export const EMPTY_MSAL_CACHE = JSON.stringify({
  Account: {},
  IdToken: {},
  AccessToken: {},
  RefreshToken: {},
  AppMetadata: {},
});

/**
 * msal-node's distributed cache client on the `token_cache` table: one row per user partition
 * (`<oid>.<tenantId>`, msal's home account id), encrypted with AES-256-GCM, shared by every bot instance.
 * A partition that cannot be decrypted (key rotated, row tampered) reads as empty: the user signs in again.
 */
export class TokenCacheStore implements ICacheClient {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly sealer: Sealer,
    private readonly log: Logger,
  ) {}

  async get(partitionKey: string): Promise<string> {
    const row = await this.db
      .selectFrom('token_cache')
      .select('data')
      .where('partition_key', '=', partitionKey)
      .executeTakeFirst();
    if (!row) return EMPTY_MSAL_CACHE;
    try {
      return this.sealer.open(row.data, partitionKey);
    } catch {
      this.log.warn({ partition: partitionKey }, 'token cache partition could not be decrypted; treating it as empty');
      return EMPTY_MSAL_CACHE;
    }
  }

  async set(partitionKey: string, cache: string): Promise<string> {
    const row = { data: this.sealer.seal(cache, partitionKey), updated_at: Date.now() };
    await this.db
      .insertInto('token_cache')
      .values({ partition_key: partitionKey, ...row })
      .onConflict((oc) => oc.column('partition_key').doUpdateSet(row))
      .execute();
    return cache;
  }

  async remove(partitionKey: string): Promise<boolean> {
    const result = await this.db.deleteFrom('token_cache').where('partition_key', '=', partitionKey).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

/** Partition of a user's tokens: msal's home account id for Entra (`<oid>.<tenantId>`). */
export function partitionKeyFor(oid: string, tenantId: string): string {
  return `${oid.toLowerCase()}.${tenantId.toLowerCase()}`;
}
