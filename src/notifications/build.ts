import type { Db } from '../db/kysely.js';
import type { Conversation, NotificationActorType } from '../db/schema.js';
import type { EventBatch } from '../events/bus.js';
import { NOTIFICATION_TYPES, type NotificationType } from '../serializers/notification.js';
import { subscribedToCreation } from './settings.js';

const ADMINISTRATOR = 1;

export interface NewNotification {
  type: NotificationType;
  userId: number;
  conversation: Conversation;
  /** The message that caused it, or the user or bot who did (Current.user); none for the system or a contact. */
  secondary: { type: NotificationActorType; id: number } | null;
}

/**
 * ConversationPolicy#show? for the notified user: a member of the account who administers it, or
 * belongs to the conversation's inbox or team. Nobody is told about a conversation they cannot open.
 */
async function canOpen(tx: Db, userId: number, conversation: Conversation): Promise<boolean> {
  const row = await tx.selectFrom('account_users as au').select((eb) => [
    'au.role',
    eb.exists(eb.selectFrom('inbox_members').select('id').where('inbox_id', '=', conversation.inbox_id).where('user_id', '=', userId)).as('in_inbox'),
    eb.exists(eb.selectFrom('team_members').select('id').where('team_id', '=', conversation.team_id ?? 0).where('user_id', '=', userId)).as('in_team'),
  ]).where('au.account_id', '=', conversation.account_id).where('au.user_id', '=', userId).executeTakeFirst();
  return !!row && (row.role === ADMINISTRATOR || Boolean(row.in_inbox) || Boolean(row.in_team));
}

/**
 * NotificationBuilder#perform, in the caller's transaction: conversation_creation only for users
 * subscribed to it; nothing about a blocked contact's conversation except mentions; nothing for
 * someone who cannot open the conversation. Then Notification::RemoveDuplicateNotificationJob: the
 * user keeps only the newest notification per conversation. Returns the new id, or undefined.
 */
export async function buildNotification(tx: Db, followUps: EventBatch, input: NewNotification): Promise<number | undefined> {
  const { conversation, userId } = input;
  if (input.type === 'conversation_creation' && !(await subscribedToCreation(tx, conversation.account_id, userId))) return undefined;
  if (input.type !== 'conversation_mention') {
    const contact = await tx.selectFrom('contacts').select('blocked').where('id', '=', conversation.contact_id).executeTakeFirst();
    if (contact?.blocked) return undefined;
  }
  if (!(await canOpen(tx, userId, conversation))) return undefined;

  const created = await tx.insertInto('notifications').values({
    account_id: conversation.account_id,
    user_id: userId,
    notification_type: NOTIFICATION_TYPES[input.type],
    primary_actor_id: conversation.id,
    secondary_actor_type: input.secondary?.type ?? null,
    secondary_actor_id: input.secondary?.id ?? null,
  }).returning('id').executeTakeFirstOrThrow();
  followUps.emit('notification.created', { accountId: conversation.account_id, userId, notificationId: created.id });

  const older = await tx.deleteFrom('notifications')
    .where('user_id', '=', userId).where('primary_actor_id', '=', conversation.id).where('id', '!=', created.id)
    .returning('id').execute();
  if (older.length) {
    followUps.emit('notification.deleted', { accountId: conversation.account_id, userId, notificationIds: older.map((row) => row.id) });
  }
  return created.id;
}
