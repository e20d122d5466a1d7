import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { Conversation, Message, Notification } from '../../core/db/schema.js';
import { loadConversationSla, slaFeatureOn } from '../conversations/sla.js';
import { loadConversationViews, loadMessageViews } from '../conversations/views.js';
import { loadPushView } from '../conversations/push-view.js';
import { isRecent } from '../../core/realtime/presence.js';
import { availabilityStatus } from '../../serializers/agent.js';
import type { ConversationView } from '../../serializers/conversation.js';
import type { MessageView, PushView } from '../../core/db/views.js';
import type { SenderView } from '../../serializers/message.js';
import { notificationTypeName, type NotificationView } from '../../serializers/notification.js';
import { quotedMessageKind } from '../../serializers/notification-text.js';

/**
 * Loads what a page of notifications renders with, a fixed number of queries whatever its size:
 * the conversations' push views, the secondary actors (messages, users, bots), the messages the
 * bodies quote, and the notified users.
 */

type UserSender = Extract<SenderView, { type: 'User' }>;

/** Users with their availability in this account (presence-derived, as push_event_data has it). */
async function usersIn(db: Db, accountId: number, ids: number[]): Promise<Map<number, UserSender>> {
  if (ids.length === 0) return new Map();
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
    .where('users.id', 'in', ids)
    .execute();
  return new Map(
    rows.map(({ au_availability, au_auto_offline, online, ...user }) => [
      user.id,
      {
        type: 'User' as const,
        user,
        availability:
          au_availability === null
            ? ('offline' as const)
            : availabilityStatus({ availability: au_availability, auto_offline: au_auto_offline! }, online === true),
      },
    ]),
  );
}

/** One message per conversation: the last chat message, the first message, or the last incoming one. */
function perConversation(db: Db, ids: number[], which: 'last_chat' | 'first' | 'last_incoming') {
  if (ids.length === 0) return Promise.resolve([] as Message[]);
  const filter =
    which === 'last_chat'
      ? sql`and message_type <> 2 and not private`
      : which === 'last_incoming'
        ? sql`and message_type = 0`
        : sql``;
  const order = which === 'first' ? sql`id asc` : sql`id desc`;
  return sql<Message>`select m.* from unnest(${ids}::bigint[]) as c(id)
    cross join lateral (select * from messages where conversation_id = c.id ${filter} order by ${order} limit 1) m`
    .execute(db)
    .then((r) => r.rows);
}

/**
 * The notifications' conversations as push data views, without their last messages (each embeds
 * its last chat message, read by the caller). One conversation — a notification being broadcast —
 * is one statement (loadPushView: every piece of its push data at once) instead of a query per table.
 */
async function conversationViews(
  db: Db,
  accountId: number,
  conversations: Conversation[],
): Promise<ConversationView[]> {
  if (conversations.length === 1) {
    const view = await loadPushView(db, conversations[0]!);
    if (view) return [view];
  }
  return loadConversationViews(db, accountId, conversations, undefined, { withoutLastMessages: true });
}

export async function loadNotificationViews(
  db: Db,
  accountId: number,
  notifications: Notification[],
): Promise<NotificationView[]> {
  if (notifications.length === 0) return [];
  const conversationIds = [...new Set(notifications.map((n) => n.primary_actor_id))];
  const wanting = (kind: string) => [
    ...new Set(
      notifications
        .filter((n) => quotedMessageKind(notificationTypeName(n.notification_type)) === kind)
        .map((n) => n.primary_actor_id),
    ),
  ];
  const secondaryIds = (type: string) => [
    ...new Set(notifications.filter((n) => n.secondary_actor_type === type).map((n) => n.secondary_actor_id!)),
  ];
  // with whether the account's `sla` feature is on (the primary actors' SLA keys), in the same query
  const rows = await db
    .selectFrom('conversations')
    .selectAll()
    .select(slaFeatureOn(accountId).as('sla_on'))
    .where('account_id', '=', accountId)
    .where('id', 'in', conversationIds)
    .execute();
  const conversations: Conversation[] = rows.map(({ sla_on: _, ...c }) => c);
  const withSla = rows[0]?.sla_on === true;
  const [views, lastChat, first, lastIncoming, secondaryMessages, users, bots, policies, sla] = await Promise.all([
    conversationViews(db, accountId, conversations),
    perConversation(
      db,
      conversations.map((c) => c.id),
      'last_chat',
    ),
    perConversation(db, wanting('first'), 'first'),
    perConversation(db, wanting('last_incoming'), 'last_incoming'),
    secondaryIds('Message').length
      ? db
          .selectFrom('messages')
          .selectAll()
          .where('account_id', '=', accountId)
          .where('id', 'in', secondaryIds('Message'))
          .execute()
      : [],
    usersIn(db, accountId, [...new Set([...notifications.map((n) => n.user_id), ...secondaryIds('User')])]),
    secondaryIds('AgentBot').length
      ? db.selectFrom('agent_bots').selectAll().where('id', 'in', secondaryIds('AgentBot')).execute()
      : [],
    secondaryIds('SlaPolicy').length
      ? db
          .selectFrom('sla_policies')
          .selectAll()
          .where('account_id', '=', accountId)
          .where('id', 'in', secondaryIds('SlaPolicy'))
          .execute()
      : [],
    withSla
      ? loadConversationSla(
          db,
          accountId,
          conversations.map((c) => c.id),
        )
      : undefined,
  ]);
  if (sla) for (const view of views) view.sla = sla.get(view.conversation.id);
  const viewOf = new Map<number, ConversationView>(views.map((v) => [v.conversation.id, v]));
  const messages = [
    ...new Map([...lastChat, ...first, ...lastIncoming, ...secondaryMessages].map((m) => [m.id, m])).values(),
  ].filter((m) => viewOf.has(m.conversation_id));
  const messageViews = new Map(
    (
      await loadMessageViews(db, accountId, messages, (m) => {
        const v = viewOf.get(m.conversation_id)!;
        return {
          display_id: v.conversation.display_id,
          assignee_id: v.conversation.assignee_id,
          unread_count: v.unreadCount,
          last_activity_at: v.conversation.last_activity_at,
          source_id: v.contactInbox?.source_id ?? null,
        };
      })
    ).map((v) => [v.message.id, v]),
  );
  const byConversation = (rows: Message[]) => new Map(rows.map((m) => [m.conversation_id, messageViews.get(m.id)]));
  const [lastChatOf, firstOf, lastIncomingOf] = [
    byConversation(lastChat),
    byConversation(first),
    byConversation(lastIncoming),
  ];
  const botsById = new Map(bots.map((b) => [b.id, b]));
  const policiesById = new Map(policies.map((p) => [p.id, p]));

  return notifications.map((notification) => {
    const found = viewOf.get(notification.primary_actor_id);
    const conversation = found && { ...found, lastMessage: lastChatOf.get(found.conversation.id) };
    const secondaryMessage =
      notification.secondary_actor_type === 'Message' ? messageViews.get(notification.secondary_actor_id!) : undefined;
    let secondary: NotificationView['secondary'];
    if (secondaryMessage) secondary = { type: 'Message', view: secondaryMessage };
    else if (notification.secondary_actor_type === 'User') secondary = users.get(notification.secondary_actor_id!);
    else if (notification.secondary_actor_type === 'AgentBot') {
      const bot = botsById.get(notification.secondary_actor_id!);
      secondary = bot && { type: 'AgentBot', bot };
    } else if (notification.secondary_actor_type === 'SlaPolicy') {
      const policy = policiesById.get(notification.secondary_actor_id!);
      secondary = policy && { type: 'SlaPolicy', policy };
    }
    const kind = quotedMessageKind(notificationTypeName(notification.notification_type));
    const quoted =
      kind === 'first'
        ? firstOf.get(notification.primary_actor_id)
        : kind === 'last_incoming'
          ? lastIncomingOf.get(notification.primary_actor_id)
          : kind === 'secondary'
            ? secondaryMessage
            : undefined;
    return { notification, user: users.get(notification.user_id)!, conversation, secondary, quoted };
  });
}

/**
 * A new message's notification to the conversation's assignee, rendered from what the message's
 * transaction read (the conversation as it stands with its push view, and the message's own view)
 * as loadNotificationViews would read it after commit; undefined when the notified user is not the
 * push view's assignee (whose user and presence it carries).
 */
export function newMessageNotificationView(
  notification: Notification,
  current: { conversation: Conversation; view: PushView },
  message: MessageView,
): NotificationView | undefined {
  const assignee = current.view.assignee;
  if (!assignee || assignee.user.id !== notification.user_id) return undefined;
  const { conversation, view } = current;
  // the message as the after-commit load renders it: no echo_id, the conversation's live fields
  const { echoId: _echo, ...rest } = message;
  const secondary: MessageView = {
    ...rest,
    conversation: {
      display_id: conversation.display_id,
      assignee_id: conversation.assignee_id,
      unread_count: view.unreadCount,
      last_activity_at: conversation.last_activity_at,
      source_id: view.contactInbox?.source_id ?? null,
    },
  };
  return {
    notification,
    user: {
      type: 'User',
      user: assignee.user,
      availability: availabilityStatus(assignee.accountUser, assignee.online === true),
    },
    conversation: { ...view, lastMessage: secondary },
    secondary: { type: 'Message', view: secondary },
    quoted: secondary,
  };
}
