import { randomUUID } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/kysely.js';
import type { Conversation, DeliveryKind } from '../db/schema.js';
import type { DomainEvent, IncomingMessageInterest, Performer, SqlValue, TransactionalListener } from '../events/bus.js';
import { conversationInfo, loadMessageViews } from '../conversations/views.js';
import { pushView } from '../realtime/listener.js';
import { conversationWebhookJson } from '../serializers/conversation.js';
import { CONVERSATION_STATUSES, enumName } from '../serializers/enums.js';
import { contactWebhookJson, messageWebhookJson, senderWebhookJson, type NamedRef } from '../serializers/message.js';
import type { AttachmentUrls } from '../serializers/attachment.js';

/**
 * Chatwoot's WebhookListener and AgentBotListener as one transactional bus subscriber: for each
 * event it finds who is to be told (account webhooks subscribed to it, in its inbox or
 * account-wide; the API inbox's webhook_url; the inbox's active agent bot), snapshots the body
 * with the causing transaction's view of the data, and writes one delivery row and one job per
 * receiver — in that transaction, so the change and its deliveries commit together.
 */
export const WEBHOOK_DELIVER = 'webhook_deliver';

const INCOMING = 0;
const OUTGOING = 1;
const TEMPLATE = 3;
/** Message#webhook_sendable?: incoming, outgoing (private notes too) and template messages. */
const SENDABLE = new Set([INCOMING, OUTGOING, TEMPLATE]);
/** Conversation attributes whose change Chatwoot announces as conversation_updated. */
const UPDATE_KEYS = new Set(['team_id', 'assignee_id', 'status', 'snoozed_until', 'custom_attributes', 'label_list', 'waiting_since', 'first_reply_created_at', 'priority']);

interface Receiver { kind: DeliveryKind; url: string; webhookId?: number; inboxId?: number; agentBotId?: number }

/** Queues one delivery: its row (the log) and its job, in the caller's transaction. */
export async function queueDelivery(tx: Db, accountId: number, receiver: Receiver, event: string, payload: Record<string, unknown>,
  extra: { messageId?: number | null; redeliveryOf?: string } = {}): Promise<string> {
  const id = randomUUID();
  await tx.insertInto('webhook_deliveries').values({
    id, account_id: accountId, kind: receiver.kind, webhook_id: receiver.webhookId ?? null, inbox_id: receiver.inboxId ?? null,
    agent_bot_id: receiver.agentBotId ?? null, url: receiver.url, event, payload: JSON.stringify(payload),
    message_id: extra.messageId ?? null, redelivery_of: extra.redeliveryOf ?? null,
  }).execute();
  // graphile-worker's own retries only cover crashes of the task itself; delivery tries are counted on the row
  await sql`select graphile_worker.add_job(${WEBHOOK_DELIVER}, ${JSON.stringify({ delivery_id: id })}::json, max_attempts => 25)`.execute(tx);
  return id;
}

/**
 * The receivers of an event about `source` (a row of account_id and inbox_id; none when it
 * yields no row), in one query and in this order: the account webhooks subscribed to the event
 * (account-wide, or for the source's inbox when it has one), the API inbox's webhook_url (every
 * conversation and message event of the inbox, no subscriptions), and the inbox's active agent
 * bot with an outgoing_url (AgentBotListener#connected_agent_bot_exist?).
 */
function receiversQuery(event: string, source: RawBuilder<unknown>, include: { accountWebhooks: boolean; apiInbox: boolean; agentBot: boolean }) {
  const none = sql`select null::int, null::bigint, null::text, null::text, null::bigint where false`;
  return sql<{ kind: DeliveryKind; url: string; ref: string }>`
    with m as (${source})
    select kind, url, ref from (
      ${include.accountWebhooks ? sql`select 1 as rank, w.id as sort, 'account_webhook' as kind, w.url, w.id as ref from m
        join webhooks w on w.account_id = m.account_id and w.subscriptions ? ${event} and (w.inbox_id is null or w.inbox_id = m.inbox_id)` : sql`select null::int as rank, null::bigint as sort, null::text as kind, null::text as url, null::bigint as ref where false`}
      union all
      ${include.apiInbox ? sql`select 2, 0, 'api_inbox_webhook', ca.webhook_url, i.id from m
        join inboxes i on i.id = m.inbox_id and i.channel_type = 'Channel::Api' join channel_api ca on ca.id = i.channel_id
        where coalesce(ca.webhook_url, '') <> ''` : none}
      union all
      ${include.agentBot ? sql`select 3, 0, 'agent_bot_webhook', b.outgoing_url, b.id from m
        join agent_bot_inboxes abi on abi.inbox_id = m.inbox_id and abi.status = 0 join agent_bots b on b.id = abi.agent_bot_id
        where coalesce(b.outgoing_url, '') <> '' and b.bot_type = 0` : none}
    ) found order by rank, sort`;
}

async function receivers(
  tx: Db, event: string, source: RawBuilder<unknown>, include: { accountWebhooks: boolean; apiInbox: boolean; agentBot: boolean },
): Promise<Receiver[]> {
  const { rows } = await receiversQuery(event, source, include).execute(tx);
  return rows.map((row) => {
    const ref = Number(row.ref);
    if (row.kind === 'account_webhook') return { kind: row.kind, url: row.url, webhookId: ref };
    if (row.kind === 'api_inbox_webhook') return { kind: row.kind, url: row.url, inboxId: ref };
    return { kind: row.kind, url: row.url, agentBotId: ref };
  });
}

const ALL = { accountWebhooks: true, apiInbox: true, agentBot: true };
const NO_BOT = { accountWebhooks: true, apiInbox: true, agentBot: false };
const inboxSource = (accountId: SqlValue, inboxId: SqlValue | null) => sql`select ${accountId}::bigint as account_id, ${inboxId}::bigint as inbox_id`;

/** The listener's interest in a new message (bus.incomingMessageUnheeded): it has receivers there. */
export const webhooksIncomingInterest: IncomingMessageInterest = (place) =>
  sql<boolean>`exists (${receiversQuery('message_created', inboxSource(place.accountId, place.inboxId), ALL)})`;

async function accountRef(tx: Db, accountId: number): Promise<NamedRef> {
  const row = await tx.selectFrom('accounts').select(['id', 'name']).where('id', '=', accountId).executeTakeFirstOrThrow();
  return row;
}

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
  const contact = await tx.selectFrom('contacts').selectAll().where('id', '=', performer.id).executeTakeFirst();
  return contact ? contactWebhookJson(contact, account) : null;
}

export function webhooksListener(deps: { urls: AttachmentUrls }): TransactionalListener {
  const conversationData = async (tx: Db, conversation: Conversation) => conversationWebhookJson(await pushView(tx, conversation), deps.urls);
  const conversationOf = (tx: Db, id: number) => tx.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();

  async function deliverAll(tx: Db, accountId: number, to: Receiver[], event: string, body: () => Promise<Record<string, unknown>>, messageId?: number) {
    if (to.length === 0) return;
    const payload = await body();
    for (const receiver of to) await queueDelivery(tx, accountId, receiver, event, payload, { messageId });
  }

  async function onMessage(tx: Db, event: 'message_created' | 'message_updated', messageId: number) {
    // most messages have nobody to tell: find that out in one round trip before loading anything
    const found = await receivers(tx, event,
      sql`select account_id, inbox_id from messages where id = ${messageId} and message_type = any(${[...SENDABLE]}::smallint[])`, ALL);
    if (found.length === 0) return;
    const message = (await tx.selectFrom('messages').selectAll().where('id', '=', messageId).executeTakeFirst())!;
    await deliverAll(tx, message.account_id, found, event, async () => {
      const conversation = (await conversationOf(tx, message.conversation_id))!;
      const info = await conversationInfo(tx, conversation);
      const [view] = await loadMessageViews(tx, message.account_id, [message], () => info);
      const inbox = await tx.selectFrom('inboxes').select(['id', 'name']).where('id', '=', message.inbox_id).executeTakeFirstOrThrow();
      const refs = { account: await accountRef(tx, message.account_id), inbox, conversation: await conversationData(tx, conversation) };
      return { event, ...messageWebhookJson(view!, refs, deps.urls) };
    }, message.id);
  }

  async function onConversation(tx: Db, event: string, conversationId: number, changed?: (c: Conversation) => unknown[]) {
    const conversation = await conversationOf(tx, conversationId);
    if (!conversation) return;
    const found = await receivers(tx, event, inboxSource(conversation.account_id, conversation.inbox_id), NO_BOT);
    await deliverAll(tx, conversation.account_id, found, event, async () => ({
      event, ...await conversationData(tx, conversation), ...(changed ? { changed_attributes: changed(conversation) } : {}),
    }));
  }

  /** AgentBotListener#conversation_opened / conversation_resolved. */
  async function onBotStatus(tx: Db, conversationId: number) {
    const conversation = await conversationOf(tx, conversationId);
    if (!conversation) return;
    const status = enumName(CONVERSATION_STATUSES, conversation.status);
    if (status !== 'open' && status !== 'resolved') return;
    const event = `conversation_${status === 'open' ? 'opened' : 'resolved'}`;
    const bot = await receivers(tx, event, inboxSource(conversation.account_id, conversation.inbox_id), { accountWebhooks: false, apiInbox: false, agentBot: true });
    await deliverAll(tx, conversation.account_id, bot, event,
      async () => ({ event, ...await conversationData(tx, conversation) }));
  }

  async function onTyping(tx: Db, event: string, conversationId: number, performer: Performer | undefined, isPrivate: boolean) {
    const conversation = await conversationOf(tx, conversationId);
    if (!conversation) return;
    const found = await receivers(tx, event, inboxSource(conversation.account_id, conversation.inbox_id), NO_BOT);
    await deliverAll(tx, conversation.account_id, found, event, async () => ({
      event, user: await actorWebhookJson(tx, performer, await accountRef(tx, conversation.account_id)),
      conversation: await conversationData(tx, conversation), is_private: isPrivate,
    }));
  }

  async function onContact(tx: Db, event: string, accountId: number, contactId: number, changed: boolean) {
    // contact events go to account-wide webhooks only
    const found = await receivers(tx, event, inboxSource(accountId, null), { accountWebhooks: true, apiInbox: false, agentBot: false });
    if (found.length === 0) return;
    const contact = await tx.selectFrom('contacts').selectAll().where('id', '=', contactId).where('account_id', '=', accountId).executeTakeFirst();
    if (!contact) return;
    await deliverAll(tx, accountId, found, event, async () => ({
      event, ...contactWebhookJson(contact, await accountRef(tx, accountId)), ...(changed ? { changed_attributes: [] } : {}),
    }));
  }

  async function handle(tx: Db, e: DomainEvent): Promise<void> {
    switch (e.name) {
      case 'message.created':
        return onMessage(tx, 'message_created', e.payload.messageId);
      case 'message.updated':
        return onMessage(tx, 'message_updated', e.payload.messageId);
      case 'conversation.created':
        return onConversation(tx, 'conversation_created', e.payload.conversationId);
      case 'conversation.status_changed': {
        const previous = e.payload.previousStatus;
        await onConversation(tx, 'conversation_status_changed', e.payload.conversationId, (c) => [{
          status: { previous_value: previous === undefined ? null : enumName(CONVERSATION_STATUSES, previous), current_value: enumName(CONVERSATION_STATUSES, c.status) },
        }]);
        return onBotStatus(tx, e.payload.conversationId);
      }
      case 'conversation.updated': {
        const keys = e.payload.changedAttributes.filter((k) => UPDATE_KEYS.has(k));
        if (keys.length === 0) return undefined;
        // the bus carries names only: the current value is sent and the previous one is not known here
        return onConversation(tx, 'conversation_updated', e.payload.conversationId, (c) => keys.map((k) => ({
          [k]: { previous_value: null, current_value: k === 'label_list' ? null : (c as unknown as Record<string, unknown>)[k] ?? null },
        })));
      }
      case 'conversation.typing_on':
      case 'conversation.typing_off':
        return onTyping(tx, e.name.replace('.', '_'), e.payload.conversationId, e.payload.performer, e.payload.isPrivate);
      case 'contact.created':
        return onContact(tx, 'contact_created', e.payload.accountId, e.payload.contactId, false);
      case 'contact.updated':
        return onContact(tx, 'contact_updated', e.payload.accountId, e.payload.contactId, true);
      default:
        return undefined;
    }
  }

  return async (tx, events) => {
    for (const event of events) await handle(tx, event);
  };
}
