import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { ChannelApiTable, Inbox, InboxesTable, User } from '../../core/db/schema.js';
import type { InboxView } from '../../serializers/inbox.js';

export const API_CHANNEL = 'Channel::Api';

/** Inboxes of the account, or only those the user is a member of (Chatwoot's assigned_inboxes). */
export async function listInboxes(db: Db, accountId: number, memberUserId?: number): Promise<Inbox[]> {
  let query = db.selectFrom('inboxes').selectAll('inboxes').where('inboxes.account_id', '=', accountId);
  if (memberUserId !== undefined) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('inbox_members')
          .select('inbox_members.id')
          .whereRef('inbox_members.inbox_id', '=', 'inboxes.id')
          .where('inbox_members.user_id', '=', memberUserId),
      ),
    );
  }
  return query.orderBy('inboxes.id').execute();
}

export async function findInbox(db: Db, accountId: number, id: number): Promise<Inbox | undefined> {
  return db
    .selectFrom('inboxes')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function isInboxMember(db: Db, inboxId: number, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('inbox_members')
    .select('id')
    .where('inbox_id', '=', inboxId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Loads the channel and working hours of each inbox in two queries. */
export async function loadInboxViews(db: Db, inboxes: Inbox[]): Promise<InboxView[]> {
  if (inboxes.length === 0) return [];
  const channelIds = inboxes.filter((i) => i.channel_type === API_CHANNEL).map((i) => i.channel_id);
  const channels = channelIds.length
    ? await db.selectFrom('channel_api').selectAll().where('id', 'in', channelIds).execute()
    : [];
  const hours = await db
    .selectFrom('working_hours')
    .selectAll()
    .where(
      'inbox_id',
      'in',
      inboxes.map((i) => i.id),
    )
    .execute();
  const channelById = new Map(channels.map((c) => [c.id, c]));
  return inboxes.map((inbox) => ({
    inbox,
    channel: channelById.get(inbox.channel_id)!,
    workingHours: hours.filter((h) => h.inbox_id === inbox.id),
  }));
}

export async function insertApiChannel(db: Db, values: Insertable<ChannelApiTable>) {
  return db.insertInto('channel_api').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateApiChannel(db: Db, id: number, values: Updateable<ChannelApiTable>) {
  await db
    .updateTable('channel_api')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function insertInbox(db: Db, values: Insertable<InboxesTable>): Promise<Inbox> {
  return db.insertInto('inboxes').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateInbox(db: Db, id: number, values: Updateable<InboxesTable>): Promise<Inbox> {
  return db
    .updateTable('inboxes')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Chatwoot's default schedule: weekends closed, weekdays 09:00–17:00. */
export async function insertDefaultWorkingHours(db: Db, inbox: Inbox): Promise<void> {
  await db
    .insertInto('working_hours')
    .values(
      [0, 1, 2, 3, 4, 5, 6].map((day) => {
        const weekend = day === 0 || day === 6;
        return {
          inbox_id: inbox.id,
          account_id: inbox.account_id,
          day_of_week: day,
          closed_all_day: weekend,
          open_all_day: false,
          open_hour: weekend ? null : 9,
          open_minutes: weekend ? null : 0,
          close_hour: weekend ? null : 17,
          close_minutes: weekend ? null : 0,
        };
      }),
    )
    .execute();
}

export async function deleteInboxWithChannel(db: Db, inbox: Inbox): Promise<void> {
  await db.deleteFrom('inboxes').where('id', '=', inbox.id).execute();
  if (inbox.channel_type === API_CHANNEL)
    await db.deleteFrom('channel_api').where('id', '=', inbox.channel_id).execute();
}

/** Members of an inbox, as account users (the agent partial needs the membership too). */
export async function inboxMemberUsers(db: Db, accountId: number, inboxId: number): Promise<User[]> {
  return db
    .selectFrom('users')
    .selectAll('users')
    .innerJoin('inbox_members', 'inbox_members.user_id', 'users.id')
    .where('inbox_members.inbox_id', '=', inboxId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('account_users')
          .select('account_users.id')
          .whereRef('account_users.user_id', '=', 'users.id')
          .where('account_users.account_id', '=', accountId),
      ),
    )
    .orderBy('users.id')
    .execute();
}

/** Chatwoot's inbox.active_bot?: an agent bot is attached and active (status 0). */
export async function hasActiveBot(db: Db, inboxId: number): Promise<boolean> {
  const row = await db
    .selectFrom('agent_bot_inboxes')
    .select('id')
    .where('inbox_id', '=', inboxId)
    .where('status', '=', 0)
    .executeTakeFirst();
  return row !== undefined;
}
