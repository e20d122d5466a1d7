import { randomUUID } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import { prepared } from '../../core/db/prepared.js';
import type { DeliveryKind } from '../../core/db/schema.js';
import type { TextMessageInterest, SqlValue } from '../../core/events/bus.js';
import { ANY_PLAN } from '../../core/db/prepared.js';

/** Who is told about an event, and the outbox write that tells them. */

export const WEBHOOK_DELIVER = 'webhook_deliver';

export interface Receiver {
  kind: DeliveryKind;
  url: string;
  webhookId?: number;
  inboxId?: number;
  agentBotId?: number;
}

/** Which kinds of receiver an event goes to. */
export interface ReceiverKinds {
  accountWebhooks: boolean;
  apiInbox: boolean;
  agentBot: boolean;
}
export const ALL: ReceiverKinds = { accountWebhooks: true, apiInbox: true, agentBot: true };
export const NO_BOT: ReceiverKinds = { accountWebhooks: true, apiInbox: true, agentBot: false };
/** Contact and inbox events: account webhooks only (Chatwoot's deliver_account_webhooks). */
export const ACCOUNT_ONLY: ReceiverKinds = { accountWebhooks: true, apiInbox: false, agentBot: false };
export const BOT_ONLY: ReceiverKinds = { accountWebhooks: false, apiInbox: false, agentBot: true };

/** A source row for `receivers`: the account and inbox an event is about (no inbox: account-wide webhooks only). */
export const inboxSource = (accountId: SqlValue, inboxId: SqlValue | null) =>
  sql`select ${accountId}::bigint as account_id, ${inboxId}::bigint as inbox_id`;

/** Queues one delivery: its row (the log and the outbox, drained by tasks/webhook-drain.ts), in the caller's transaction. */
export interface Delivery {
  accountId: number;
  receiver: Receiver;
  event: string;
  /** Null: a redelivery of one still without its body, which tasks/webhook-render.ts renders. */
  payload: Record<string, unknown> | null;
  messageId?: number | null;
  /** A manual redelivery names the delivery it repeats. */
  redeliveryOf?: string;
}

export async function queueDelivery(
  tx: Db,
  { accountId, receiver, event, payload, ...extra }: Delivery,
): Promise<string> {
  const id = randomUUID();
  await tx
    .insertInto('webhook_deliveries')
    .values({
      id,
      account_id: accountId,
      kind: receiver.kind,
      webhook_id: receiver.webhookId ?? null,
      inbox_id: receiver.inboxId ?? null,
      agent_bot_id: receiver.agentBotId ?? null,
      url: receiver.url,
      event,
      payload: payload === null ? null : JSON.stringify(payload),
      message_id: extra.messageId ?? null,
      redelivery_of: extra.redeliveryOf ?? null,
    })
    .modifyEnd(ANY_PLAN)
    .execute();
  return id;
}

/**
 * The receivers of an event about `source` (a row of account_id and inbox_id; none when it
 * yields no row), in one query and in this order: the account webhooks subscribed to the event
 * (account-wide, or for the source's inbox when it has one), the API inbox's webhook_url (every
 * conversation and message event of the inbox, no subscriptions), and the inbox's active agent
 * bot with an outgoing_url (AgentBotListener#connected_agent_bot_exist?).
 */
function receiversQuery(event: string, source: RawBuilder<unknown>, include: ReceiverKinds) {
  const none = sql`select null::int, null::bigint, null::text, null::text, null::bigint where false`;
  return sql<{ kind: DeliveryKind; url: string; ref: string }>`
    with m as (${source})
    select kind, url, ref from (
      ${
        include.accountWebhooks
          ? sql`select 1 as rank, w.id as sort, 'account_webhook' as kind, w.url, w.id as ref from m
        join webhooks w on w.account_id = m.account_id and w.subscriptions ? ${event} and (w.inbox_id is null or w.inbox_id = m.inbox_id)`
          : sql`select null::int as rank, null::bigint as sort, null::text as kind, null::text as url, null::bigint as ref where false`
      }
      union all
      ${
        include.apiInbox
          ? sql`select 2, 0, 'api_inbox_webhook', ca.webhook_url, i.id from m
        join inboxes i on i.id = m.inbox_id and i.channel_type = 'Channel::Api' join channel_api ca on ca.id = i.channel_id
        where coalesce(ca.webhook_url, '') <> ''`
          : none
      }
      union all
      ${
        include.agentBot
          ? sql`select 3, 0, 'agent_bot_webhook', b.outgoing_url, b.id from m
        join agent_bot_inboxes abi on abi.inbox_id = m.inbox_id and abi.status = 0 join agent_bots b on b.id = abi.agent_bot_id
        where coalesce(b.outgoing_url, '') <> '' and b.bot_type = 0`
          : none
      }
    ) found order by rank, sort`;
}

export async function receivers(
  tx: Db,
  event: string,
  source: RawBuilder<unknown>,
  include: ReceiverKinds,
): Promise<Receiver[]> {
  // every change runs it (most find nobody): planned once per connection
  const { rows } = await prepared(receiversQuery(event, source, include)).execute(tx);
  return rows.map((row) => {
    const ref = Number(row.ref);
    if (row.kind === 'account_webhook') return { kind: row.kind, url: row.url, webhookId: ref };
    if (row.kind === 'api_inbox_webhook') return { kind: row.kind, url: row.url, inboxId: ref };
    return { kind: row.kind, url: row.url, agentBotId: ref };
  });
}

/** Receivers of a text message that its one-statement path cannot queue (the API inbox's URL, an agent bot). */
const NOT_ACCOUNT: ReceiverKinds = { accountWebhooks: false, apiInbox: true, agentBot: true };

/**
 * The webhooks' interest in a new text message (bus.textMessageUnheeded): it has receivers there
 * other than account webhooks (the one-statement path queues those: subscribers/webhooks/text-message.ts),
 * or an account webhook takes one of the updates a message may cause (contact_updated for a
 * contact's activity, conversation_updated for its reply times).
 */
export const webhooksTextMessageInterest: TextMessageInterest = (place) =>
  sql<boolean>`(exists (${receiversQuery('message_created', inboxSource(place.accountId, place.inboxId), NOT_ACCOUNT)})
    or exists (select 1 from webhooks w where w.account_id = ${place.accountId} and w.subscriptions ?| array['contact_updated', 'conversation_updated']))`;
