import { sql } from 'kysely';
import type { Db } from '../db/kysely.js';
import { AVAILABILITIES, enumName } from '../db/enums.js';

/** Chatwoot's OnlineStatusTracker: seen within the last 20 seconds means online. */
export const PRESENCE_SECONDS = 20;

export async function touchPresence(db: Db, accountId: number, kind: 'User' | 'Contact', id: number): Promise<void> {
  await db
    .insertInto('presence')
    .values({ account_id: accountId, kind, entity_id: id, last_seen_at: new Date() })
    .onConflict((oc) => oc.columns(['account_id', 'kind', 'entity_id']).doUpdateSet({ last_seen_at: new Date() }))
    .execute();
}

const recent = sql<boolean>`presence.last_seen_at > now() - make_interval(secs => ${PRESENCE_SECONDS})`;

/** The same test on a presence row joined under another name. */
export const isRecent = (alias: string) =>
  sql<boolean | null>`${sql.ref(`${alias}.last_seen_at`)} > now() - make_interval(secs => ${PRESENCE_SECONDS})`;

/** Ids of the account's users (or contacts) seen recently. */
export async function presentIds(db: Db, accountId: number, kind: 'User' | 'Contact'): Promise<Set<number>> {
  const rows = await db
    .selectFrom('presence')
    .select('entity_id')
    .where('account_id', '=', accountId)
    .where('kind', '=', kind)
    .where(recent)
    .execute();
  return new Set(rows.map((r) => r.entity_id));
}

/**
 * presence.update's data: the available users (each with their chosen availability) and, for
 * agents, the contacts online.
 */
export async function presenceData(db: Db, accountId: number, forAgent: boolean): Promise<PresenceSnapshot> {
  // thousands of sockets subscribing at once would each read (and serialise) the same thing: a
  // second's cache, shared from the moment the read starts — a reconnect storm's hundreds of
  // concurrent subscribes would otherwise each load every present user and contact
  const key = `${accountId}:${forAgent}`;
  const cached = presenceCache.get(key);
  if (cached && cached.at > Date.now() - 1000) return cached.snapshot;
  const entry = {
    at: Date.now(),
    snapshot: readPresence(db, accountId, forAgent).then(presenceSnapshot),
  };
  presenceCache.set(key, entry);
  // a failed read is not shared beyond the subscribes already waiting on it
  entry.snapshot.catch(() => {
    if (presenceCache.get(key) === entry) presenceCache.delete(key);
  });
  if (presenceCache.size > 10_000) presenceCache.delete(presenceCache.keys().next().value!);
  return entry.snapshot;
}

type PresenceData = { account_id: number; users: Record<string, string>; contacts?: Record<string, string> };
/** The data and its serialised presence.update message, shared by the sockets that ask within a second. */
export interface PresenceSnapshot {
  data: PresenceData;
  message: string;
  /**
   * The message with one more user, as pieces: the snapshot may predate the subscriber it goes
   * to, who is online by now. The large pieces are the snapshot's own strings, so a storm of
   * subscribers does not copy (and send a copy of) the whole list once each.
   */
  withUser(userId: number, availability: string): string[];
}

function presenceSnapshot(data: PresenceData): PresenceSnapshot {
  const users = JSON.stringify(data.users);
  // the message is head + tail; a user absent from the list is spliced in between, last in `users`
  const head = `{"event":"presence.update","data":{"account_id":${JSON.stringify(data.account_id)},"users":${users.slice(0, -1)}`;
  const tail = `}${data.contacts ? `,"contacts":${JSON.stringify(data.contacts)}` : ''}}}`;
  const separator = users === '{}' ? '' : ',';
  return {
    data,
    message: head + tail,
    withUser: (userId, availability) => [
      head,
      `${separator}${JSON.stringify(String(userId))}:${JSON.stringify(availability)}`,
      tail,
    ],
  };
}
const presenceCache = new Map<string, { at: number; snapshot: Promise<PresenceSnapshot> }>();

async function readPresence(db: Db, accountId: number, forAgent: boolean): Promise<PresenceData> {
  const users = await db
    .selectFrom('presence')
    .innerJoin('account_users', (join) =>
      join
        .onRef('account_users.user_id', '=', 'presence.entity_id')
        .onRef('account_users.account_id', '=', 'presence.account_id'),
    )
    .select(['presence.entity_id', 'account_users.availability'])
    .where('presence.account_id', '=', accountId)
    .where('presence.kind', '=', 'User')
    .where(recent)
    .execute();
  const data: PresenceData = {
    account_id: accountId,
    users: Object.fromEntries(users.map((u) => [String(u.entity_id), enumName(AVAILABILITIES, u.availability)])),
  };
  if (forAgent)
    data.contacts = Object.fromEntries(
      [...(await presentIds(db, accountId, 'Contact'))].map((id) => [String(id), 'online']),
    );
  return data;
}

/** Which of these users are online in which accounts, as `account:user` keys. */
export async function onlineUsers(db: Db, userIds: number[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('presence')
    .select(['account_id', 'entity_id'])
    .where('kind', '=', 'User')
    .where('entity_id', 'in', userIds)
    .where(recent)
    .execute();
  return new Set(rows.map((r) => `${r.account_id}:${r.entity_id}`));
}

/** Which of these contacts are online. */
export async function onlineContacts(db: Db, contactIds: number[]): Promise<Set<number>> {
  if (contactIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('presence')
    .select('entity_id')
    .where('kind', '=', 'Contact')
    .where('entity_id', 'in', contactIds)
    .where(recent)
    .execute();
  return new Set(rows.map((r) => r.entity_id));
}
