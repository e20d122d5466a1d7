import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { Notification } from '../../core/db/schema.js';

/**
 * Notification::ReopenSnoozedNotificationsJob, per notification and at its exact time: Chatwoot
 * sweeps every few minutes; here a durable job is scheduled with the snooze (one per notification,
 * replaced by a new snooze), survives restarts, and runs on any node.
 */
export const NOTIFICATION_UNSNOOZE = 'notification_unsnooze';
const jobKey = (id: number) => `notification_unsnooze:${id}`;

export async function scheduleUnsnooze(tx: Db, notification: Notification): Promise<void> {
  await sql`select graphile_worker.add_job(${NOTIFICATION_UNSNOOZE}, ${JSON.stringify({ notification_id: notification.id })}::json,
    run_at => ${notification.snoozed_until}::timestamptz, job_key => ${jobKey(notification.id)}, job_key_mode => 'replace', max_attempts => 10)`.execute(
    tx,
  );
}
