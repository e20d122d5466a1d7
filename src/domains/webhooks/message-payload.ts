import type { Db } from '../../core/db/kysely.js';
import type { Conversation, Message } from '../../core/db/schema.js';
import type { MessageLoaded } from '../../core/events/bus.js';
import type { ConversationView, MessageView, PushView } from '../../core/db/views.js';
import { ANY_PLAN } from '../../core/db/prepared.js';
import { MESSAGE_TYPE } from '../../core/db/enums.js';
import { conversationInfo, loadMessageViews } from '../conversations/views.js';
import { loadCurrentPushView, pushView } from '../conversations/push-view.js';
import { conversationWebhookJson } from '../../serializers/conversation.js';
import { messageWebhookJson, type NamedRef } from '../../serializers/message.js';
import type { AttachmentUrls } from '../../serializers/attachment.js';

/** The body of a message_created or message_updated delivery (WebhookListener#message_created). */

export async function accountRef(tx: Db, accountId: number): Promise<NamedRef> {
  return tx.selectFrom('accounts').select(['id', 'name']).where('id', '=', accountId).executeTakeFirstOrThrow();
}

/**
 * The message's view and its conversation's webhook data, as they stand in the transaction.
 * `loaded`: what the request that stored the message read in this transaction (messages/service.ts)
 * — its row, sender and attachments are reused instead of read again; `lastChat`: the message
 * is its conversation's newest chat message (no later one stored in this round), so the
 * conversation's push data embeds it without a query of its own. The conversation row is read
 * again: a listener before this one (auto-assignment) may have changed it.
 */
export async function messageBody(
  tx: Db,
  message: Message,
  current: { conversation: Conversation; view: PushView | undefined },
  loaded: MessageLoaded | undefined,
  lastChat: boolean,
): Promise<{ view: MessageView; pushed: ConversationView }> {
  const { conversation } = current;
  let view: MessageView;
  if (loaded) {
    // the parts of the view that come from the conversation, as it is now
    const info = {
      ...loaded.view.conversation,
      display_id: conversation.display_id,
      assignee_id: conversation.assignee_id,
      last_activity_at: conversation.last_activity_at,
    };
    view = { ...loaded.view, conversation: info, echoId: null };
  } else {
    const info = await conversationInfo(tx, conversation);
    [view] = (await loadMessageViews(tx, message.account_id, [message], () => info)) as [MessageView];
  }
  const isChat = !message.private && message.message_type !== MESSAGE_TYPE.activity;
  const pushed = await pushView(tx, conversation, loaded && lastChat && isChat ? view : undefined, current.view);
  return { view, pushed };
}

/** The delivery's body from the message's view and its conversation's push data (the message embedded). */
export function messagePayload(
  event: string,
  { view, pushed }: { view: MessageView; pushed: ConversationView },
  account: NamedRef,
  urls: AttachmentUrls,
): Record<string, unknown> {
  const refs = {
    account,
    // the inbox is in the push view: the same row, read in the same transaction
    inbox: { id: pushed.inbox.id, name: pushed.inbox.name },
    conversation: conversationWebhookJson(pushed, urls),
  };
  return { event, ...messageWebhookJson(view, refs, urls) };
}

/** The body as the database has the message now (undefined when it or its conversation is gone). */
export async function loadMessagePayload(
  db: Db,
  event: string,
  messageId: number,
  urls: AttachmentUrls,
): Promise<Record<string, unknown> | undefined> {
  const message = await db
    .selectFrom('messages')
    .modifyFront(ANY_PLAN)
    .selectAll()
    .where('id', '=', messageId)
    .executeTakeFirst();
  if (!message) return undefined;
  const current = await loadCurrentPushView(db, message.account_id, message.conversation_id);
  if (!current) return undefined;
  const body = await messageBody(db, message, current, undefined, false);
  return messagePayload(event, body, await accountRef(db, message.account_id), urls);
}
