import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';

/** Inbox and team memberships are the same shape: (group id, user id) pairs. */
export type MembershipKind = { table: 'inbox_members'; key: 'inbox_id' } | { table: 'team_members'; key: 'team_id' };
export const INBOX_MEMBERS: MembershipKind = { table: 'inbox_members', key: 'inbox_id' };
export const TEAM_MEMBERS: MembershipKind = { table: 'team_members', key: 'team_id' };

export async function memberIds(db: Db, kind: MembershipKind, groupId: number): Promise<number[]> {
  const { rows } = await sql<{ user_id: number }>`select user_id from ${sql.table(kind.table)}
    where ${sql.ref(kind.key)} = ${groupId} order by id`.execute(db);
  return rows.map((row) => Number(row.user_id));
}

/** Adds the users not yet members; returns the ids actually added. */
export async function addMembers(db: Db, kind: MembershipKind, groupId: number, userIds: number[]): Promise<number[]> {
  if (userIds.length === 0) return [];
  const { rows } = await sql<{ user_id: number }>`insert into ${sql.table(kind.table)} (${sql.ref(kind.key)}, user_id)
    select ${groupId}, unnest(${userIds}::bigint[])
    on conflict do nothing returning user_id`.execute(db);
  return rows.map((row) => Number(row.user_id));
}

export async function removeMembers(db: Db, kind: MembershipKind, groupId: number, userIds: number[]): Promise<void> {
  if (userIds.length === 0) return;
  await sql`delete from ${sql.table(kind.table)} where ${sql.ref(kind.key)} = ${groupId}
    and user_id = any(${userIds}::bigint[])`.execute(db);
}

/** Makes the member list exactly `userIds`. */
export async function replaceMembers(db: Db, kind: MembershipKind, groupId: number, userIds: number[]): Promise<void> {
  const current = await memberIds(db, kind, groupId);
  await removeMembers(
    db,
    kind,
    groupId,
    current.filter((id) => !userIds.includes(id)),
  );
  await addMembers(
    db,
    kind,
    groupId,
    userIds.filter((id) => !current.includes(id)),
  );
}
