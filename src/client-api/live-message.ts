import { sql } from 'kysely';
import type { Message } from '../db/schema.js';
import { prepared } from '../db/prepared.js';
import { UNREAD_OF_C } from '../conversations/views.js';
import { API_CHANNEL } from '../inboxes/queries.js';
import { parseId } from '../http/ids.js';
import { agentTokensQuery, contactTokensQuery } from '../realtime/listener.js';
import type { MessageView } from '../serializers/message.js';
import { publicMessageJson, type PublicMessageJson } from '../serializers/public-message.js';
import { contactFromJson, conversationFromJson, VISIBLE_TO_CONTACT_INBOX } from './queries.js';
import type { PublicCtx } from './service.js';

const INCOMING = 0;
/** Open and pending conversations: a contact's message changes neither their status nor their reply times. */
const LIVE_STATUSES = [0, 2];

export interface LiveMessagePath { inboxIdentifier: string; contactIdentifier: string; displayId: string }

type LiveRow = Message & {
  unread_count: string; contact_source_id: string | null;
  conversation_json: Record<string, unknown> | null; contact_json: Record<string, unknown> | null;
  agent_tokens: string[]; contact_tokens: string[];
};

/**
 * The Client API's common case — a text message from the contact into its open or pending
 * conversation that no transactional listener (webhook, bot) has work for — as one statement,
 * the request's only round trip: it finds the scope as findConversationScope does (API inbox by
 * identifier, contact inbox by source id, conversation by display id under the visibility rule),
 * locks the conversation (ids follow lock order, as in insertMessage), stores the message, moves
 * last_activity_at, starts waiting_since if it had not, moves the contact's last_activity_at,
 * and reads what the realtime listener would read after it (unread count, the agents' and the
 * contact's tokens), so message.created is published with all it needs. It commits on its own.
 *
 * Undefined, with nothing written, for everything else — unknown scope, a resolved or snoozed
 * conversation, a listener with work, an echo_id stored already: the caller then takes the full
 * path (404s, reopening with its activity message, deliveries, replays).
 */
export async function insertLiveMessage(
  ctx: PublicCtx, path: LiveMessagePath, input: { content: string; echoId: string | null },
): Promise<PublicMessageJson | undefined> {
  const displayId = parseId(path.displayId);
  if (displayId === undefined) return undefined;
  const unheeded = ctx.bus.incomingMessageUnheeded({ accountId: sql.ref('s.account_id'), inboxId: sql.ref('s.inbox_id'), conversationId: sql.ref('c.id') });
  const place = { account_id: sql.ref('s.account_id'), inbox_id: sql.ref('s.inbox_id'), team_id: sql.ref('s.team_id'), contact_inbox_id: sql.ref('s.conversation_contact_inbox_id') };
  const { rows } = await prepared(sql<LiveRow>`
    with scope as (
      select i.account_id, i.id as inbox_id, ci.contact_id, cv.id as conversation_id, cv.team_id, cv.contact_inbox_id as conversation_contact_inbox_id
      from channel_api ch
      join inboxes i on i.channel_id = ch.id and i.channel_type = ${API_CHANNEL}
      join contact_inboxes ci on ci.inbox_id = i.id and ci.source_id = ${path.contactIdentifier}
      join conversations cv on cv.account_id = i.account_id and cv.display_id = ${displayId} and ${VISIBLE_TO_CONTACT_INBOX}
      where ch.identifier = ${path.inboxIdentifier}
    ), conversation as (
      select c.id, c.account_id, c.inbox_id, c.agent_last_seen_at, ${UNREAD_OF_C} as unread_before
      from scope s join conversations c on c.id = s.conversation_id
      where c.status = any(${LIVE_STATUSES}::smallint[]) and ${unheeded}
      for update of c
    ), message as (
      insert into messages (account_id, inbox_id, conversation_id, message_type, content_type, content, private, source_id,
        content_attributes, additional_attributes, external_source_ids, sentiment, sender_type, sender_id, echo_id, idempotency_key)
      select c.account_id, c.inbox_id, c.id, ${INCOMING}, 0, ${input.content}, false, null,
        '{}', '{}', '{}', '{}', 'Contact', s.contact_id, ${input.echoId}, null
      from conversation c cross join scope s
      on conflict (conversation_id, echo_id) where echo_id is not null do nothing
      returning *
    ), touched as (
      update conversations c set last_activity_at = m.created_at, waiting_since = coalesce(c.waiting_since, m.created_at)
      from message m where c.id = m.conversation_id
      returning c.*
    ), contact as (
      update contacts set last_activity_at = now() where id = (select contact_id from scope) and exists (select 1 from message)
      returning *
    )
    select m.*,
      (select least(10, unread_before + (m.created_at > coalesce(agent_last_seen_at, '-infinity'::timestamptz))::int) from conversation) as unread_count,
      (select source_id from contact_inboxes where id = s.conversation_contact_inbox_id) as contact_source_id,
      (select to_jsonb(t) from touched t) as conversation_json, (select to_jsonb(u) from contact u) as contact_json,
      array(${agentTokensQuery(place)}) as agent_tokens, array(${contactTokensQuery(place)}) as contact_tokens
    from scope s join message m on true`).execute(ctx.db);
  const row = rows[0];
  if (!row?.conversation_json || !row.contact_json) return undefined;
  const { unread_count, contact_source_id, conversation_json, contact_json, agent_tokens, contact_tokens, ...message } = row;
  const conversation = conversationFromJson(conversation_json);
  const sender = { type: 'Contact' as const, contact: contactFromJson(contact_json) };
  const view: MessageView = {
    message, sender, attachments: [], echoId: input.echoId,
    conversation: {
      display_id: conversation.display_id, assignee_id: conversation.assignee_id, unread_count: Number(unread_count),
      last_activity_at: conversation.last_activity_at, source_id: contact_source_id,
    },
  };
  ctx.bus.publish([{
    name: 'message.created',
    payload: {
      accountId: message.account_id, conversationId: message.conversation_id, messageId: message.id, performer: { type: 'Contact', id: sender.contact.id },
      loaded: { view, conversation, audience: { agents: agent_tokens, contacts: contact_tokens } },
    },
  }]);
  return publicMessageJson({ message, conversationDisplayId: conversation.display_id, sender, attachments: [] }, ctx.storage);
}
