import type { Db } from '../../core/db/kysely.js';
import type { Notification } from '../../core/db/schema.js';
import { ANY_PLAN } from '../../core/db/prepared.js';

/**
 * NotificationFinder: a user's notifications in one account, without the snoozed ones unless
 * `includes` has "snoozed" and without the read ones unless it has "read". Every query names
 * both the user and the account.
 */
export interface FinderOptions {
  includes: string[];
}

export function finderScope(db: Db, accountId: number, userId: number, options: FinderOptions) {
  let scope = db.selectFrom('notifications').where('user_id', '=', userId).where('account_id', '=', accountId);
  if (!options.includes.includes('snoozed')) scope = scope.where('snoozed_until', 'is', null);
  if (!options.includes.includes('read')) scope = scope.where('read_at', 'is', null);
  return scope;
}

// a user's notifications by key: the same plan in either plan mode
const countOf = async (query: ReturnType<typeof finderScope>) =>
  Number(
    (
      await query
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .modifyFront(ANY_PLAN)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The finder's count and unread_count (the unread ones of that list; the same list when read ones are left out). */
export async function finderCounts(
  db: Db,
  accountId: number,
  userId: number,
  options: FinderOptions,
): Promise<{ count: number; unreadCount: number }> {
  const scope = finderScope(db, accountId, userId, options);
  const [count, unreadCount] = await Promise.all([
    countOf(scope),
    options.includes.includes('read') ? countOf(scope.where('read_at', 'is', null)) : undefined,
  ]);
  return { count, unreadCount: unreadCount ?? count };
}

export const PER_PAGE = 15;

/** One page, by last_activity_at (newest first unless asc), the id breaking ties the same way. */
export async function finderPage(
  db: Db,
  accountId: number,
  userId: number,
  options: FinderOptions & { page: number; ascending: boolean },
): Promise<Notification[]> {
  const direction = options.ascending ? 'asc' : 'desc';
  return finderScope(db, accountId, userId, options)
    .selectAll()
    .orderBy('last_activity_at', direction)
    .orderBy('id', direction)
    .limit(PER_PAGE)
    .offset((options.page - 1) * PER_PAGE)
    .execute();
}

/** The caller's own notification in this account (another user's or account's is "not found"). */
export async function ownNotification(
  db: Db,
  accountId: number,
  userId: number,
  id: number,
): Promise<Notification | undefined> {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}
