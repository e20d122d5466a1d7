import type { Db } from '../../core/db/kysely.js';
import { onlineUsers } from '../../core/realtime/presence.js';
import { parseId } from '../../core/http/ids.js';
import type { AgentView } from '../../serializers/agent.js';

/**
 * Members of the account as agent views (optionally only the given user ids), in Chatwoot's
 * order_by_full_name: case-insensitive name, then id.
 */
export async function listAgentViews(db: Db, accountId: number, userIds?: number[]): Promise<AgentView[]> {
  if (userIds && userIds.length === 0) return [];
  let memberships = db.selectFrom('account_users').selectAll().where('account_id', '=', accountId);
  if (userIds) memberships = memberships.where('user_id', 'in', userIds);
  const accountUsers = await memberships.execute();
  if (accountUsers.length === 0) return [];
  const users = await db
    .selectFrom('users')
    .selectAll()
    .where(
      'id',
      'in',
      accountUsers.map((au) => au.user_id),
    )
    .orderBy((eb) => eb.fn('lower', ['name']))
    .orderBy('id')
    .execute();
  const byUser = new Map(accountUsers.map((au) => [au.user_id, au]));
  const online = await onlineUsers(
    db,
    users.map((u) => u.id),
  );
  return users.map((user) => ({
    user,
    accountUser: byUser.get(user.id)!,
    online: online.has(`${accountId}:${user.id}`),
  }));
}

/**
 * Reads user ids from a request body (numbers or numeric strings) and keeps them if every one is
 * a member of the account; `undefined` when any is not, so each caller answers as Chatwoot does.
 */
export async function accountUserIdsFrom(
  db: Db,
  accountId: number,
  raw: unknown[] | undefined,
): Promise<number[] | undefined> {
  const ids = (raw ?? []).map((value) => parseId(value));
  const known = await accountMemberIds(
    db,
    accountId,
    ids.filter((id): id is number => id !== undefined),
  );
  if (ids.some((id) => id === undefined || !known.has(id))) return undefined;
  return [...new Set(ids as number[])];
}

/** Which of these ids are members of the account. */
async function accountMemberIds(db: Db, accountId: number, userIds: number[]): Promise<Set<number>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('account_users')
    .select('user_id')
    .where('account_id', '=', accountId)
    .where('user_id', 'in', userIds)
    .execute();
  return new Set(rows.map((row) => row.user_id));
}
