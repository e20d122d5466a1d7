import type { Db } from '../../core/db/kysely.js';
import type { EventMap } from '../../core/events/bus.js';
import { finderCounts } from '../../domains/notifications/queries.js';
import { loadNotificationViews } from '../../domains/notifications/views.js';
import type { AttachmentUrls } from '../../serializers/attachment.js';
import { notificationPushJson } from '../../serializers/notification.js';
import type { NewCableEvent } from '../../core/realtime/store.js';

/**
 * ActionCableListener#notification_created / _updated / _deleted: to the notified user's own
 * stream only, with the counts of their default list (NotificationFinder without params: unread
 * and not snoozed) as they stand after the change.
 */
export function notificationBroadcasts(db: Db, urls: AttachmentUrls) {
  async function audience(accountId: number, userId: number) {
    const [user, counts] = await Promise.all([
      db
        .selectFrom('users')
        .innerJoin('account_users', 'account_users.user_id', 'users.id')
        .select('users.pubsub_token')
        .where('users.id', '=', userId)
        .where('account_users.account_id', '=', accountId)
        .executeTakeFirst(),
      finderCounts(db, accountId, userId, { includes: [] }),
    ]);
    return user && { token: user.pubsub_token, counts };
  }

  /** notification.created / notification.updated: `{notification: push_event_data, unread_count, count}`. */
  async function changed(
    name: 'notification.created' | 'notification.updated',
    event: EventMap['notification.created'],
    performer?: unknown,
  ): Promise<NewCableEvent[]> {
    const row = await db
      .selectFrom('notifications')
      .selectAll()
      .where('id', '=', event.notificationId)
      .where('account_id', '=', event.accountId)
      .where('user_id', '=', event.userId)
      .executeTakeFirst();
    // deleted before this ran (a newer one replaced it): its notification.deleted follows
    if (!row) return [];
    const [[view], to] = await Promise.all([
      loadNotificationViews(db, event.accountId, [row]),
      audience(event.accountId, event.userId),
    ]);
    if (!view || !to) return [];
    return [
      {
        streams: [to.token],
        event: name,
        data: {
          notification: notificationPushJson(view, urls),
          unread_count: to.counts.unreadCount,
          count: to.counts.count,
          account_id: event.accountId,
          ...(performer ? { performer } : {}),
        },
      },
    ];
  }

  /** notification.deleted: `{notification: {id}, unread_count, count}`, one broadcast per notification. */
  async function deleted(event: EventMap['notification.deleted'], performer?: unknown): Promise<NewCableEvent[]> {
    const to = await audience(event.accountId, event.userId);
    if (!to) return [];
    return event.notificationIds.map((id) => ({
      streams: [to.token],
      event: 'notification.deleted',
      data: {
        notification: { id },
        unread_count: to.counts.unreadCount,
        count: to.counts.count,
        account_id: event.accountId,
        ...(performer ? { performer } : {}),
      },
    }));
  }

  return { changed, deleted };
}
