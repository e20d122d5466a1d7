import type { Db } from '../../core/db/kysely.js';
import { conversationUrl } from '../../core/dashboard-urls.js';
import type { Mail } from '../../core/mail/mailer.js';
import { isRecent } from '../../core/realtime/presence.js';
import { availableName } from '../../serializers/agent.js';
import { NOTIFICATION_TYPES } from '../../serializers/notification.js';
import { MAILED_NOTIFICATION_TYPES, type MailedNotificationType, notificationMail } from './templates.js';

/** The types Chatwoot's ConversationNotificationsMailer mails, by their number (the SLA types are not). */
const MAILED: ReadonlyMap<number, MailedNotificationType> = new Map(
  MAILED_NOTIFICATION_TYPES.map((name) => [NOTIFICATION_TYPES[name], name]),
);

/** The new-message types, which Chatwoot does not mail to an agent who is online (OnlineStatusTracker). */
const ONLY_OFFLINE: ReadonlySet<MailedNotificationType> = new Set([
  'assigned_conversation_new_message',
  'participating_conversation_new_message',
]);

/**
 * The mail of a queued notification (Notification::EmailNotificationJob and
 * EmailNotificationService), from the rows as they are now. Undefined when there is nothing to
 * send any more: the notification is gone (its conversation deleted, a newer one replaced it) or
 * read, or it is about a new message and the agent is online.
 */
export async function prepareNotificationMail(
  db: Db,
  frontendBase: string,
  notificationId: number,
): Promise<Mail | undefined> {
  // one read: the agent's presence and the message with the notification
  const row = await db
    .selectFrom('notifications as n')
    .innerJoin('users as u', 'u.id', 'n.user_id')
    .innerJoin('conversations as c', (join) =>
      join.onRef('c.id', '=', 'n.primary_actor_id').onRef('c.account_id', '=', 'n.account_id'),
    )
    .innerJoin('inboxes as i', 'i.id', 'c.inbox_id')
    .leftJoin('messages as m', (join) =>
      join
        .onRef('m.id', '=', 'n.secondary_actor_id')
        .onRef('m.account_id', '=', 'n.account_id')
        .on('n.secondary_actor_type', '=', 'Message'),
    )
    .leftJoin('presence as p', (join) =>
      join.onRef('p.account_id', '=', 'n.account_id').on('p.kind', '=', 'User').onRef('p.entity_id', '=', 'n.user_id'),
    )
    .select([
      'n.account_id',
      'n.notification_type',
      'n.read_at',
      'u.email',
      'u.name',
      'u.display_name',
      'c.display_id',
      'i.name as inbox_name',
      'm.content as message',
      isRecent('p').as('online'),
    ])
    .where('n.id', '=', notificationId)
    .executeTakeFirst();
  const type = row && MAILED.get(row.notification_type);
  if (!row || !type || row.read_at) return undefined;
  if (ONLY_OFFLINE.has(type) && row.online) return undefined;
  return notificationMail({
    type,
    to: row.email,
    agentName: availableName(row),
    displayId: row.display_id,
    inboxName: row.inbox_name,
    message: row.message ?? undefined,
    actionUrl: conversationUrl(frontendBase, row.account_id, row.display_id),
  });
}
