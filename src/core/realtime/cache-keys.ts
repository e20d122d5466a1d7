import { sql } from 'kysely';
import type { Db } from '../db/kysely.js';
import type { Performer, Work } from '../events/bus.js';

/**
 * Account#cache_keys (Chatwoot's CacheKeys concern and CacheKeysHelper): per account, the epoch
 * second of the last change to its labels, inboxes and teams. The dashboard compares them with
 * what it cached in IndexedDB and refetches a collection whose key moved.
 */
export type CacheKey = 'label' | 'inbox' | 'team';
export interface CacheKeys {
  label: string;
  inbox: string;
  team: string;
}

/** CacheKeysHelper#fetch_value_for_key: a key never set reads as the zero epoch, ten zeros. */
const NEVER = '0000000000';

export async function readCacheKeys(db: Db, accountId: number): Promise<CacheKeys> {
  const rows = await db
    .selectFrom('account_cache_keys')
    .select(['key', 'stamp'])
    .where('account_id', '=', accountId)
    .execute();
  const keys: CacheKeys = { label: NEVER, inbox: NEVER, team: NEVER };
  for (const row of rows) keys[row.key] = String(row.stamp);
  return keys;
}

/**
 * AccountCacheRevalidator + Account#update_cache_key: a label, inbox or team was created, changed
 * or deleted. Stamps the key in the caller's transaction and announces every key after commit
 * (account.cache_invalidated), as Chatwoot dispatches them after its Redis write.
 */
export async function invalidateCacheKey(
  { tx, batch }: Work,
  { accountId, key, performer }: { accountId: number; key: CacheKey; performer?: Performer },
): Promise<void> {
  // clock_timestamp, not now(): the change is stamped when it happens, not when the transaction began
  await tx
    .insertInto('account_cache_keys')
    .values({ account_id: accountId, key, stamp: sql<number>`extract(epoch from clock_timestamp())::bigint` })
    .onConflict((oc) => oc.columns(['account_id', 'key']).doUpdateSet({ stamp: sql<number>`excluded.stamp` }))
    .execute();
  batch.emit('account.cache_invalidated', {
    accountId,
    cacheKeys: await readCacheKeys(tx, accountId),
    ...(performer ? { performer } : {}),
  });
}
