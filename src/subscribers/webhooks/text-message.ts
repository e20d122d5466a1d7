import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { AfterTextMessageFollowUp, TextMessageFollowUp } from '../../core/events/bus.js';
import type { AttachmentUrls } from '../../serializers/attachment.js';
import { loadMessagePayload, messageBody, messagePayload } from '../../domains/webhooks/message-payload.js';
import { setPayload } from '../../domains/webhooks/deferred-payloads.js';

/**
 * A text message stored by a one-statement path queues its message_created deliveries to account
 * webhooks in that statement (migration 0158), without their body; the node renders the body
 * after commit from what the statement read and sets it, which wakes the drainers. Rows a node
 * left without a body (it died in between, or its update failed) are rendered from the database
 * by any node (domains/webhooks/deferred-payloads.ts renderUnrendered).
 */

/** The function is called only when the account has a webhook on message_created (most have none). */
export const webhooksTextMessageFollowUp: TextMessageFollowUp = (place) =>
  sql`case when exists (select 1 from webhooks w where w.account_id = ${place.accountId} and w.subscriptions ? 'message_created')
    then message_created_webhooks(${place.accountId}::bigint, ${place.inboxId}::bigint, ${place.messageId}::bigint) end`;

export function webhooksAfterTextMessageFollowUp(deps: { db: Db; urls: AttachmentUrls }): AfterTextMessageFollowUp {
  return async (value, loaded) => {
    const ids = value as string[];
    const { pushView, account } = loaded;
    // the statement reads both whenever it queued a delivery (textMessageFollowedUp); given its push
    // view and the message as the last chat message, messageBody reads nothing
    const payload =
      pushView && account
        ? messagePayload(
            'message_created',
            await messageBody(
              deps.db,
              loaded.view.message,
              { conversation: loaded.conversation, view: pushView },
              loaded,
              true,
            ),
            account,
            deps.urls,
          )
        : await loadMessagePayload(deps.db, 'message_created', loaded.view.message.id, deps.urls);
    if (payload) await setPayload(deps.db, ids, payload);
  };
}
