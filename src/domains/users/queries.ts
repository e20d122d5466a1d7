import { onlineUsers } from '../../core/realtime/presence.js';
import type { Db } from '../../core/db/kysely.js';
import type { User, UsersTable } from '../../core/db/schema.js';
import type { Insertable, Updateable } from 'kysely';
import type { UserView } from '../../serializers/user.js';
import { accessTokensFor } from '../../core/tokens/access-tokens.js';

export async function findUser(db: Db, id: number): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function userExists(db: Db, id: number): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Emails are unique case-insensitively (Devise downcases them). */
export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst();
}

export async function insertUser(db: Db, values: Insertable<UsersTable>): Promise<User> {
  return db.insertInto('users').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateUser(db: Db, id: number, values: Updateable<UsersTable>): Promise<User> {
  return db
    .updateTable('users')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteUser(db: Db, id: number): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute();
}

/** Loads users with their token and memberships (active account first) in three queries. */
export async function loadUserViews(db: Db, users: User[]): Promise<UserView[]> {
  const ids = users.map((user) => user.id);
  if (ids.length === 0) return [];
  const [tokens, online] = await Promise.all([accessTokensFor(db, 'User', ids), onlineUsers(db, ids)]);
  const rows = await db
    .selectFrom('account_users as au')
    .innerJoin('accounts as a', 'a.id', 'au.account_id')
    .selectAll('au')
    .select([
      'a.name as a_name',
      'a.locale as a_locale',
      'a.domain as a_domain',
      'a.support_email as a_support_email',
      'a.status as a_status',
      'a.features as a_features',
      'a.limits as a_limits',
      'a.custom_attributes as a_custom_attributes',
      'a.settings as a_settings',
      'a.auto_resolve_duration as a_auto_resolve_duration',
      'a.created_at as a_created_at',
      'a.updated_at as a_updated_at',
    ])
    .where('au.user_id', 'in', ids)
    // Chatwoot's active_account_user: most recently active first, never-active last
    .orderBy('au.active_at', (ob) => ob.desc().nullsLast())
    .orderBy('au.id')
    .execute();
  return users.map((user) => ({
    user,
    accessToken: tokens.get(user.id) ?? null,
    memberships: rows
      .filter((row) => row.user_id === user.id)
      .map((row) => ({
        accountUser: {
          id: row.id,
          account_id: row.account_id,
          user_id: row.user_id,
          role: row.role,
          inviter_id: row.inviter_id,
          availability: row.availability,
          auto_offline: row.auto_offline,
          active_at: row.active_at,
          agent_capacity_policy_id: row.agent_capacity_policy_id,
          created_at: row.created_at,
          updated_at: row.updated_at,
        },
        account: {
          id: row.account_id,
          name: row.a_name,
          locale: row.a_locale,
          domain: row.a_domain,
          support_email: row.a_support_email,
          status: row.a_status,
          features: row.a_features,
          limits: row.a_limits,
          custom_attributes: row.a_custom_attributes,
          settings: row.a_settings,
          auto_resolve_duration: row.a_auto_resolve_duration,
          created_at: row.a_created_at,
          updated_at: row.a_updated_at,
        },
        online: online.has(`${row.account_id}:${row.user_id}`),
      })),
  }));
}

export async function loadUserView(db: Db, user: User): Promise<UserView> {
  return (await loadUserViews(db, [user]))[0]!;
}
