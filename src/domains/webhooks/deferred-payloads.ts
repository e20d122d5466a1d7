import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import { prepared } from '../../core/db/prepared.js';
import type { AttachmentUrls } from '../../serializers/attachment.js';
import { loadMessagePayload } from './message-payload.js';

/**
 * Deliveries queued without their body (a one-statement message's, migration 0158): the body is
 * set once rendered, and those their node never set are rendered from the database.
 */

/**
 * Sets the body of deliveries still without one, and wakes the drainers when it did.
 *
 * Its commit does not wait for the disk (synchronous_commit off for this statement's transaction):
 * a crash may forget the body, and the row, still without one, is rendered again
 * (renderUnrendered). A NOTIFY holds PostgreSQL's one lock on the notification queue from before
 * its commit to the end of it: committed synchronously, every other notifying transaction of the
 * server (broadcasts stored, deliveries queued) queued behind this one's WAL flush; bench:webhooks'
 * API backends waited on that lock (Lock:object) more than on anything else (bench/pg-waits.mjs).
 */
export async function setPayload(db: Db, ids: string[], payload: Record<string, unknown>): Promise<void> {
  await prepared(sql`
    with rendered as (
      update webhook_deliveries set payload = ${JSON.stringify(payload)}::jsonb
      where id = any(${ids}::uuid[]) and payload is null
      returning 1
    )
    select set_config('synchronous_commit', 'off', true),
      (select pg_notify('confab_webhook_deliveries', '') where exists (select 1 from rendered))`).execute(db);
}

/** How long a delivery may wait for its body from the node that queued it before any node renders it. */
export const UNRENDERED_GRACE_SECONDS = 10;

/**
 * Renders deliveries queued without a body more than UNRENDERED_GRACE_SECONDS ago (a node died
 * between its commit and setting the body), from the message as the database has it now; one whose
 * message is gone fails. Returns how many it settled.
 */
export async function renderUnrendered(db: Db, urls: AttachmentUrls, limit = 100): Promise<number> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select(['id', 'event', 'message_id'])
    .where('payload', 'is', null)
    .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${UNRENDERED_GRACE_SECONDS})`)
    .orderBy('created_at')
    .limit(limit)
    .execute();
  const byMessage = new Map<string, { event: string; messageId: number | null; ids: string[] }>();
  for (const row of rows) {
    const key = `${row.event}:${row.message_id}`;
    const group = byMessage.get(key) ?? { event: row.event, messageId: row.message_id, ids: [] };
    group.ids.push(row.id);
    byMessage.set(key, group);
  }
  for (const { event, messageId, ids } of byMessage.values()) {
    const payload = messageId === null ? undefined : await loadMessagePayload(db, event, messageId, urls);
    if (payload) await setPayload(db, ids, payload);
    else
      await db
        .updateTable('webhook_deliveries')
        .set({ payload: '{}', status: 'failed', last_error: 'the message is gone', updated_at: new Date() })
        .where('id', 'in', ids)
        .where('payload', 'is', null)
        .execute();
  }
  return rows.length;
}
