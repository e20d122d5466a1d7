import type { Db } from '../../core/db/kysely.js';
import type { AccountUser } from '../../core/db/schema.js';

export async function listAccountUsers(db: Db, accountId: number): Promise<AccountUser[]> {
  return db.selectFrom('account_users').selectAll().where('account_id', '=', accountId).orderBy('id').execute();
}

/** Chatwoot's `find_or_initialize_by(user_id:).update!(role:)`: adds the member or changes the role. */
export async function upsertAccountUser(
  db: Db,
  accountId: number,
  userId: number,
  role: number | undefined,
): Promise<AccountUser> {
  return db
    .insertInto('account_users')
    .values({ account_id: accountId, user_id: userId, role: role ?? 0 })
    .onConflict((oc) =>
      oc.columns(['account_id', 'user_id']).doUpdateSet((eb) => ({
        role: role === undefined ? eb.ref('account_users.role') : role,
        updated_at: new Date(),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteAccountUser(db: Db, accountId: number, userId: number): Promise<void> {
  await db.deleteFrom('account_users').where('account_id', '=', accountId).where('user_id', '=', userId).execute();
}
