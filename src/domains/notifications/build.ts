import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import { prepared } from '../../core/db/prepared.js';
import type { Conversation, Notification, NotificationActorType } from '../../core/db/schema.js';
import type { NotificationView } from '../../core/db/views.js';
import { notificationFromJson } from '../../core/db/json-rows.js';
import type { EventBatch } from '../../core/events/bus.js';
import { NOTIFICATION_TYPES, type NotificationType } from '../../serializers/notification.js';
import { subscribedToCreation } from './settings.js';
import { ACCOUNT_USER_ROLE } from '../../core/db/enums.js';

export interface NewNotification {
  type: NotificationType;
  userId: number;
  conversation: Conversation;
  /** The message that caused it, or the user or bot who did (Current.user); none for the system or a contact. */
  secondary: { type: NotificationActorType; id: number } | null;
  /**
   * Renders the new row with what the caller's transaction read already, when it can: its
   * notification.created then carries the view, and the broadcast reads none of it again.
   */
  render?: (notification: Notification) => NotificationView | undefined;
}

/**
 * NotificationBuilder#perform, in the caller's transaction: conversation_creation only for users
 * subscribed to it; nothing about a blocked contact's conversation except mentions; nothing for
 * someone who cannot open the conversation (ConversationPolicy#show?: an administrator of the
 * account, or a member of its inbox or team). Then Notification::RemoveDuplicateNotificationJob:
 * the user keeps only the newest notification per conversation. The checks, the insert and the
 * removal are one statement (a message may notify several users, inside the request's
 * transaction). Returns the new id, or undefined.
 */
export async function buildNotification(
  tx: Db,
  followUps: EventBatch,
  input: NewNotification,
): Promise<number | undefined> {
  const { conversation, userId } = input;
  if (input.type === 'conversation_creation' && !(await subscribedToCreation(tx, conversation.account_id, userId)))
    return undefined;
  const { rows } = await prepared(sql<{ row: Record<string, unknown> | null; removed: number[] }>`
    with allowed as (
      select 1 from account_users au
      where au.account_id = ${conversation.account_id} and au.user_id = ${userId}
        and (au.role = ${ACCOUNT_USER_ROLE.administrator}
          or exists (select 1 from inbox_members where inbox_id = ${conversation.inbox_id} and user_id = ${userId})
          or exists (select 1 from team_members where team_id = ${conversation.team_id ?? 0} and user_id = ${userId}))
        and (${input.type === 'conversation_mention'} or not exists (select 1 from contacts where id = ${conversation.contact_id} and blocked))
    ), created as (
      insert into notifications (account_id, user_id, notification_type, primary_actor_id, secondary_actor_type, secondary_actor_id)
      select ${conversation.account_id}, ${userId}, ${NOTIFICATION_TYPES[input.type]}, ${conversation.id}, ${input.secondary?.type ?? null}, ${input.secondary?.id ?? null}
      from allowed
      returning *
    ), removed as (
      delete from notifications where user_id = ${userId} and primary_actor_id = ${conversation.id} and exists (select 1 from created)
      returning id
    )
    select (select to_jsonb(created) from created) as row, array(select id from removed) as removed`).execute(tx);
  const row = rows[0]?.row;
  if (!row) return undefined;
  const notification = notificationFromJson(row);
  const id = notification.id;
  const loaded = input.render?.(notification);
  followUps.emit('notification.created', {
    accountId: conversation.account_id,
    userId,
    notificationId: id,
    ...(loaded ? { loaded } : {}),
  });
  const older = rows[0]!.removed.map(Number);
  if (older.length)
    followUps.emit('notification.deleted', { accountId: conversation.account_id, userId, notificationIds: older });
  return id;
}
