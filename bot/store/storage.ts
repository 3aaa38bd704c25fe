import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { StorageConflictError } from '../errors.js';
import type { Database } from './schema.js';

/** Items by key, each with its eTag: the shape of botbuilder's `StoreItems` (bot/teams/ hands this store over). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StoreItems = Record<string, any>;

/**
 * Key-value state on the bot's database, with real optimistic concurrency: a write that carries an eTag
 * succeeds only if the stored item still has it, otherwise it throws (never a silent overwrite). An item without
 * an eTag, or with `*`, is written unconditionally. A new key is inserted; two concurrent inserts of the same key
 * cannot both win (primary key), which is what de-duplicates Teams' repeated SSO token exchanges across
 * instances. All items of one `write` call commit together or not at all.
 */
export class DatabaseStorage {
  constructor(private readonly db: Kysely<Database>) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const rows = await this.db
      .selectFrom('bot_state')
      .select(['key', 'etag', 'data'])
      .where('key', 'in', keys)
      .execute();
    const items: StoreItems = {};
    for (const row of rows) items[row.key] = { ...(JSON.parse(row.data) as object), eTag: row.etag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    await this.db.transaction().execute(async (tx) => {
      for (const [key, item] of entries) await writeOne(tx, key, item as Record<string, unknown>);
    });
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.deleteFrom('bot_state').where('key', 'in', keys).execute();
  }
}

async function writeOne(db: Kysely<Database>, key: string, item: Record<string, unknown>): Promise<void> {
  const { eTag, ...value } = item;
  const row = { etag: randomUUID(), data: JSON.stringify(value), updated_at: Date.now() };
  if (eTag === undefined || eTag === null || eTag === '*') {
    await db
      .insertInto('bot_state')
      .values({ key, ...row })
      .onConflict((oc) => oc.column('key').doUpdateSet(row))
      .execute();
    return;
  }
  const updated = await db
    .updateTable('bot_state')
    .set(row)
    .where('key', '=', key)
    .where('etag', '=', String(eTag))
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 1) return;
  // Not updated: either someone else changed it (conflict) or it does not exist yet (insert, racing others).
  const inserted = await db
    .insertInto('bot_state')
    .values({ key, ...row })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) throw new StorageConflictError(key);
}
