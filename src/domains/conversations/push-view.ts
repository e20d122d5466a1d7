import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import { FEATURES } from '../../core/db/account-features.js';
import {
  accountUserFromJson,
  appliedSlaFromJson,
  contactFromJson,
  contactInboxFromJson,
  conversationFromJson,
  inboxFromJson,
  slaEventFromJson,
  slaPolicyFromJson,
  teamFromJson,
  userFromJson,
} from '../../core/db/json-rows.js';
import { prepared, ANY_PLAN } from '../../core/db/prepared.js';
import type { Conversation } from '../../core/db/schema.js';
import type { SqlValue } from '../../core/events/bus.js';
import { isRecent } from '../../core/realtime/presence.js';
import type { ConversationView, PushView } from '../../core/db/views.js';
import type { MessageView } from '../../core/db/views.js';
import { conversationInfo, loadMessageViews, UNREAD_OF_C } from './views.js';
import { MESSAGE_TYPE } from '../../core/db/enums.js';

type Json = Record<string, unknown>;
/** What pushViewPieces reads, as one jsonb object. */
export interface PushViewPieces {
  contact: Json | null;
  contact_inbox: Json | null;
  inbox: Json | null;
  labels: string[];
  assignee: Json | null;
  assignee_membership: Json | null;
  assignee_online: boolean;
  team: Json | null;
  /** The account's `sla` feature on: the applied SLA with its policy, and the missed-target events. */
  sla: { applied: { applied: Json; policy: Json } | null; events: Json[] } | null;
}
export type { PushView };

/** The conversation a push view is read for: parameters, or columns of a row in the same statement. */
export interface PushViewPlace {
  id: SqlValue;
  account_id: SqlValue;
  contact_id: SqlValue;
  inbox_id: SqlValue;
  contact_inbox_id: SqlValue;
  assignee_id: SqlValue;
  team_id: SqlValue;
}

/**
 * The SLA pieces (Enterprise::Conversations::EventDataPresenter) when the account's `sla` feature
 * is on, else null: a lookup of the account by its key inside the statement, so an account
 * without the feature pays no query of its own, on the message path as anywhere else.
 */
function slaPieces(c: PushViewPlace) {
  if (!FEATURES.sla?.served) return sql`null::jsonb`;
  return sql`(select jsonb_build_object(
      'applied', (select jsonb_build_object('applied', to_jsonb(a), 'policy', to_jsonb(sp))
        from applied_slas a join sla_policies sp on sp.id = a.sla_policy_id and sp.account_id = a.account_id
        where a.account_id = ${c.account_id} and a.conversation_id = ${c.id} order by a.id limit 1),
      'events', array(select to_jsonb(e) from sla_events e
        where e.account_id = ${c.account_id} and e.conversation_id = ${c.id} order by e.id))
    from accounts acc where acc.id = ${c.account_id} and acc.features @> '{"sla": true}'::jsonb)`;
}

/**
 * What one conversation's push data embeds (contact, contact inbox, inbox, labels, assignee with
 * membership and presence, team, and the SLA keys) as one jsonb, null when the contact or inbox is gone: every
 * conversation event sends it (to /cable and to webhooks), and loadConversationViews' batch of
 * queries made a round trip per table. A subquery, so a statement that stores a message can read
 * it along with its writes. Without the unread count and the last message.
 */
export function pushViewPieces(c: PushViewPlace): RawBuilder<PushViewPieces | null> {
  // the place's values may name columns of the caller's tables (t.id in messages/live.ts): the
  // subqueries' own aliases must not shadow them (taggings as `t` matched every tagging whose own
  // id was the conversation's)
  return sql<PushViewPieces | null>`(select jsonb_build_object('contact', to_jsonb(ct), 'contact_inbox', to_jsonb(ci), 'inbox', to_jsonb(i),
      'labels', array(select tagging.name from taggings tagging where tagging.taggable_type = 'Conversation' and tagging.taggable_id = ${c.id} order by tagging.id),
      'assignee', to_jsonb(u), 'assignee_membership', to_jsonb(au), 'assignee_online', coalesce(${isRecent('p')}, false), 'team', to_jsonb(tm),
      'sla', ${slaPieces(c)})
    from inboxes i
    join contacts ct on ct.id = ${c.contact_id}
    left join contact_inboxes ci on ci.id = ${c.contact_inbox_id}
    left join users u on u.id = ${c.assignee_id}
    left join account_users au on au.account_id = ${c.account_id} and au.user_id = ${c.assignee_id}
    -- keyed on the assignee id, not on u.id: a generic plan otherwise scans every present user of the account
    left join presence p on p.account_id = ${c.account_id} and p.kind = 'User' and p.entity_id = ${c.assignee_id}
    left join teams tm on tm.id = ${c.team_id} and tm.account_id = ${c.account_id}
    where i.id = ${c.inbox_id})`;
}

/** The push view of `conversation` from its pieces and its unread count. */
export function pushViewFrom(
  conversation: Conversation,
  pieces: PushViewPieces,
  unreadCount: number,
): PushView | undefined {
  if (!pieces.contact || !pieces.inbox) return undefined;
  // Chatwoot's assignee is an agent of the account: a user without a membership here shows as none
  const assignee =
    pieces.assignee && pieces.assignee_membership
      ? {
          user: userFromJson(pieces.assignee),
          accountUser: accountUserFromJson(pieces.assignee_membership),
          online: pieces.assignee_online,
        }
      : undefined;
  return {
    conversation,
    contact: contactFromJson(pieces.contact),
    contactInbox: pieces.contact_inbox ? contactInboxFromJson(pieces.contact_inbox) : null,
    inbox: inboxFromJson(pieces.inbox),
    ...(assignee ? { assignee } : {}),
    ...(pieces.team ? { team: { team: teamFromJson(pieces.team), isMember: false } } : {}),
    labels: pieces.labels,
    unreadCount,
    ...(pieces.sla
      ? {
          sla: {
            applied: pieces.sla.applied
              ? {
                  applied: appliedSlaFromJson(pieces.sla.applied.applied),
                  policy: slaPolicyFromJson(pieces.sla.applied.policy),
                }
              : null,
            events: pieces.sla.events.map(slaEventFromJson),
          },
        }
      : {}),
  };
}

/** The push view of `conversation` as it is now, in one statement. */
export async function loadPushView(db: Db, conversation: Conversation): Promise<PushView | undefined> {
  const c = conversation;
  const place = {
    id: sql`${c.id}::bigint`,
    account_id: sql`${c.account_id}::bigint`,
    contact_id: sql`${c.contact_id}::bigint`,
    inbox_id: sql`${c.inbox_id}::bigint`,
    contact_inbox_id: sql`${c.contact_inbox_id}::bigint`,
    assignee_id: sql`${c.assignee_id}::bigint`,
    team_id: sql`${c.team_id}::bigint`,
  };
  const { rows } = await prepared(sql<{
    pieces: PushViewPieces | null;
    unread: string;
  }>`select ${pushViewPieces(place)} as pieces, ${UNREAD_OF_C} as unread
    from conversations c where c.id = ${c.id}::bigint`).execute(db);
  const row = rows[0];
  return row?.pieces ? pushViewFrom(conversation, row.pieces, Number(row.unread)) : undefined;
}

/**
 * The conversation as it is now (by id, in its account) with its push view, in one statement: for a
 * listener that must see changes earlier listeners made to the row. Undefined when it is gone.
 */
export async function loadCurrentPushView(
  db: Db,
  accountId: number,
  conversationId: number,
): Promise<{ conversation: Conversation; view: PushView | undefined } | undefined> {
  const place = {
    id: sql.ref('c.id'),
    account_id: sql.ref('c.account_id'),
    contact_id: sql.ref('c.contact_id'),
    inbox_id: sql.ref('c.inbox_id'),
    contact_inbox_id: sql.ref('c.contact_inbox_id'),
    assignee_id: sql.ref('c.assignee_id'),
    team_id: sql.ref('c.team_id'),
  };
  const { rows } = await prepared(sql<{
    row: Record<string, unknown>;
    pieces: PushViewPieces | null;
    unread: string;
  }>`select to_jsonb(c) as row, ${pushViewPieces(place)} as pieces, ${UNREAD_OF_C} as unread
    from conversations c where c.id = ${conversationId}::bigint and c.account_id = ${accountId}::bigint`).execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const conversation = conversationFromJson(row.row);
  return { conversation, view: row.pieces ? pushViewFrom(conversation, row.pieces, Number(row.unread)) : undefined };
}

/**
 * The conversation view for push data: its last message is the last chat message (no activity, no
 * notes). `lastChat`: that message when the caller has it (the reply that moved the conversation);
 * `preloaded`: the rest of the view, when the caller read it already.
 */
export async function pushView(
  db: Db,
  conversation: Conversation,
  lastChat?: MessageView,
  preloaded?: PushView,
): Promise<ConversationView> {
  const [view, lastMessage] = await Promise.all([
    preloaded ?? loadPushView(db, conversation),
    lastChat ?? lastChatView(db, conversation),
  ]);
  // the conversation row came from the caller: its contact and inbox cannot be gone while it stands
  if (!view) throw new Error(`conversation ${conversation.id} has lost its contact or inbox`);
  return { ...view, lastMessage };
}

async function lastChatView(db: Db, conversation: Conversation): Promise<MessageView | undefined> {
  const lastChat = await db
    .selectFrom('messages')
    // the conversation's messages newest first (messages_conversation_idx) whatever the values
    .modifyFront(ANY_PLAN)
    .selectAll()
    .where('conversation_id', '=', conversation.id)
    .where('message_type', '!=', MESSAGE_TYPE.activity)
    .where('private', '=', false)
    .orderBy('id', 'desc')
    .limit(1)
    .execute();
  if (lastChat.length === 0) return undefined;
  const info = await conversationInfo(db, conversation);
  return (await loadMessageViews(db, conversation.account_id, lastChat, () => info))[0];
}
