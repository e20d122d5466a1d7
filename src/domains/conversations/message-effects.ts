import { sql, type RawBuilder } from 'kysely';
import { contactFromJson } from '../../core/db/json-rows.js';
import type { Contact } from '../../core/db/schema.js';
import type { Performer } from '../../core/events/bus.js';
import { MESSAGE_TYPE } from '../../core/db/enums.js';
import type { ContactActivity } from './message-events.js';

/**
 * What storing a message does to its conversation and its contact, written once: the CTEs of the
 * statement that stores it, used by every path — the transactional insert (store-message.ts), an
 * agent's plain reply (messages/live-reply.ts) and contacts' batched text messages
 * (client-api/live-message.ts). Chatwoot's Message callbacks: every message moves the
 * conversation's last_activity_at; an agent's first public reply sets first_reply_created_at;
 * waiting_since starts with an incoming message and ends with a public human or bot reply (saving
 * either touches updated_at); a contact's message moves the contact's last_activity_at.
 *
 * Reopening is the one effect not here: an incoming message into a snoozed or resolved
 * conversation changes its status, with an activity message and listeners of its own (status.ts
 * reopenFor), so the single-statement paths take only conversations whose status an incoming
 * message keeps (KEPT_BY_INCOMING there) and leave the others to the transactional path.
 */

/** What decides a message's effects, known before it is stored: every message of one statement is of one kind. */
export interface MessageKind {
  incoming: boolean;
  /** Chatwoot's human_response?: an agent's outgoing message not sent by an automation rule or a campaign. */
  humanReply: boolean;
  /** An agent bot's outgoing message: it ends waiting_since too, but is never the first reply. */
  botReply: boolean;
  private: boolean;
  /** A contact wrote it: the contact's last_activity_at moves. */
  fromContact: boolean;
}

export function messageKind(message: {
  messageType: number;
  private: boolean;
  senderType: Performer['type'] | null;
  automated: boolean;
}): MessageKind {
  const outgoing = message.messageType === MESSAGE_TYPE.outgoing;
  return {
    incoming: message.messageType === MESSAGE_TYPE.incoming,
    humanReply: outgoing && message.senderType === 'User' && !message.automated,
    botReply: outgoing && message.senderType === 'AgentBot',
    private: message.private,
    fromContact: message.senderType === 'Contact',
  };
}

const mayBeFirstReply = (kind: MessageKind) => kind.humanReply && !kind.private;
const endsWaiting = (kind: MessageKind) => (kind.humanReply || kind.botReply) && !kind.private;

/**
 * Columns of the statement's `conversation` CTE (alias `c`, locked there): the reply times before
 * the message, and whether it is the first reply — no public outgoing message from a human before
 * it (Chatwoot counts them; bots' and campaigns' do not count). The statement's snapshot does not
 * see the message it stores, so "none before" is "none".
 */
export function lockedColumns(kind: MessageKind): RawBuilder<unknown> {
  const first = mayBeFirstReply(kind)
    ? sql`case when c.first_reply_created_at is null then not exists (select 1 from messages m
        where m.conversation_id = c.id and m.message_type = ${MESSAGE_TYPE.outgoing} and not m.private
          and (m.sender_type is null or m.sender_type <> 'AgentBot') and (m.additional_attributes -> 'campaign_id') is null)
      else false end`
    : sql`false`;
  return sql`c.waiting_since as waiting_before, c.first_reply_created_at as first_reply_before, ${first} as first_reply`;
}

type Value<T> = T | RawBuilder<T>;

/**
 * The stored columns of the new message: values, or expressions over the rows of `from` when one
 * statement stores several. Left out: a plain text message's (text, public, no source id, no attributes).
 */
export interface MessageValues {
  messageType: number;
  content: Value<string | null>;
  senderType: Performer['type'] | null;
  senderId: Value<number | null>;
  echoId: Value<string | null>;
  contentType?: number;
  private?: boolean;
  sourceId?: string | null;
  idempotencyKey?: string | null;
  contentAttributes?: Record<string, unknown>;
  additionalAttributes?: Record<string, unknown>;
}

const json = (value: Record<string, unknown> | undefined) =>
  value === undefined ? sql`'{}'` : sql`${JSON.stringify(value)}::jsonb`;
const valueOr = (value: unknown, literal: RawBuilder<unknown>) => (value === undefined ? literal : sql`${value}`);

function messageInsert(
  values: MessageValues,
  from: RawBuilder<unknown>,
  orderBy: RawBuilder<unknown>,
  skipStoredEcho: boolean,
) {
  const v = values;
  return sql`insert into messages (account_id, inbox_id, conversation_id, message_type, content_type, content, private, source_id,
      content_attributes, additional_attributes, external_source_ids, sentiment, sender_type, sender_id, echo_id, idempotency_key)
    select c.account_id, c.inbox_id, c.id, ${v.messageType}, ${valueOr(v.contentType, sql`0`)}, ${v.content}, ${valueOr(v.private, sql`false`)},
      ${valueOr(v.sourceId, sql`null`)}, ${json(v.contentAttributes)}, ${json(v.additionalAttributes)}, '{}', '{}',
      ${v.senderType}, ${v.senderId}, ${v.echoId}, ${valueOr(v.idempotencyKey, sql`null`)}
    from ${from}
    order by ${orderBy}
    ${skipStoredEcho ? sql`on conflict (conversation_id, echo_id) where echo_id is not null do nothing` : sql``}
    returning *`;
}

/** The conversation's changes for each message `m` of the statement, the row's values before being `c`'s. */
function conversationUpdate(kind: MessageKind) {
  const sets = [sql`last_activity_at = m.created_at`];
  const moved: Array<RawBuilder<unknown>> = [];
  if (mayBeFirstReply(kind)) {
    sets.push(
      sql`first_reply_created_at = case when cv.first_reply then m.created_at else c.first_reply_created_at end`,
    );
    moved.push(sql`cv.first_reply`);
  }
  if (endsWaiting(kind)) {
    sets.push(sql`waiting_since = null`);
    moved.push(sql`c.waiting_since is not null`);
  } else if (kind.incoming) {
    sets.push(sql`waiting_since = coalesce(c.waiting_since, m.created_at)`);
    moved.push(sql`c.waiting_since is null`);
  }
  // Rails' update of the reply times touches updated_at too
  if (moved.length)
    sets.push(sql`updated_at = case when ${sql.join(moved, sql` or `)} then m.created_at else c.updated_at end`);
  return sql`update conversations c set ${sql.join(sets)}
    from message m ${mayBeFirstReply(kind) ? sql`join conversation cv on cv.id = m.conversation_id` : sql``}
    where c.id = m.conversation_id
    returning c.*`;
}

/**
 * The unread count after message `m`, from the count before in its locked conversation row `b`
 * (columns unread_before, UNREAD_OF_C, and agent_last_seen_at): the statement's snapshot does not
 * see `m`, which counts when it is incoming and came after the agents last looked.
 */
export function unreadAfter(kind: MessageKind, b: string) {
  const before = sql.ref(`${b}.unread_before`);
  return kind.incoming
    ? sql`least(10, ${before} + (m.created_at > coalesce(${sql.ref(`${b}.agent_last_seen_at`)}, '-infinity'::timestamptz))::int)`
    : sql`least(10, ${before})`;
}

/** A contact's message moves its last_activity_at (and updated_at, as Rails' update does); the values before come along. */
const CONTACT_UPDATE = sql`update contacts u set last_activity_at = now(), updated_at = now()
  from (select id, last_activity_at, updated_at from contacts
    -- in id order: two statements in flight never wait for each other's contacts crosswise
    where id in (select m.sender_id from message m) order by id for update) old
  where u.id = old.id
  returning u.*, old.last_activity_at as before_last_activity_at, old.updated_at as before_updated_at`;

/**
 * The CTEs that store messages of `kind` into the conversations of `from` (which reads the
 * statement's `conversation` CTE as `c`, with lockedColumns) and apply their effects: `message`
 * (the rows stored, in `orderBy`'s order so ids follow it), `touched` (each conversation after),
 * and for a contact's message `contact` (the contact after, with its values before).
 * `skipStoredEcho`: an echo_id stored already yields no row instead of failing the statement.
 */
export function storeCtes(
  kind: MessageKind,
  values: MessageValues,
  options: { from: RawBuilder<unknown>; orderBy?: RawBuilder<unknown>; skipStoredEcho?: boolean },
): RawBuilder<unknown> {
  return sql`message as (
      ${messageInsert(values, options.from, options.orderBy ?? sql`c.id`, options.skipStoredEcho ?? false)}
    ), touched as (
      ${conversationUpdate(kind)}
    )${kind.fromContact ? sql`, contact as (${CONTACT_UPDATE})` : sql``}`;
}

/** The result columns of the contact (CTE `contact` joined as `u`) a contact's message moved. */
export const CONTACT_RESULT = sql`to_jsonb(u) - 'before_last_activity_at' - 'before_updated_at' as contact_json,
  u.before_last_activity_at as contact_before_last_activity_at, u.before_updated_at as contact_before_updated_at`;

export interface ContactResult {
  contact_json: Record<string, unknown> | null;
  contact_before_last_activity_at: Date | null;
  contact_before_updated_at: Date | null;
}

/** The contact's activity from CONTACT_RESULT's columns, for contact.updated. */
export function contactActivityOf(row: ContactResult): { before: ContactActivity; after: Contact } | undefined {
  if (!row.contact_json) return undefined;
  const after = contactFromJson(row.contact_json);
  return {
    before: { last_activity_at: row.contact_before_last_activity_at, updated_at: row.contact_before_updated_at! },
    after,
  };
}
