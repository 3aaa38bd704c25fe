import type { Kysely } from 'kysely';
import { Sealer } from '../../../bot/identity/crypto.js';
import { partitionKeyFor } from '../../../bot/identity/token-cache.js';
import type { Database } from '../../../bot/store/schema.js';

/**
 * Ages a user's cached access tokens in the bot's store (the partition is sealed with the bot's cache key, which
 * the test chose), as if an hour had passed: the next Graph call needs the authority to refresh them.
 */
export async function expireCachedAccessTokens(
  db: Kysely<Database>,
  cacheKeyBase64: string,
  oid: string,
  tenantId: string,
): Promise<number> {
  const sealer = new Sealer(Buffer.from(cacheKeyBase64, 'base64'));
  const partition = partitionKeyFor(oid, tenantId);
  const row = await db
    .selectFrom('token_cache')
    .select('data')
    .where('partition_key', '=', partition)
    .executeTakeFirstOrThrow();
  const cache = JSON.parse(sealer.open(row.data, partition)) as {
    AccessToken?: Record<string, Record<string, string>>;
  };
  const past = String(Math.floor(Date.now() / 1000) - 600);
  const tokens = Object.values(cache.AccessToken ?? {});
  for (const token of tokens) {
    token.expires_on = past;
    token.extended_expires_on = past;
    if (token.refresh_on) token.refresh_on = past;
  }
  await db
    .updateTable('token_cache')
    .set({ data: sealer.seal(JSON.stringify(cache), partition), updated_at: Date.now() })
    .where('partition_key', '=', partition)
    .execute();
  return tokens.length;
}
