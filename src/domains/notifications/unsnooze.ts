import { sql } from 'kysely';
import type { Task } from 'graphile-worker';
import type { Db } from '../../core/db/kysely.js';
import type { Notification } from '../../core/db/schema.js';
import { transactionally, type EventBus } from '../../core/events/bus.js';

/**
 * Notification::ReopenSnoozedNotificationsJob, per notification and at its exact time: Chatwoot
 * sweeps every few minutes; here a durable job is scheduled with the snooze (one per notification,
 * replaced by a new snooze), survives restarts, and runs on any node.
 */
export const NOTIFICATION_UNSNOOZE = 'notification_unsnooze';
const jobKey = (id: number) => `notification_unsnooze:${id}`;

export async function scheduleUnsnooze(tx: Db, notification: Notification): Promise<void> {
  await sql`select graphile_worker.add_job(${NOTIFICATION_UNSNOOZE}, ${JSON.stringify({ notification_id: notification.id })}::json,
    run_at => ${notification.snoozed_until}::timestamptz, job_key => ${jobKey(notification.id)}, job_key_mode => 'replace', max_attempts => 10)`.execute(tx);
}

/**
 * Back in the list, unread and at the top (last_activity_at now), with meta.last_snoozed_at the
 * time it woke for. A notification snoozed again for later, or deleted meanwhile, is left alone.
 */
export function unsnoozeTask(deps: { db: Db; bus: EventBus }): Task {
  return async (payload) => {
    const id = Number((payload as { notification_id?: unknown }).notification_id);
    if (!Number.isSafeInteger(id)) return;
    await transactionally(deps, async (tx, batch) => {
      const notification = await tx.selectFrom('notifications').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!notification?.snoozed_until || new Date(notification.snoozed_until).getTime() > Date.now() + 1000) return;
      const now = new Date();
      await tx.updateTable('notifications').set({
        snoozed_until: null, read_at: null, last_activity_at: now, updated_at: now,
        meta: JSON.stringify({ ...notification.meta, last_snoozed_at: new Date(notification.snoozed_until).toISOString() }),
      }).where('id', '=', id).execute();
      batch.emit('notification.updated', { accountId: notification.account_id, userId: notification.user_id, notificationId: id });
    });
  };
}
