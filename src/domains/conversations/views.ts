import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import { prepared, ANY_PLAN } from '../../core/db/prepared.js';
import type { Attachment, Conversation, Message } from '../../core/db/schema.js';
import { availabilityStatus, type AgentView } from '../../serializers/agent.js';
import type { ConversationView } from '../../serializers/conversation.js';
import type { MessageView, SenderView } from '../../serializers/message.js';
import { isRecent, onlineUsers } from '../../core/realtime/presence.js';

/**
 * Loads what the conversation and message serializers embed, a fixed number of queries per page
 * whatever its size (no N+1): contacts, inboxes, assignees, teams, labels, last messages with
 * their senders and attachments, unread counts.
 */

const byId = <T extends { id: number }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));
const unique = (values: Array<number | null | undefined>) => [
  ...new Set(values.filter((v): v is number => typeof v === 'number')),
];

/**
 * The unread count of conversation `c`: Chatwoot counts the last 10 unread incoming messages at
 * most (`unread_incoming_messages.last(10)`).
 */
export const UNREAD_OF_C = unreadOfC();

/**
 * UNREAD_OF_C, counting only messages up to `asOfMessageId` when given (ids grow in a
 * conversation's order): a value, or a column of the statement's own message row (not aliased `m`).
 */
function unreadOfC(asOfMessageId?: number | RawBuilder<unknown>) {
  const upTo = asOfMessageId === undefined ? sql`` : sql` and m.id <= ${asOfMessageId}`;
  return sql`(select count(*) from (select 1 from messages m
  where m.conversation_id = c.id and m.message_type = 0 and m.created_at > coalesce(c.agent_last_seen_at, '-infinity'::timestamptz)${upTo}
  limit 10) unread)`;
}

/** The contact's source id in conversation `c`'s contact inbox (push_event_data's conversation.contact_inbox.source_id). */
const SOURCE_ID_OF_C = sql`(select source_id from contact_inboxes where id = c.contact_inbox_id)`;

/** Incoming messages after the agent last looked (all of them when never), per conversation. */
export async function unreadCounts(db: Db, conversationIds: number[]): Promise<Map<number, number>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await sql<{ id: number; n: string }>`select c.id, ${UNREAD_OF_C} as n
    from conversations c where c.id = any(${conversationIds}::bigint[])`.execute(db);
  return new Map(rows.rows.map((row) => [Number(row.id), Number(row.n)]));
}

/**
 * Users as push_event_data renders them (message senders, event performers): with their
 * availability in this account, from its membership and presence, in one query.
 */
export async function usersWithAvailability(
  db: Db,
  accountId: number,
  userIds: number[],
): Promise<Array<Extract<SenderView, { type: 'User' }>>> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .leftJoin('account_users as au', (join) =>
      join.onRef('au.user_id', '=', 'users.id').on('au.account_id', '=', accountId),
    )
    .leftJoin('presence as p', (join) =>
      join.onRef('p.entity_id', '=', 'users.id').on('p.kind', '=', 'User').on('p.account_id', '=', accountId),
    )
    .selectAll('users')
    .select(['au.availability as au_availability', 'au.auto_offline as au_auto_offline', isRecent('p').as('online')])
    .where('users.id', 'in', userIds)
    .execute();
  return rows.map(({ au_availability, au_auto_offline, online, ...user }) => {
    const availability =
      au_availability === null
        ? ('offline' as const)
        : availabilityStatus({ availability: au_availability, auto_offline: au_auto_offline! }, online === true);
    return { type: 'User' as const, user, availability };
  });
}

/** Senders of these messages, as the push_event_data of each sender type. */
async function sendersOf(db: Db, accountId: number, messages: Message[]): Promise<Map<string, SenderView>> {
  const ids = (type: string) => unique(messages.filter((m) => m.sender_type === type).map((m) => m.sender_id));
  const [userIds, contactIds, botIds] = [ids('User'), ids('Contact'), ids('AgentBot')];
  const [users, contacts, bots] = await Promise.all([
    usersWithAvailability(db, accountId, userIds),
    contactIds.length
      ? db.selectFrom('contacts').modifyFront(ANY_PLAN).selectAll().where('id', 'in', contactIds).execute()
      : [],
    botIds.length
      ? db.selectFrom('agent_bots').modifyFront(ANY_PLAN).selectAll().where('id', 'in', botIds).execute()
      : [],
  ]);
  const senders = new Map<string, SenderView>();
  for (const sender of users) senders.set(`User:${sender.user.id}`, sender);
  for (const contact of contacts) senders.set(`Contact:${contact.id}`, { type: 'Contact', contact });
  for (const bot of bots) senders.set(`AgentBot:${bot.id}`, { type: 'AgentBot', bot });
  return senders;
}

async function attachmentsOf(db: Db, messageIds: number[]): Promise<Map<number, Attachment[]>> {
  const grouped = new Map<number, Attachment[]>();
  if (messageIds.length === 0) return grouped;
  const rows = await db
    .selectFrom('attachments')
    .modifyFront(ANY_PLAN)
    .selectAll()
    .where('message_id', 'in', messageIds)
    .orderBy('id')
    .execute();
  for (const row of rows) grouped.set(row.message_id, [...(grouped.get(row.message_id) ?? []), row]);
  return grouped;
}

type ConversationInfo = MessageView['conversation'];

/** Message views; `conversationOf` gives each message's conversation fields for push_event_data. */
export async function loadMessageViews(
  db: Db,
  accountId: number,
  messages: Message[],
  conversationOf: (m: Message) => ConversationInfo,
  /** A message just stored without files has none: no need to ask. */
  options: { withoutAttachments?: boolean } = {},
): Promise<MessageView[]> {
  const [senders, attachments] = await Promise.all([
    sendersOf(db, accountId, messages),
    options.withoutAttachments
      ? new Map<number, Attachment[]>()
      : attachmentsOf(
          db,
          messages.map((m) => m.id),
        ),
  ]);
  return messages.map((message) => ({
    message,
    conversation: conversationOf(message),
    sender:
      message.sender_type && message.sender_id !== null
        ? senders.get(`${message.sender_type}:${message.sender_id}`)
        : undefined,
    attachments: attachments.get(message.id) ?? [],
  }));
}

/**
 * The push_event_data conversation fields of one conversation; for a message's push data, the
 * unread count as of that message (`asOfMessageId`): a listener loading it after commit must not
 * count the contact's next message, committed meanwhile, as the one-statement path never does.
 */
export async function conversationInfo(
  db: Db,
  conversation: Conversation,
  asOfMessageId?: number,
): Promise<ConversationInfo> {
  const { rows } = await prepared(sql<{
    unread: string;
    source_id: string | null;
  }>`select ${unreadOfC(asOfMessageId)} as unread, ${SOURCE_ID_OF_C} as source_id
    from conversations c where c.id = ${conversation.id}`).execute(db);
  return {
    display_id: conversation.display_id,
    assignee_id: conversation.assignee_id,
    unread_count: Number(rows[0]?.unread ?? 0),
    last_activity_at: conversation.last_activity_at,
    source_id: rows[0]?.source_id ?? null,
  };
}

/**
 * Messages by id as push data renders them, a fixed number of queries for any number of them:
 * the rows with their conversation's fields as of each message (conversationInfo: the unread count
 * up to it, the contact's source id) in one, then loadMessageViews. Missing ids are left out.
 */
export async function messageViewsById(db: Db, ids: number[]): Promise<Map<number, MessageView>> {
  if (ids.length === 0) return new Map();
  const { rows } = await prepared(sql<
    Message & {
      confab_display_id: number;
      confab_assignee_id: number | null;
      confab_last_activity_at: Date;
      confab_unread: string;
      confab_source_id: string | null;
    }
  >`select msg.*, c.display_id as confab_display_id, c.assignee_id as confab_assignee_id,
      c.last_activity_at as confab_last_activity_at, ${unreadOfC(sql.ref('msg.id'))} as confab_unread,
      ${SOURCE_ID_OF_C} as confab_source_id
    from messages msg join conversations c on c.id = msg.conversation_id
    where msg.id = any(${ids}::bigint[])`).execute(db);
  const info = new Map<number, ConversationInfo>();
  const messages: Message[] = rows.map(
    ({
      confab_display_id,
      confab_assignee_id,
      confab_last_activity_at,
      confab_unread,
      confab_source_id,
      ...message
    }) => {
      info.set(message.id, {
        display_id: confab_display_id,
        assignee_id: confab_assignee_id,
        unread_count: Number(confab_unread),
        last_activity_at: confab_last_activity_at,
        source_id: confab_source_id,
      });
      return message;
    },
  );
  const views = new Map<number, MessageView>();
  // senders are looked up in their message's account
  for (const accountId of unique(messages.map((m) => m.account_id)))
    for (const view of await loadMessageViews(
      db,
      accountId,
      messages.filter((m) => m.account_id === accountId),
      (m) => info.get(m.id)!,
    ))
      views.set(view.message.id, view);
  return views;
}

/** The last message, and the last one that is not an activity, of each conversation. */
async function lastMessages(db: Db, conversationIds: number[]) {
  if (conversationIds.length === 0) return { last: [], lastNonActivity: [] };
  const lateral = (nonActivity: boolean) => sql<Message>`select m.* from unnest(${conversationIds}::bigint[]) as c(id)
    cross join lateral (select * from messages where conversation_id = c.id ${nonActivity ? sql`and message_type <> 2` : sql``}
    order by id desc limit 1) m`;
  const [last, lastNonActivity] = await Promise.all([lateral(false).execute(db), lateral(true).execute(db)]);
  return { last: last.rows, lastNonActivity: lastNonActivity.rows };
}

/**
 * Conversation views for a page, in the given order; `viewerUserId` decides each team's is_member.
 * `withoutLastMessages`: the caller picks the messages itself (notifications embed the last chat
 * message): the last messages are not read.
 */
export async function loadConversationViews(
  db: Db,
  accountId: number,
  conversations: Conversation[],
  viewerUserId?: number,
  options: { withoutLastMessages?: boolean } = {},
): Promise<ConversationView[]> {
  if (conversations.length === 0) return [];
  const ids = conversations.map((c) => c.id);
  const assigneeIds = unique(conversations.map((c) => c.assignee_id));
  const teamIds = unique(conversations.map((c) => c.team_id));
  const [contacts, contactInboxes, inboxes, assignees, memberships, teams, myTeams, taggings, unread, latest] =
    await Promise.all([
      // the conversations are the account's; each lookup still filters by it, as every query does
      db
        .selectFrom('contacts')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('id', 'in', unique(conversations.map((c) => c.contact_id)))
        .execute(),
      db
        .selectFrom('contact_inboxes')
        .selectAll()
        .where('id', 'in', [0, ...unique(conversations.map((c) => c.contact_inbox_id))])
        .execute(),
      db
        .selectFrom('inboxes')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('id', 'in', unique(conversations.map((c) => c.inbox_id)))
        .execute(),
      assigneeIds.length ? db.selectFrom('users').selectAll().where('id', 'in', assigneeIds).execute() : [],
      assigneeIds.length
        ? db
            .selectFrom('account_users')
            .selectAll()
            .where('account_id', '=', accountId)
            .where('user_id', 'in', assigneeIds)
            .execute()
        : [],
      teamIds.length
        ? db.selectFrom('teams').selectAll().where('account_id', '=', accountId).where('id', 'in', teamIds).execute()
        : [],
      teamIds.length && viewerUserId !== undefined
        ? db
            .selectFrom('team_members')
            .select('team_id')
            .where('user_id', '=', viewerUserId)
            .where('team_id', 'in', teamIds)
            .execute()
        : [],
      db
        .selectFrom('taggings')
        .select(['taggable_id', 'name'])
        .where('taggable_type', '=', 'Conversation')
        .where('taggable_id', 'in', ids)
        .orderBy('id')
        .execute(),
      unreadCounts(db, ids),
      options.withoutLastMessages ? { last: [], lastNonActivity: [] } : lastMessages(db, ids),
    ]);
  const contactsById = byId(contacts);
  const contactInboxesById = byId(contactInboxes);
  const inboxesById = byId(inboxes);
  const teamsById = byId(teams);
  const memberTeams = new Set(myTeams.map((t) => t.team_id));
  const membershipOf = new Map(memberships.map((m) => [m.user_id, m]));
  const agents = new Map<number, AgentView>();
  const online = await onlineUsers(db, assigneeIds);
  for (const user of assignees) {
    const accountUser = membershipOf.get(user.id);
    if (accountUser) agents.set(user.id, { user, accountUser, online: online.has(`${accountId}:${user.id}`) });
  }
  const labels = new Map<number, string[]>();
  for (const tag of taggings) labels.set(tag.taggable_id, [...(labels.get(tag.taggable_id) ?? []), tag.name]);

  const conversationsById = byId(conversations);
  const infoOf = (message: Message): ConversationInfo => {
    const c = conversationsById.get(message.conversation_id)!;
    return {
      display_id: c.display_id,
      assignee_id: c.assignee_id,
      unread_count: unread.get(c.id) ?? 0,
      last_activity_at: c.last_activity_at,
      source_id: c.contact_inbox_id === null ? null : (contactInboxesById.get(c.contact_inbox_id)?.source_id ?? null),
    };
  };
  const messageViews = await loadMessageViews(db, accountId, [...latest.last, ...latest.lastNonActivity], infoOf);
  const lastOf = new Map(messageViews.slice(0, latest.last.length).map((v) => [v.message.conversation_id, v]));
  const lastNonActivityOf = new Map(messageViews.slice(latest.last.length).map((v) => [v.message.conversation_id, v]));

  return conversations.map((conversation) => {
    const team = conversation.team_id === null ? undefined : teamsById.get(conversation.team_id);
    const assignee = conversation.assignee_id === null ? undefined : agents.get(conversation.assignee_id);
    return {
      conversation,
      contact: contactsById.get(conversation.contact_id)!,
      contactInbox:
        conversation.contact_inbox_id === null ? null : (contactInboxesById.get(conversation.contact_inbox_id) ?? null),
      inbox: inboxesById.get(conversation.inbox_id)!,
      ...(assignee ? { assignee } : {}),
      ...(team ? { team: { team, isMember: memberTeams.has(team.id) } } : {}),
      labels: labels.get(conversation.id) ?? [],
      lastMessage: lastOf.get(conversation.id),
      lastNonActivityMessage: lastNonActivityOf.get(conversation.id),
      unreadCount: unread.get(conversation.id) ?? 0,
    };
  });
}
