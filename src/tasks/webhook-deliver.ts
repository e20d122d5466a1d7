import { sql } from 'kysely';
import type { Task } from 'graphile-worker';
import type { Db } from '../core/db/kysely.js';
import type { WebhookDelivery } from '../core/db/schema.js';
import { transactionally, type EventBus } from '../core/events/bus.js';
import { setStatus, STATUS } from '../domains/conversations/status.js';
import { WEBHOOK_DELIVER } from '../domains/webhooks/receivers.js';

export { WEBHOOK_DELIVER };

/**
 * Webhooks::Trigger#handle_error, once a message delivery has finally failed: an API inbox's
 * message is marked failed with the error in content_attributes.external_error; a bot's failure
 * on a pending conversation also marks it failed and opens the conversation (handoff).
 */
export async function applyFailure(
  deps: { db: Db; bus: EventBus },
  delivery: Pick<WebhookDelivery, 'kind' | 'event' | 'message_id'>,
  error: string,
): Promise<void> {
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

/**
 * The webhook_deliver task of releases that queued one job per delivery: deliveries are now
 * drained in batches (webhook-drain.ts), which takes their rows; a job queued before the upgrade
 * has nothing left to do.
 */
export function webhookDeliverTask(): Task {
  return async () => {};
}
