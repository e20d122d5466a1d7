import { sql } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../core/db/kysely.js';
import { MESSAGE_CONTENT_TYPE, MESSAGE_TYPE } from '../../core/db/enums.js';
import type { EventBatch, EventMap, TextMessageInterest, TransactionalListener } from '../../core/events/bus.js';
import { isOutOfOffice, loadInboxSchedule } from '../business-hours/queries.js';
import { storeMessage } from '../conversations/store-message.js';
import { greetingContent } from './greeting.js';

/**
 * Chatwoot's MessageTemplates::HookExecutionService as a transactional listener: a contact's
 * message may answer with the inbox's out-of-office message, then its greeting, as `template`
 * messages written in the message's own transaction (so they exist exactly when it commits, and
 * announce message.created after it like any message).
 *
 * Out of office (should_send_out_of_office_message?): an incoming message, outside the inbox's
 * working hours (working_hours_enabled), no public outgoing message in the last 5 minutes, no
 * template message in the conversation today (UTC, Message.today), and a message to send.
 * Greeting (should_send_greeting?): an incoming message into a conversation with no outgoing
 * (private notes count) and no template message yet, greeting_enabled and a message to send; the
 * out-of-office message written just before makes it skip, as upstream. Neither for a campaign's
 * conversation. The wall clock (`clock`) decides only whether the inbox is open; "5 minutes" and
 * "today" are the database's time of the message, as Chatwoot compares them with created_at.
 */

/** Ruby's `present?` for a string column, in SQL: not null and not only white space. */
const present = (column: string) => sql<boolean>`coalesce(${sql.ref(column)} ~ '\\S', false)`;

/** Since midnight UTC (Message.today), as an SQL expression. */
const TODAY = sql`date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'`;

/**
 * The listener's interest in a new public text message (bus.textMessageUnheeded): only a
 * contact's message, into an inbox with a greeting or an out-of-office message to send, in a
 * conversation that has had no template message yet (greeting) or none today (out of office).
 * It does not read the schedule: outside working hours or not, such a message takes the
 * transactional path. messages_template_idx answers the template questions.
 */
export const messageTemplatesTextMessageInterest: TextMessageInterest = (place) => sql<boolean>`(
  ${place.authorUserId === null ? sql`true` : sql`${place.authorUserId}::bigint is null`}
  and exists (select 1 from inboxes ti where ti.id = ${place.inboxId} and ti.account_id = ${place.accountId}
    and ((ti.greeting_enabled and ${present('ti.greeting_message')}
        and not exists (select 1 from messages tm where tm.conversation_id = ${place.conversationId}
          and tm.message_type = ${MESSAGE_TYPE.template}))
      or (ti.working_hours_enabled and ${present('ti.out_of_office_message')}
        and not exists (select 1 from messages tm where tm.conversation_id = ${place.conversationId}
          and tm.message_type = ${MESSAGE_TYPE.template} and tm.created_at >= ${TODAY})))))`;

interface Place {
  conversation_id: number;
  account_id: number;
  inbox_id: number;
  campaign_id: number | null;
  greeting_enabled: boolean;
  greeting_message: string | null;
  working_hours_enabled: boolean;
  out_of_office_message: string | null;
}

const isPresent = (value: string | null): value is string => value !== null && /\S/.test(value);

async function placeOf(tx: Db, conversationId: number): Promise<Place | undefined> {
  return tx
    .selectFrom('conversations as c')
    .innerJoin('inboxes as i', (join) =>
      join.onRef('i.id', '=', 'c.inbox_id').onRef('i.account_id', '=', 'c.account_id'),
    )
    .select([
      'c.id as conversation_id',
      'c.account_id',
      'c.inbox_id',
      'c.campaign_id',
      'i.greeting_enabled',
      'i.greeting_message',
      'i.working_hours_enabled',
      'i.out_of_office_message',
    ])
    .where('c.id', '=', conversationId)
    .executeTakeFirst();
}

/** A `template` message: no sender, public text, as MessageTemplates::Template::* create it. */
async function sendTemplate(tx: Db, followUps: EventBatch, conversationId: number, content: string) {
  await storeMessage(
    { tx, batch: followUps },
    {
      conversationId,
      message: {
        messageType: MESSAGE_TYPE.template,
        contentType: MESSAGE_CONTENT_TYPE.text,
        content,
        private: false,
        contentAttributes: {},
        additionalAttributes: {},
        sourceId: null,
        sender: null,
        echoId: null,
        idempotencyKey: null,
        files: [],
      },
    },
  );
}

async function shouldSendOutOfOffice(tx: Db, place: Place, clock: Clock): Promise<boolean> {
  if (!place.working_hours_enabled || !isPresent(place.out_of_office_message)) return false;
  const schedule = await loadInboxSchedule(tx, place.account_id, place.inbox_id);
  if (!schedule || !isOutOfOffice(schedule, clock.now())) return false;
  const { rows } = await sql<{ quiet: boolean }>`
    select not exists (select 1 from messages where conversation_id = ${place.conversation_id}
        and message_type = ${MESSAGE_TYPE.outgoing} and not private and created_at > now() - interval '5 minutes')
      and not exists (select 1 from messages where conversation_id = ${place.conversation_id}
        and message_type = ${MESSAGE_TYPE.template} and created_at >= ${TODAY}) as quiet`.execute(tx);
  return rows[0]?.quiet ?? false;
}

async function shouldSendGreeting(tx: Db, place: Place): Promise<boolean> {
  if (!place.greeting_enabled || !isPresent(place.greeting_message)) return false;
  const replied = await tx
    .selectFrom('messages')
    .select('id')
    .where('conversation_id', '=', place.conversation_id)
    .where('message_type', 'in', [MESSAGE_TYPE.outgoing, MESSAGE_TYPE.template])
    .limit(1)
    .executeTakeFirst();
  return replied === undefined;
}

async function onMessageCreated(tx: Db, followUps: EventBatch, event: EventMap['message.created'], clock: Clock) {
  if (event.messageType !== MESSAGE_TYPE.incoming) return;
  const place = await placeOf(tx, event.conversationId);
  if (!place || place.campaign_id !== null) return;
  if (await shouldSendOutOfOffice(tx, place, clock)) {
    await sendTemplate(tx, followUps, place.conversation_id, place.out_of_office_message!);
  }
  if (await shouldSendGreeting(tx, place)) {
    const content = await greetingContent(tx, place.conversation_id, place.greeting_message!);
    if (content !== null) await sendTemplate(tx, followUps, place.conversation_id, content);
  }
}

export function messageTemplatesListener({ clock }: { clock: Clock }): TransactionalListener {
  return async (tx, events, followUps) => {
    for (const event of events) {
      if (event.name === 'message.created') await onMessageCreated(tx, followUps, event.payload, clock);
    }
  };
}
