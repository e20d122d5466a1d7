import type { Db } from '../../core/db/kysely.js';
import type { Account, AccountUpdate, NewAccount } from '../../core/db/schema.js';

export async function insertAccount(db: Db, values: NewAccount): Promise<Account> {
  return db.insertInto('accounts').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findAccount(db: Db, id: number): Promise<Account | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function accountExists(db: Db, id: number): Promise<boolean> {
  return (await db.selectFrom('accounts').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function updateAccount(db: Db, id: number, values: AccountUpdate): Promise<Account> {
  return db
    .updateTable('accounts')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes the account; memberships and account-owned bots go with it (FK cascade). */
export async function deleteAccount(db: Db, id: number): Promise<void> {
  await db.deleteFrom('accounts').where('id', '=', id).execute();
}

export async function listAccountsByIds(db: Db, ids: number[]): Promise<Account[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('accounts').selectAll().where('id', 'in', ids).orderBy('id').execute();
}
