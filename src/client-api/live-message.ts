import { sql } from 'kysely';
import { contactFromJson } from '../db/json-rows.js';
import { prepared } from '../db/prepared.js';
import { UNREAD_OF_C } from '../conversations/views.js';
import { API_CHANNEL } from '../inboxes/queries.js';
import { parseId } from '../http/ids.js';
import { liveResultColumns, publishLive, textMessageInsert, type LiveRow } from '../messages/live.js';
import { publicMessageJson, type PublicMessageJson } from '../serializers/public-message.js';
import { VISIBLE_TO_CONTACT_INBOX } from './queries.js';
import type { PublicCtx } from './service.js';

const INCOMING = 0;
/** Open and pending conversations: a contact's message changes neither their status nor their reply times. */
const LIVE_STATUSES = [0, 2];

export interface LiveMessagePath { inboxIdentifier: string; contactIdentifier: string; displayId: string }

/**
 * The Client API's common case — a text message from the contact into its open or pending
 * conversation that no transactional listener (webhook, bot) has work for — as one statement,
 * the request's only round trip: it finds the scope as findConversationScope does (API inbox by
 * identifier, contact inbox by source id, conversation by display id under the visibility rule),
 * locks the conversation (ids follow lock order, as in insertMessage), stores the message, moves
 * last_activity_at, starts waiting_since if it had not, moves the contact's last_activity_at
 * (reading the values before, for conversation.updated and contact.updated),
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
  const unheeded = ctx.bus.textMessageUnheeded({ accountId: sql.ref('s.account_id'), inboxId: sql.ref('s.inbox_id'), conversationId: sql.ref('c.id'), authorUserId: null });
  const place = { account_id: sql.ref('s.account_id'), inbox_id: sql.ref('s.inbox_id'), team_id: sql.ref('s.team_id'), contact_inbox_id: sql.ref('s.conversation_contact_inbox_id') };
  const message = { messageType: INCOMING, content: input.content, senderType: 'Contact' as const, senderId: sql.ref('s.contact_id'), echoId: input.echoId };
  const { rows } = await prepared(sql<LiveRow & { contact_json: Record<string, unknown> | null; contact_before_last_activity_at: Date | null; contact_before_updated_at: Date }>`
    with scope as (
      select i.account_id, i.id as inbox_id, ci.contact_id, cv.id as conversation_id, cv.team_id, cv.contact_inbox_id as conversation_contact_inbox_id
      from channel_api ch
      join inboxes i on i.channel_id = ch.id and i.channel_type = ${API_CHANNEL}
      join contact_inboxes ci on ci.inbox_id = i.id and ci.source_id = ${path.contactIdentifier}
      join conversations cv on cv.account_id = i.account_id and cv.display_id = ${displayId} and ${VISIBLE_TO_CONTACT_INBOX}
      where ch.identifier = ${path.inboxIdentifier}
    ), conversation as (
      select c.id, c.account_id, c.inbox_id, c.agent_last_seen_at, ${UNREAD_OF_C} as unread_before,
        c.waiting_since as waiting_before, c.first_reply_created_at as first_reply_before
      from scope s join conversations c on c.id = s.conversation_id
      where c.status = any(${LIVE_STATUSES}::smallint[]) and ${unheeded}
      for update of c
    ), message as (
      ${textMessageInsert(message, sql`conversation c cross join scope s`)}
    ), touched as (
      update conversations c set last_activity_at = m.created_at, waiting_since = coalesce(c.waiting_since, m.created_at),
        -- Rails' update of waiting_since touches updated_at too
        updated_at = case when c.waiting_since is null then m.created_at else c.updated_at end
      from message m where c.id = m.conversation_id
      returning c.*
    ), contact as (
      update contacts u set last_activity_at = now(), updated_at = now()
      from (select id, last_activity_at, updated_at from contacts where id = (select contact_id from scope) for update) old
      where u.id = old.id and exists (select 1 from message)
      returning u.*, old.last_activity_at as before_last_activity_at, old.updated_at as before_updated_at
    )
    select m.*,
      (select least(10, unread_before + (m.created_at > coalesce(agent_last_seen_at, '-infinity'::timestamptz))::int) from conversation) as unread_count,
      (select to_jsonb(u) - 'before_last_activity_at' - 'before_updated_at' from contact u) as contact_json,
      (select before_last_activity_at from contact) as contact_before_last_activity_at, (select before_updated_at from contact) as contact_before_updated_at,
      ${liveResultColumns(place)}
    from scope s join message m on true`).execute(ctx.db);
  const row = rows[0];
  if (!row?.conversation_json || !row.contact_json) return undefined;
  const { contact_json, contact_before_last_activity_at, contact_before_updated_at, ...rest } = row;
  const sender = { type: 'Contact' as const, contact: contactFromJson(contact_json) };
  const view = publishLive(ctx.bus, rest, sender, input.echoId, {
    contact: { before: { last_activity_at: contact_before_last_activity_at, updated_at: contact_before_updated_at }, after: sender.contact },
  });
  return publicMessageJson({ message: view.message, conversationDisplayId: view.conversation.display_id, sender, attachments: [] }, ctx.storage);
}
