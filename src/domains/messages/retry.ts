import { MESSAGE_STATUS } from '../../core/db/enums.js';
import { transactionally } from '../../core/events/bus.js';
import { performerOf, type AccountCtx } from '../../core/http/account-scope.js';
import { fetchConversation } from '../conversations/access.js';
import { fetchMessage, render } from './service.js';

/**
 * POST .../messages/:id/retry, as Chatwoot's MessagesController#retry: a failed message goes back
 * to `sent`, its failure (content_attributes.external_error) is cleared and it is sent again
 * through its inbox. Chatwoot re-sends with SendReplyJob, which has no sender for API inboxes:
 * there the resend is the message_updated that the update announces, delivered like every message
 * event to the inbox's webhook_url and to the account webhooks subscribed to it (the transactional
 * webhooks listener writes those deliveries with the change). The rest of content_attributes
 * (reply context, submitted values) stays, as the retried send is built from it.
 *
 * A message that is not failed has nothing to retry: it is answered unchanged and nothing is sent,
 * so two clicks (or two racing requests: the row is locked) send it once.
 */
export async function retryMessage(ctx: AccountCtx, displayId: string, rawId: string) {
  const conversation = await fetchConversation(ctx, displayId);
  const found = await fetchMessage(ctx, conversation, rawId);
  const message = await transactionally(ctx, async (tx, batch) => {
    const current = await tx
      .selectFrom('messages')
      .selectAll()
      .where('id', '=', found.id)
      .where('account_id', '=', ctx.account.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (current.status !== MESSAGE_STATUS.failed) return current;
    const { external_error: _cleared, ...kept } = current.content_attributes;
    const retried = await tx
      .updateTable('messages')
      .set({ status: MESSAGE_STATUS.sent, content_attributes: JSON.stringify(kept), updated_at: new Date() })
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    batch.emit('message.updated', {
      accountId: ctx.account.id,
      conversationId: conversation.id,
      messageId: retried.id,
      performer: performerOf(ctx),
    });
    return retried;
  });
  return (await render(ctx, conversation, [message]))[0]!;
}
