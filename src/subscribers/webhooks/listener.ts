import { ANY_PLAN } from '../../core/db/prepared.js';
import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { Conversation } from '../../core/db/schema.js';
import type {
  AttributeChanges,
  DomainEvent,
  MessageLoaded,
  Performer,
  TransactionalListener,
} from '../../core/events/bus.js';
import { storedLater } from '../../core/events/bus.js';
import { loadInboxViews } from '../../domains/inboxes/queries.js';
import { labelsOf } from '../../domains/labels/taggings.js';
import { accountRef, messageBody, messagePayload } from '../../domains/webhooks/message-payload.js';
import { loadCurrentPushView, pushView } from '../../domains/conversations/push-view.js';
import { conversationWebhookJson } from '../../serializers/conversation.js';
import { CONVERSATION_STATUSES, enumName, MESSAGE_TYPE } from '../../core/db/enums.js';
import { inboxEventJson } from '../../serializers/inbox.js';
import { contactWebhookJson, senderWebhookJson, type NamedRef } from '../../serializers/message.js';
import type { AttachmentUrls } from '../../serializers/attachment.js';
import {
  changedAttributesJson,
  contactWireValue,
  conversationWireValue,
  inboxWireValue,
  pendingUpdates,
  resolveUpdate,
  type PendingUpdate,
} from './changed-attributes.js';
import {
  ACCOUNT_ONLY,
  ALL,
  BOT_ONLY,
  inboxSource,
  NO_BOT,
  queueDelivery,
  receivers,
  type Receiver,
} from '../../domains/webhooks/receivers.js';

export { queueDelivery, WEBHOOK_DELIVER } from '../../domains/webhooks/receivers.js';

/** Message#webhook_sendable?: incoming, outgoing (private notes too) and template messages. */
const SENDABLE = new Set([MESSAGE_TYPE.incoming, MESSAGE_TYPE.outgoing, MESSAGE_TYPE.template]);

async function actorWebhookJson(tx: Db, performer: Performer | undefined, account: NamedRef) {
  if (!performer) return null;
  if (performer.type === 'User') {
    const user = await tx.selectFrom('users').selectAll().where('id', '=', performer.id).executeTakeFirst();
    return user ? senderWebhookJson({ type: 'User', user }, account) : null;
  }
  if (performer.type === 'AgentBot') {
    const bot = await tx.selectFrom('agent_bots').selectAll().where('id', '=', performer.id).executeTakeFirst();
    return bot ? senderWebhookJson({ type: 'AgentBot', bot }, account) : null;
  }
  if (performer.type !== 'Contact') return null; // an automation rule
  const contact = await tx.selectFrom('contacts').selectAll().where('id', '=', performer.id).executeTakeFirst();
  return contact ? contactWebhookJson(contact, account) : null;
}

/**
 * Chatwoot's WebhookListener and AgentBotListener as one transactional bus subscriber: for each
 * event it finds who is to be told (account webhooks subscribed to it, in its inbox or
 * account-wide; the API inbox's webhook_url; the inbox's active agent bot), snapshots the body
 * with the causing transaction's view of the data, and writes one delivery row and one job per
 * receiver — in that transaction, so the change and its deliveries commit together.
 */
export function webhooksListener(deps: { urls: AttachmentUrls }): TransactionalListener {
  const conversationData = async (tx: Db, conversation: Conversation) =>
    conversationWebhookJson(await pushView(tx, conversation), deps.urls);
  const conversationOf = (tx: Db, id: number) =>
    tx.selectFrom('conversations').modifyFront(ANY_PLAN).selectAll().where('id', '=', id).executeTakeFirst();

  /** One delivery per receiver of the same body, built only when someone is to be told. */
  async function deliverAll(
    tx: Db,
    {
      accountId,
      to,
      event,
      body,
      messageId,
    }: {
      accountId: number;
      to: Receiver[];
      event: string;
      body: () => Promise<Record<string, unknown>>;
      messageId?: number;
    },
  ) {
    if (to.length === 0) return;
    const payload = await body();
    for (const receiver of to) await queueDelivery(tx, { accountId, receiver, event, payload, messageId });
  }

  async function onMessage(
    tx: Db,
    event: 'message_created' | 'message_updated',
    messageId: number,
    options: { loaded?: MessageLoaded; lastChat?: boolean; round?: readonly DomainEvent[] } = {},
  ) {
    // most messages have nobody to tell: find that out in one round trip before loading anything
    const found = await receivers(
      tx,
      event,
      sql`select account_id, inbox_id from messages where id = ${messageId} and message_type = any(${[...SENDABLE]}::smallint[])`,
      ALL,
    );
    if (found.length === 0) return;
    const loaded = options.loaded?.view.message.id === messageId ? options.loaded : undefined;
    const message =
      loaded?.view.message ??
      (await tx
        .selectFrom('messages')
        .modifyFront(ANY_PLAN)
        .selectAll()
        .where('id', '=', messageId)
        .executeTakeFirstOrThrow());
    await deliverAll(tx, {
      accountId: message.account_id,
      to: found,
      event,
      body: async () => {
        // the row and its push view in one statement, as they stand after the listeners before this one
        const current = await loadCurrentPushView(tx, message.account_id, message.conversation_id);
        if (!current) throw new Error(`conversation ${message.conversation_id} of message ${message.id} is gone`);
        const body = await messageBody(tx, message, current, loaded, options.lastChat ?? false);
        // the notifications listener, later in this round, renders the assignee's notification from them
        if (loaded && options.lastChat && options.round && current.view)
          loaded.current = { round: options.round, conversation: current.conversation, view: current.view };
        return messagePayload(event, body, loaded?.account ?? (await accountRef(tx, message.account_id)), deps.urls);
      },
      messageId: message.id,
    });
  }

  async function onConversation(
    tx: Db,
    event: string,
    conversationId: number,
    changed?: (c: Conversation) => Promise<unknown[]> | unknown[],
  ) {
    const conversation = await conversationOf(tx, conversationId);
    if (!conversation) return;
    const found = await receivers(tx, event, inboxSource(conversation.account_id, conversation.inbox_id), NO_BOT);
    await deliverAll(tx, {
      accountId: conversation.account_id,
      to: found,
      event,
      body: async () => ({
        event,
        ...(await conversationData(tx, conversation)),
        ...(changed ? { changed_attributes: await changed(conversation) } : {}),
      }),
    });
  }

  /** conversation_updated, once per conversation per transaction, with what is known of each change. */
  async function onConversationUpdated(tx: Db, conversationId: number, changes: PendingUpdate) {
    await onConversation(tx, 'conversation_updated', conversationId, async (c) =>
      changedAttributesJson(
        await resolveUpdate(changes, c, () => labelsOf(tx, 'Conversation', c.id)),
        conversationWireValue,
      ),
    );
  }

  /** AgentBotListener#conversation_opened / conversation_resolved. */
  async function onBotStatus(tx: Db, conversationId: number) {
    const conversation = await conversationOf(tx, conversationId);
    if (!conversation) return;
    const status = enumName(CONVERSATION_STATUSES, conversation.status);
    if (status !== 'open' && status !== 'resolved') return;
    const event = `conversation_${status === 'open' ? 'opened' : 'resolved'}`;
    const bot = await receivers(tx, event, inboxSource(conversation.account_id, conversation.inbox_id), BOT_ONLY);
    await deliverAll(tx, {
      accountId: conversation.account_id,
      to: bot,
      event,
      body: async () => ({
        event,
        ...(await conversationData(tx, conversation)),
      }),
    });
  }

  async function onTyping(
    tx: Db,
    event: string,
    conversationId: number,
    performer: Performer | undefined,
    isPrivate: boolean,
  ) {
    const conversation = await conversationOf(tx, conversationId);
    if (!conversation) return;
    const found = await receivers(tx, event, inboxSource(conversation.account_id, conversation.inbox_id), NO_BOT);
    await deliverAll(tx, {
      accountId: conversation.account_id,
      to: found,
      event,
      body: async () => ({
        event,
        user: await actorWebhookJson(tx, performer, await accountRef(tx, conversation.account_id)),
        conversation: await conversationData(tx, conversation),
        is_private: isPrivate,
      }),
    });
  }

  /** WebhookListener#contact_created / contact_updated (the latter with changed_attributes, and only when something changed). */
  async function onContact(tx: Db, event: string, accountId: number, contactId: number, changes?: AttributeChanges) {
    const found = await receivers(tx, event, inboxSource(accountId, null), ACCOUNT_ONLY);
    if (found.length === 0) return;
    const contact = await tx
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', contactId)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!contact) return;
    await deliverAll(tx, {
      accountId,
      to: found,
      event,
      body: async () => ({
        event,
        ...contactWebhookJson(contact, await accountRef(tx, accountId)),
        ...(changes ? { changed_attributes: changedAttributesJson(changes, contactWireValue) } : {}),
      }),
    });
  }

  /** WebhookListener#inbox_created / inbox_updated: account-wide webhooks only, Inbox::EventDataPresenter#push_data. */
  async function onInbox(
    tx: Db,
    event: string,
    accountId: number,
    inboxId: number,
    changes?: Record<string, [unknown, unknown]>,
  ) {
    const found = await receivers(tx, event, inboxSource(accountId, null), ACCOUNT_ONLY);
    if (found.length === 0) return;
    const inbox = await tx
      .selectFrom('inboxes')
      .selectAll()
      .where('id', '=', inboxId)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!inbox) return;
    const [view] = await loadInboxViews(tx, [inbox]);
    await deliverAll(tx, {
      accountId,
      to: found,
      event,
      body: async () => ({
        ...inboxEventJson(view!),
        event,
        ...(changes ? { changed_attributes: changedAttributesJson(changes, inboxWireValue) } : {}),
      }),
    });
  }

  async function handle(tx: Db, e: DomainEvent, round: readonly DomainEvent[]): Promise<void> {
    switch (e.name) {
      case 'message.created':
        // an activity message (a rule's, an assignment's) is never sent: nothing to read for it
        if (!SENDABLE.has(e.payload.messageType)) return;
        return onMessage(tx, 'message_created', e.payload.messageId, {
          loaded: e.payload.loaded,
          lastChat: !storedLater(round, e.payload),
          round,
        });
      case 'message.updated':
        return onMessage(tx, 'message_updated', e.payload.messageId);
      case 'conversation.created':
        return onConversation(tx, 'conversation_created', e.payload.conversationId);
      case 'conversation.status_changed': {
        const previous = e.payload.previousStatus;
        await onConversation(tx, 'conversation_status_changed', e.payload.conversationId, (c) =>
          changedAttributesJson({ status: [previous ?? null, c.status] }, conversationWireValue),
        );
        return onBotStatus(tx, e.payload.conversationId);
      }
      case 'conversation.typing_on':
      case 'conversation.typing_off':
        return onTyping(
          tx,
          e.name.replace('.', '_'),
          e.payload.conversationId,
          e.payload.performer,
          e.payload.isPrivate,
        );
      case 'contact.created':
        return onContact(tx, 'contact_created', e.payload.accountId, e.payload.contactId);
      case 'contact.updated':
        // Chatwoot skips contact_updated when nothing changed
        return e.payload.changes
          ? onContact(tx, 'contact_updated', e.payload.accountId, e.payload.contactId, e.payload.changes)
          : undefined;
      case 'inbox.created':
        return onInbox(tx, 'inbox_created', e.payload.accountId, e.payload.inboxId);
      case 'inbox.updated':
        return onInbox(tx, 'inbox_updated', e.payload.accountId, e.payload.inboxId, e.payload.changes);
      default:
        // conversation.updated, assignee.changed and team.changed are folded into conversation_updated below
        return undefined;
    }
  }

  return async (tx, events) => {
    for (const event of events) await handle(tx, event, events);
    // after the status change (and its activity message), as Chatwoot's after_update_commit orders them
    for (const [conversationId, update] of pendingUpdates(events))
      await onConversationUpdated(tx, conversationId, update.changes);
  };
}
