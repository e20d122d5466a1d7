import { sql } from 'kysely';
import { StatementBatcher } from '../core/db/batcher.js';
import { MESSAGE_TYPE } from '../core/db/enums.js';
import { PreparedOnce, type Slots } from '../core/db/prepared.js';
import { KEPT_BY_INCOMING } from '../domains/conversations/status.js';
import { UNREAD_OF_C } from '../domains/conversations/views.js';
import type { EventBus } from '../core/events/bus.js';
import { API_CHANNEL } from '../domains/inboxes/queries.js';
import { parseId } from '../core/http/ids.js';
import type { Db } from '../core/db/kysely.js';
import {
  CONTACT_RESULT,
  contactActivityOf,
  lockedColumns,
  messageKind,
  storeCtes,
  unreadAfter,
  type ContactResult,
} from '../domains/conversations/message-effects.js';
import { liveResultColumns, publishLive, type LiveRow } from '../domains/messages/live.js';
import type { MessageView } from '../serializers/message.js';
import { VISIBLE_TO_CONTACT_INBOX, type ConversationPath } from './queries.js';

/**
 * Statements in flight at once, messages per statement, and one message per contact identifier a
 * statement (so a contact's burst keeps its order). On 2 vCPUs (bench:client) one or two in flight
 * did best (48–56% of the bare-INSERT baseline; three: 37%): the fewer statements, the larger each;
 * two keep a second PostgreSQL backend at work on machines with more cores.
 */
export const LIVE_MESSAGE_LIMITS = {
  maxRunning: 2,
  maxItems: 64,
  key: (item: LiveMessage) => `${item.inboxIdentifier}\n${item.contactIdentifier}`,
};

export interface LiveMessage {
  inboxIdentifier: string;
  contactIdentifier: string;
  displayId: number;
  content: string;
  echoId: string | null;
}
/** What the caller renders: the stored message's view (its sender the contact after the update). */
export type LiveMessageStored = MessageView | undefined;

type LiveMessageRow = LiveRow & ContactResult & { ord: string };

/** Each statement's messages, one array a column (unnest keeps them in step). */
interface LiveMessageValues extends Record<string, unknown> {
  inboxIdentifiers: string[];
  contactIdentifiers: string[];
  displayIds: number[];
  contents: string[];
  echoIds: Array<string | null>;
}

const INCOMING_KIND = messageKind({
  messageType: MESSAGE_TYPE.incoming,
  private: false,
  senderType: 'Contact',
  automated: false,
});

/** The contacts' messages statement (see storeLiveMessages), its arrays as parameters: compiled once per bus. */
export function liveMessagesStatement(bus: EventBus, v: Slots<LiveMessageValues>) {
  const unheeded = bus.textMessageUnheeded({
    accountId: sql.ref('s.account_id'),
    inboxId: sql.ref('s.inbox_id'),
    conversationId: sql.ref('c.id'),
    authorUserId: null,
  });
  const followUps = bus.textMessageFollowUps({
    accountId: sql.ref('s.account_id'),
    inboxId: sql.ref('s.inbox_id'),
    conversationId: sql.ref('m.conversation_id'),
    authorUserId: null,
    messageId: sql.ref('m.id'),
  });
  const place = {
    account_id: sql.ref('s.account_id'),
    inbox_id: sql.ref('s.inbox_id'),
    team_id: sql.ref('s.team_id'),
    contact_inbox_id: sql.ref('s.conversation_contact_inbox_id'),
  };
  const values = {
    messageType: MESSAGE_TYPE.incoming,
    content: sql.ref<string>('s.content'),
    senderType: 'Contact' as const,
    senderId: sql.ref<number>('s.contact_id'),
    echoId: sql.ref<string | null>('s.echo_id'),
  };
  return sql<LiveMessageRow>`
    with input as (
      select * from unnest(${v.inboxIdentifiers}::text[], ${v.contactIdentifiers}::text[], ${v.displayIds}::bigint[],
        ${v.contents}::text[], ${v.echoIds}::text[]) with ordinality as x(inbox_identifier, source_id, display_id, content, echo_id, ord)
    ), scope as (
      select distinct on (f.contact_id) x.ord, x.content, x.echo_id, f.*
      from input x
      -- each message's lookups by key, whatever the tables' statistics said when the plan was cached
      cross join lateral (select i.account_id, i.id as inbox_id, ci.contact_id,
          cv.id as conversation_id, cv.team_id, cv.contact_inbox_id as conversation_contact_inbox_id
        from channel_api ch
        join inboxes i on i.channel_id = ch.id and i.channel_type = ${API_CHANNEL}
        join contact_inboxes ci on ci.inbox_id = i.id and ci.source_id = x.source_id
        join conversations cv on cv.account_id = i.account_id and cv.display_id = x.display_id and ${VISIBLE_TO_CONTACT_INBOX}
        where ch.identifier = x.inbox_identifier limit 1) f
      order by f.contact_id, x.ord
    ), conversation as (
      select c.id, c.account_id, c.inbox_id, c.agent_last_seen_at, ${UNREAD_OF_C} as unread_before, ${lockedColumns(INCOMING_KIND)}
      from scope s join conversations c on c.id = s.conversation_id
      where c.status = any(${KEPT_BY_INCOMING}::smallint[]) and ${unheeded}
      -- a conversation another transaction holds is skipped, not waited for: its message takes the
      -- full path, and the others in the statement are not held up behind it
      for update of c skip locked
    ), ${storeCtes(INCOMING_KIND, values, { from: sql`conversation c join scope s on s.conversation_id = c.id`, orderBy: sql`s.ord`, skipStoredEcho: true })}
    select s.ord, m.*, (select ${unreadAfter(INCOMING_KIND, 'b')} from conversation b where b.id = m.conversation_id) as unread_count,
      ${CONTACT_RESULT}, ${liveResultColumns(place, bus.textMessageFollowedUp(sql.ref('fu.v')))}, fu.v as follow_ups
    from scope s join message m on m.conversation_id = s.conversation_id
    left join contact u on u.id = s.contact_id
    cross join lateral (select ${followUps} as v) fu
    order by s.ord`;
}

export const LIVE_MESSAGES_STATEMENT = new PreparedOnce<EventBus, LiveMessageValues, LiveMessageRow>(
  liveMessagesStatement,
  (bus) => [bus, String(bus.transactionalGeneration)],
);

/**
 * The Client API's common case — a text message from the contact into its open or pending
 * conversation that no transactional listener (webhook, bot) has work for — for several contacts
 * at once, in one statement that commits on its own: for each message it finds the scope as
 * findConversationScope does (API inbox by identifier, contact inbox by source id, conversation by
 * display id under the visibility rule), locks the conversations (then the contacts, as
 * insertMessage locks), stores the messages in arrival order, moves last_activity_at, starts
 * waiting_since if it had not, moves the contact's last_activity_at (reading the values before, for
 * conversation.updated and contact.updated), and reads what the realtime listener would read after
 * it (unread count, the agents' and the contact's tokens), so message.created is published with
 * all it needs.
 *
 * A message gets no row, and nothing of it is written, for everything else — unknown scope, a
 * resolved or snoozed conversation, a listener with work, an echo_id stored already, a conversation
 * another transaction holds locked — and when an earlier message of the same statement is its
 * contact's (one message per contact a statement, so each contact's messages keep their order and
 * its updates their count): its caller then takes the full path (404s, reopening with its activity
 * message, deliveries, replays).
 */
async function storeLiveMessages(
  db: Db,
  bus: EventBus,
  items: LiveMessage[],
  failed: (error: unknown) => void,
): Promise<LiveMessageStored[]> {
  const column = <K extends keyof LiveMessage>(key: K) => items.map((item) => item[key]);
  const values = {
    inboxIdentifiers: column('inboxIdentifier'),
    contactIdentifiers: column('contactIdentifier'),
    displayIds: column('displayId'),
    contents: column('content'),
    echoIds: column('echoId'),
  };
  let rows: LiveMessageRow[];
  try {
    ({ rows } = await LIVE_MESSAGES_STATEMENT.execute(db, bus, values));
  } catch (error) {
    // one statement: it wrote nothing, and each message takes the full path (which answers with its
    // own error if there is one). Past this point the messages are stored: an error fails the requests
    // (an echo_id retry then finds its message) rather than store them twice.
    failed(error);
    return items.map(() => undefined);
  }
  const stored: LiveMessageStored[] = items.map(() => undefined);
  const finishing: Promise<void>[] = [];
  // published in arrival order, as the messages were stored
  for (const row of rows) {
    const { ord, contact_json, contact_before_last_activity_at, contact_before_updated_at, ...rest } = row;
    const contact = contactActivityOf({ contact_json, contact_before_last_activity_at, contact_before_updated_at });
    if (!rest.conversation_json || !contact) continue;
    const { view, finished } = publishLive(bus, rest, { type: 'Contact', contact: contact.after }, rest.echo_id, {
      contact,
    });
    stored[Number(ord) - 1] = view;
    finishing.push(finished);
  }
  await Promise.all(finishing);
  return stored;
}

/** Contacts' live messages, grouped into shared statements under load (StatementBatcher). */
export type LiveMessages = StatementBatcher<LiveMessage, LiveMessageStored>;

/** `failed` hears of a statement that failed (its messages then took the full path). */
export function liveMessages(db: Db, bus: EventBus, failed: (error: unknown) => void): LiveMessages {
  return new StatementBatcher((items) => storeLiveMessages(db, bus, items, failed), LIVE_MESSAGE_LIMITS);
}

/** The message at `path` for the batcher, or undefined when its display id cannot be one (the full path answers 404). */
export function liveMessage(path: ConversationPath, content: string, echoId: string | null): LiveMessage | undefined {
  const displayId = parseId(path.displayId);
  return displayId === undefined
    ? undefined
    : { inboxIdentifier: path.inboxIdentifier, contactIdentifier: path.contactIdentifier, displayId, content, echoId };
}
