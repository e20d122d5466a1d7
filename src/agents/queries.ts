import type { Db } from '../db/kysely.js';
import type { AgentView } from '../serializers/agent.js';

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
  const users = await db.selectFrom('users').selectAll()
    .where('id', 'in', accountUsers.map((au) => au.user_id))
    .orderBy((eb) => eb.fn('lower', ['name'])).orderBy('id')
    .execute();
  const byUser = new Map(accountUsers.map((au) => [au.user_id, au]));
  return users.map((user) => ({ user, accountUser: byUser.get(user.id)! }));
}

/** Which of these ids are members of the account. */
export async function accountMemberIds(db: Db, accountId: number, userIds: number[]): Promise<Set<number>> {
  if (userIds.length === 0) return new Set();
  const rows = await db.selectFrom('account_users').select('user_id')
    .where('account_id', '=', accountId).where('user_id', 'in', userIds).execute();
  return new Set(rows.map((row) => row.user_id));
}
