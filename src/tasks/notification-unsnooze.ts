import type { Task } from 'graphile-worker';
import type { Db } from '../core/db/kysely.js';
import { transactionally, type EventBus } from '../core/events/bus.js';

export { NOTIFICATION_UNSNOOZE } from '../domains/notifications/unsnooze.js';

/**
 * Back in the list, unread and at the top (last_activity_at now), with meta.last_snoozed_at the
 * time it woke for. A notification snoozed again for later, or deleted meanwhile, is left alone.
 */
export function unsnoozeTask(deps: { db: Db; bus: EventBus }): Task {
  return async (payload) => {
    const id = Number((payload as { notification_id?: unknown }).notification_id);
    if (!Number.isSafeInteger(id)) return;
    await transactionally(deps, async (tx, batch) => {
      const notification = await tx
        .selectFrom('notifications')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!notification?.snoozed_until || new Date(notification.snoozed_until).getTime() > Date.now() + 1000) return;
      const now = new Date();
      await tx
        .updateTable('notifications')
        .set({
          snoozed_until: null,
          read_at: null,
          last_activity_at: now,
          updated_at: now,
          meta: JSON.stringify({
            ...notification.meta,
            last_snoozed_at: new Date(notification.snoozed_until).toISOString(),
          }),
        })
        .where('id', '=', id)
        .execute();
      batch.emit('notification.updated', {
        accountId: notification.account_id,
        userId: notification.user_id,
        notificationId: id,
      });
    });
  };
}
