import type { Db } from '../../core/db/kysely.js';
import { conversationUrl } from '../../core/mail/html.js';
import type { Mail } from '../../core/mail/mailer.js';
import { presentIds } from '../../core/realtime/presence.js';
import { availableName } from '../../serializers/agent.js';
import { NOTIFICATION_TYPES } from '../../serializers/notification.js';
import { type MailedNotificationType, notificationMail } from './templates.js';

const TYPE_NAMES = new Map(
  Object.entries(NOTIFICATION_TYPES).map(([name, value]) => [value as number, name as MailedNotificationType]),
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
  const row = await db
    .selectFrom('notifications as n')
    .innerJoin('users as u', 'u.id', 'n.user_id')
    .innerJoin('conversations as c', (join) =>
      join.onRef('c.id', '=', 'n.primary_actor_id').onRef('c.account_id', '=', 'n.account_id'),
    )
    .innerJoin('inboxes as i', 'i.id', 'c.inbox_id')
    .select([
      'n.account_id',
      'n.user_id',
      'n.notification_type',
      'n.read_at',
      'n.secondary_actor_type',
      'n.secondary_actor_id',
      'u.email',
      'u.name',
      'u.display_name',
      'c.display_id',
      'i.name as inbox_name',
    ])
    .where('n.id', '=', notificationId)
    .executeTakeFirst();
  const type = row && TYPE_NAMES.get(row.notification_type);
  if (!row || !type || row.read_at) return undefined;
  if (ONLY_OFFLINE.has(type) && (await presentIds(db, row.account_id, 'User')).has(row.user_id)) return undefined;
  let message: string | undefined;
  if (row.secondary_actor_type === 'Message' && row.secondary_actor_id !== null) {
    const found = await db
      .selectFrom('messages')
      .select('content')
      .where('account_id', '=', row.account_id)
      .where('id', '=', row.secondary_actor_id)
      .executeTakeFirst();
    message = found?.content ?? undefined;
  }
  return notificationMail({
    type,
    to: row.email,
    agentName: availableName(row),
    displayId: row.display_id,
    inboxName: row.inbox_name,
    message,
    actionUrl: conversationUrl(frontendBase, row.account_id, row.display_id),
  });
}
