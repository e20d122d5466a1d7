import { sql } from 'kysely';
import type { Db } from '../db/kysely.js';

/** One broadcast: its id (monotonic), the streams it goes to, and ActionCable's {event, data}. */
export interface CableEvent {
  id: number;
  streams: string[];
  event: string;
  data: unknown;
}

export const NOTIFY_CHANNEL = 'confab_cable';
/** Serialises event inserts so ids commit in order: a replay `after id N` can never skip one. */
const ORDER_LOCK = 0x6361626c;

/**
 * Keeps an event for replay and, in the same transaction, notifies the other nodes (they read
 * the row by id; NOTIFY payloads are too small for events).
 */
export async function storeEvent(
  db: Db, streams: string[], event: string, data: unknown, notify: boolean, beforeCommit: (id: number) => void = () => undefined,
): Promise<CableEvent> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${ORDER_LOCK})`.execute(tx);
    const row = await tx.insertInto('realtime_events').values({ streams, event, data: JSON.stringify(data) })
      .returning('id').executeTakeFirstOrThrow();
    beforeCommit(row.id);
    if (notify) await sql`select pg_notify(${NOTIFY_CHANNEL}, ${String(row.id)})`.execute(tx);
    return { id: row.id, streams, event, data };
  });
}

export async function loadEvent(db: Db, id: number): Promise<CableEvent | undefined> {
  const row = await db.selectFrom('realtime_events').select(['id', 'streams', 'event', 'data']).where('id', '=', id).executeTakeFirst();
  return row ? { id: row.id, streams: row.streams, event: row.event, data: row.data } : undefined;
}

/** What a stream missed after `lastId`, oldest first, within the replay window. */
export async function eventsSince(db: Db, stream: string, lastId: number, windowSeconds: number, limit = 1000): Promise<CableEvent[]> {
  const rows = await db.selectFrom('realtime_events').select(['id', 'streams', 'event', 'data'])
    .where('id', '>', lastId).where(sql<boolean>`streams @> array[${stream}]::text[]`)
    .where('created_at', '>', sql<Date>`now() - make_interval(secs => ${windowSeconds})`)
    .orderBy('id').limit(limit).execute();
  return rows.map((row) => ({ id: row.id, streams: row.streams, event: row.event, data: row.data }));
}

export async function pruneEvents(db: Db, windowSeconds: number): Promise<void> {
  await db.deleteFrom('realtime_events').where('created_at', '<', sql<Date>`now() - make_interval(secs => ${windowSeconds})`).execute();
}
