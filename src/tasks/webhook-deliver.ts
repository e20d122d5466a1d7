import { sql } from 'kysely';
import type { Task } from 'graphile-worker';
import type { Logger } from 'pino';
import type { Db } from '../core/db/kysely.js';
import type { WebhookDelivery } from '../core/db/schema.js';
import { transactionally, type EventBus } from '../core/events/bus.js';
import { backoffMs, postOnce, type DeliverConfig } from '../core/webhooks/deliver.js';
import { signatureHeaders } from '../core/webhooks/sign.js';
import { setStatus, STATUS } from '../domains/conversations/status.js';
import { WEBHOOK_DELIVER } from '../domains/webhooks/receivers.js';

export { WEBHOOK_DELIVER };

async function secretOf(db: Db, delivery: WebhookDelivery): Promise<string | null> {
  if (delivery.kind === 'account_webhook' && delivery.webhook_id !== null) {
    return (
      (await db.selectFrom('webhooks').select('secret').where('id', '=', delivery.webhook_id).executeTakeFirst())
        ?.secret ?? null
    );
  }
  if (delivery.kind === 'api_inbox_webhook' && delivery.inbox_id !== null) {
    const row = await db
      .selectFrom('inboxes')
      .innerJoin('channel_api', 'channel_api.id', 'inboxes.channel_id')
      .select('channel_api.secret')
      .where('inboxes.id', '=', delivery.inbox_id)
      .where('inboxes.channel_type', '=', 'Channel::Api')
      .executeTakeFirst();
    return row?.secret ?? null;
  }
  if (delivery.kind === 'agent_bot_webhook' && delivery.agent_bot_id !== null) {
    return (
      (await db.selectFrom('agent_bots').select('secret').where('id', '=', delivery.agent_bot_id).executeTakeFirst())
        ?.secret ?? null
    );
  }
  return null;
}

/**
 * Webhooks::Trigger#handle_error, once a message delivery has finally failed: an API inbox's
 * message is marked failed with the error in content_attributes.external_error; a bot's failure
 * on a pending conversation also marks it failed and opens the conversation (handoff).
 */
async function applyFailure(deps: { db: Db; bus: EventBus }, delivery: WebhookDelivery, error: string): Promise<void> {
  if (delivery.message_id === null || !['message_created', 'message_updated'].includes(delivery.event)) return;
  if (delivery.kind !== 'api_inbox_webhook' && delivery.kind !== 'agent_bot_webhook') return;
  await transactionally(deps, async (tx, batch) => {
    const message = await tx
      .selectFrom('messages')
      .selectAll()
      .where('id', '=', delivery.message_id!)
      .forUpdate()
      .executeTakeFirst();
    if (!message) return;
    const conversation = await tx
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', message.conversation_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (delivery.kind === 'agent_bot_webhook' && conversation.status !== STATUS.pending) return;
    // already failed: nothing changes, and no message_updated goes out again (no failure loop)
    if (message.status !== 3) {
      await tx
        .updateTable('messages')
        .set({
          status: 3,
          content_attributes: sql`content_attributes || ${JSON.stringify({ external_error: error })}::jsonb`,
          updated_at: new Date(),
        })
        .where('id', '=', message.id)
        .execute();
      batch.emit('message.updated', {
        accountId: message.account_id,
        conversationId: conversation.id,
        messageId: message.id,
      });
    }
    if (delivery.kind === 'agent_bot_webhook')
      await setStatus({ tx, batch }, { conversation, status: 'open', cause: { kind: 'system' } });
  });
}

/** The webhook_deliver task: one try of one delivery; the next try is a new job at a later run_at. */
export function webhookDeliverTask(deps: { db: Db; bus: EventBus; config: DeliverConfig; log: Logger }): Task {
  return async (payload) => {
    const id = String((payload as { delivery_id?: unknown }).delivery_id);
    const delivery = await deps.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (!delivery) return;
    const body = JSON.stringify(delivery.payload);
    // the secret is read at each try: a rotated secret signs the retries
    const headers = signatureHeaders(delivery.id, await secretOf(deps.db, delivery), body);
    const result = await postOnce(delivery.url, body, headers, deps.config);
    const attempts = delivery.attempts + 1;
    const common = {
      attempts,
      response_code: result.code,
      latency_ms: result.latencyMs,
      last_error: result.error,
      updated_at: new Date(),
    };
    if (result.ok) {
      await deps.db
        .updateTable('webhook_deliveries')
        .set({ ...common, status: 'succeeded', delivered_at: new Date() })
        .where('id', '=', id)
        .execute();
      return;
    }
    if (result.retryable && attempts < deps.config.webhookMaxAttempts) {
      const runAt = new Date(Date.now() + backoffMs(attempts, deps.config.webhookBackoffMs));
      await deps.db.transaction().execute(async (tx) => {
        await tx.updateTable('webhook_deliveries').set(common).where('id', '=', id).execute();
        await sql`select graphile_worker.add_job(${WEBHOOK_DELIVER}, ${JSON.stringify({ delivery_id: id })}::json, run_at => ${runAt}::timestamptz, max_attempts => 25)`.execute(
          tx,
        );
      });
      return;
    }
    await deps.db
      .updateTable('webhook_deliveries')
      .set({ ...common, status: 'failed' })
      .where('id', '=', id)
      .execute();
    deps.log.warn({ delivery: id, url: delivery.url, error: result.error }, 'webhook delivery failed');
    await applyFailure(deps, delivery, result.error ?? 'delivery failed');
  };
}
