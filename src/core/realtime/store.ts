import { sql } from 'kysely';
import type { Db } from '../db/kysely.js';
import { prepared } from '../db/prepared.js';

/** One broadcast: its id (monotonic), the streams it goes to, and ActionCable's {event, data}. */
export interface CableEvent {
  id: number;
  streams: string[];
  event: string;
  data: unknown;
}

export const NOTIFY_CHANNEL = 'confab_cable';

export interface NewCableEvent {
  streams: string[];
  event: string;
  data: unknown;
}

/**
 * Keeps events for replay and, when asked, NOTIFYs the other nodes: one round trip (realtime_store
 * in 0007). Sent prepared: it follows nearly every hot-path statement, which run prepared, so the
 * connection need not switch plan modes for it (core/db/prepared.ts).
 */
export async function storeEvents(
  db: Db,
  events: NewCableEvent[],
  origin: string,
  notify: boolean,
): Promise<CableEvent[]> {
  const { rows } = await prepared(
    sql<{ id: string }>`select realtime_store(${JSON.stringify(events)}::jsonb, ${origin}, ${notify}) as id`,
  ).execute(db);
  return rows.map((row, index) => ({ id: Number(row.id), ...events[index]! }));
}

/** These events (another node's batch), in id order. */
export async function loadEvents(db: Db, ids: number[]): Promise<CableEvent[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('realtime_events')
    .select(['id', 'streams', 'event', 'data'])
    .where(sql<boolean>`id = any(${ids}::bigint[])`)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: row.id, streams: row.streams, event: row.event, data: row.data }));
}

/** What a stream missed after `lastId`, oldest first, within the replay window. */
export async function eventsSince(
  db: Db,
  stream: string,
  lastId: number,
  windowSeconds: number,
  limit = 1000,
): Promise<CableEvent[]> {
  const rows = await db
    .selectFrom('realtime_events')
    .select(['id', 'streams', 'event', 'data'])
    .where('id', '>', lastId)
    .where(sql<boolean>`streams @> array[${stream}]::text[]`)
    .where('created_at', '>', sql<Date>`now() - make_interval(secs => ${windowSeconds})`)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ id: row.id, streams: row.streams, event: row.event, data: row.data }));
}

/** The newest stored event's id (0 when none is kept): where a stream stands now. */
export async function newestEventId(db: Db): Promise<number> {
  const row = await db
    .selectFrom('realtime_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

export async function pruneEvents(db: Db, windowSeconds: number): Promise<void> {
  await db
    .deleteFrom('realtime_events')
    .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${windowSeconds})`)
    .execute();
}
