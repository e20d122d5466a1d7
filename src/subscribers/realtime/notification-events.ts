import type { Db } from '../../core/db/kysely.js';
import type { EventMap, NotificationCounts } from '../../core/events/bus.js';
import { finderCounts } from '../../domains/notifications/queries.js';
import { loadNotificationViews } from '../../domains/notifications/views.js';
import type { AttachmentUrls } from '../../serializers/attachment.js';
import { notificationPushJson } from '../../serializers/notification.js';
import type { NewCableEvent } from '../../core/realtime/store.js';

/** What an event's transaction already read of its audience. */
interface Known {
  token?: string;
  counts?: NotificationCounts;
}

/**
 * ActionCableListener#notification_created / _updated / _deleted: to the notified user's own
 * stream only, with the counts of their default list (NotificationFinder without params: unread
 * and not snoozed) as they stand after the change.
 */
export function notificationBroadcasts(db: Db, urls: AttachmentUrls) {
  /**
   * Audiences being read, by account and user: the events of one write (a new notification and
   * the older one it replaced) are published together and share one reading of the counts.
   */
  const reading = new Map<string, ReturnType<typeof readAudience>>();
  function audience(accountId: number, userId: number, known: Known = {}) {
    const key = `${accountId}:${userId}`;
    let found = reading.get(key);
    if (!found) {
      found = readAudience(accountId, userId, known);
      reading.set(key, found);
      // published together means asked for in the same turn of the event loop
      setImmediate(() => reading.delete(key));
    }
    return found;
  }

  /**
   * What the event's transaction knew already: the member's pubsub token (a rendered notification's
   * user), the counts after its writes (a one-statement message's notifications).
   */
  async function readAudience(accountId: number, userId: number, { token, counts: knownCounts }: Known) {
    const [user, counts] = await Promise.all([
      token !== undefined
        ? { pubsub_token: token }
        : db
            .selectFrom('users')
            .innerJoin('account_users', 'account_users.user_id', 'users.id')
            .select('users.pubsub_token')
            .where('users.id', '=', userId)
            .where('account_users.account_id', '=', accountId)
            .executeTakeFirst(),
      knownCounts ?? finderCounts(db, accountId, userId, { includes: [] }),
    ]);
    return user && { token: user.pubsub_token, counts };
  }

  /** notification.created / notification.updated: `{notification: push_event_data, unread_count, count}`. */
  async function changed(
    name: 'notification.created' | 'notification.updated',
    event: EventMap['notification.created'],
    performer?: unknown,
  ): Promise<NewCableEvent[]> {
    // the audience asked for at once, in the turn its event was published in (see audience)
    const [view, to] = await Promise.all([
      // rendered by the transaction that wrote it, or read now
      event.loaded ?? loadView(event),
      // a rendered notification's user is a member of the account (the push view's assignee)
      audience(event.accountId, event.userId, { token: event.loaded?.user.user.pubsub_token, counts: event.counts }),
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

  async function loadView(event: EventMap['notification.created']) {
    const row = await db
      .selectFrom('notifications')
      .selectAll()
      .where('id', '=', event.notificationId)
      .where('account_id', '=', event.accountId)
      .where('user_id', '=', event.userId)
      .executeTakeFirst();
    // deleted before this ran (a newer one replaced it): its notification.deleted follows
    if (!row) return undefined;
    const [view] = await loadNotificationViews(db, event.accountId, [row]);
    return view;
  }

  /** notification.deleted: `{notification: {id}, unread_count, count}`, one broadcast per notification. */
  async function deleted(event: EventMap['notification.deleted'], performer?: unknown): Promise<NewCableEvent[]> {
    const to = await audience(event.accountId, event.userId, { counts: event.counts });
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
