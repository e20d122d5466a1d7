import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { Conversation, Message, Notification } from '../../core/db/schema.js';
import {
  storedLater,
  type DomainEvent,
  type EventBatch,
  type EventMap,
  type AfterTextMessageFollowUp,
  type TextMessageFollowUp,
  type TextMessageInterest,
  type Performer,
  type TransactionalListener,
} from '../../core/events/bus.js';
import type { NotificationView } from '../../core/db/views.js';
import { loadCurrentPushView } from '../conversations/push-view.js';
import { newMessageNotificationView } from './views.js';
import { buildNotification } from './build.js';
import { notificationFromJson } from '../../core/db/json-rows.js';
import { mentionedIds } from './mentions.js';
import { ACCOUNT_USER_ROLE, CONVERSATION_STATUS, MESSAGE_TYPE } from '../../core/db/enums.js';
import { ANY_PLAN } from '../../core/db/prepared.js';

/**
 * Chatwoot's NotificationListener (with Messages::MentionService and
 * Messages::NewMessageNotificationService) as a transactional bus subscriber: notifications are
 * written in the transaction of the change that caused them, so they exist exactly when it
 * commits; their realtime events are published after it.
 */

/** Current.user as the secondary actor: the user or bot who did it; a contact or the system leaves none. */
/** The secondary actor is Current.user: none for a contact's change or an automation rule's. */
const actorOf = (performer: Performer | undefined) =>
  performer && (performer.type === 'User' || performer.type === 'AgentBot')
    ? { type: performer.type, id: performer.id }
    : null;

const conversationOf = (tx: Db, id: number) =>
  tx.selectFrom('conversations').modifyFront(ANY_PLAN).selectAll().where('id', '=', id).executeTakeFirst();

/** conversation_created: every member of the inbox, unless a bot is handling it (pending). */
async function onConversationCreated(tx: Db, followUps: EventBatch, event: EventMap['conversation.created']) {
  const conversation = await conversationOf(tx, event.conversationId);
  if (!conversation || conversation.status === CONVERSATION_STATUS.pending) return;
  const members = await tx
    .selectFrom('inbox_members')
    .select('user_id')
    .where('inbox_id', '=', conversation.inbox_id)
    .orderBy('id')
    .execute();
  for (const { user_id } of members) {
    await buildNotification(tx, followUps, {
      type: 'conversation_creation',
      userId: user_id,
      conversation,
      secondary: actorOf(event.performer),
    });
  }
}

/** assignee_changed: Conversation#notifiable_assignee_change? (someone, and not oneself), unless pending. */
async function onAssigneeChanged(tx: Db, followUps: EventBatch, event: EventMap['assignee.changed']) {
  const conversation = await conversationOf(tx, event.conversationId);
  if (!conversation || conversation.assignee_id === null || conversation.status === CONVERSATION_STATUS.pending) return;
  if (event.performer?.type === 'User' && event.performer.id === conversation.assignee_id) return;
  await buildNotification(tx, followUps, {
    type: 'conversation_assignment',
    userId: conversation.assignee_id,
    conversation,
    secondary: actorOf(event.performer),
  });
}

/**
 * Messages::MentionService: a private note's user mentions, and its team mentions expanded to the
 * team's members, limited to the account's administrators and the inbox's members, never the
 * note's own author. Each is told (conversation.mentioned), notified, and becomes a participant.
 */
async function onMentions(
  tx: Db,
  followUps: EventBatch,
  message: Message,
  conversation: Conversation,
): Promise<Set<number>> {
  const notified = new Set<number>();
  if (!message.private || !message.content?.trim()) return notified;
  const { userIds, teamIds } = mentionedIds(message.content);
  if (userIds.length === 0 && teamIds.length === 0) return notified;
  const teamMembers = teamIds.length
    ? await tx
        .selectFrom('team_members')
        .innerJoin('teams', 'teams.id', 'team_members.team_id')
        .select('team_members.user_id')
        .where('teams.account_id', '=', conversation.account_id)
        .where('teams.id', 'in', teamIds)
        .execute()
    : [];
  const mentioned = [...new Set([...userIds, ...teamMembers.map((m) => m.user_id)])];
  const allowed = new Set(
    (
      await tx
        .selectFrom('account_users')
        .select('user_id')
        .where('account_id', '=', conversation.account_id)
        .where('user_id', 'in', mentioned)
        .where((eb) =>
          eb.or([
            eb('role', '=', ACCOUNT_USER_ROLE.administrator),
            eb.exists(
              eb
                .selectFrom('inbox_members')
                .select('id')
                .where('inbox_id', '=', conversation.inbox_id)
                .whereRef('inbox_members.user_id', '=', 'account_users.user_id'),
            ),
          ]),
        )
        .execute()
    ).map((row) => row.user_id),
  );
  const selfId = message.sender_type === 'User' ? message.sender_id : null;
  for (const userId of mentioned) {
    if (!allowed.has(userId) || userId === selfId) continue;
    followUps.emit('conversation.mentioned', {
      accountId: conversation.account_id,
      conversationId: conversation.id,
      userId,
    });
    await buildNotification(tx, followUps, {
      type: 'conversation_mention',
      userId,
      conversation,
      secondary: { type: 'Message', id: message.id },
    });
    await tx
      .insertInto('conversation_participants')
      .values({ account_id: conversation.account_id, conversation_id: conversation.id, user_id: userId })
      .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doNothing())
      .execute();
    notified.add(userId);
  }
  return notified;
}

/**
 * Messages::NewMessageNotificationService: a public incoming or outgoing message (Message#notifiable?)
 * tells the assignee, then the participants, never its own author, and nobody twice for one message.
 */
async function onNewMessage(
  tx: Db,
  followUps: EventBatch,
  message: Message,
  conversation: Conversation,
  notified: Set<number>,
  rendered?: () => Promise<((notification: Notification) => NotificationView | undefined) | undefined>,
) {
  if (
    message.private ||
    (message.message_type !== MESSAGE_TYPE.incoming && message.message_type !== MESSAGE_TYPE.outgoing)
  )
    return;
  const author = message.sender_type === 'User' ? message.sender_id : null;
  const secondary = { type: 'Message' as const, id: message.id };
  const assignee = conversation.assignee_id;
  if (assignee !== null && assignee !== author && !notified.has(assignee)) {
    await buildNotification(tx, followUps, {
      type: 'assigned_conversation_new_message',
      userId: assignee,
      conversation,
      secondary,
      render: await rendered?.(),
    });
    notified.add(assignee);
  }
  const participants = await tx
    .selectFrom('conversation_participants')
    .select('user_id')
    .modifyFront(ANY_PLAN)
    .where('conversation_id', '=', conversation.id)
    .orderBy('id')
    .execute();
  for (const { user_id } of participants) {
    if (user_id === author || notified.has(user_id)) continue;
    await buildNotification(tx, followUps, {
      type: 'participating_conversation_new_message',
      userId: user_id,
      conversation,
      secondary,
    });
    notified.add(user_id);
  }
}

/**
 * For the message a request stored and loaded (MessageLoaded), when it is its conversation's newest
 * in this round: how to render its notifications from the conversation's push view as it stands
 * (the one the webhooks listener read earlier in this round, else read now, one statement in the
 * transaction instead of the broadcast's eight after it).
 */
function renderFromLoaded(tx: Db, event: EventMap['message.created'], round: readonly DomainEvent[]) {
  const loaded = event.loaded;
  if (!loaded || loaded.view.message.id !== event.messageId || storedLater(round, event)) return undefined;
  return async () => {
    const current =
      loaded.current?.round === round
        ? loaded.current
        : await loadCurrentPushView(tx, event.accountId, event.conversationId);
    if (!current?.view) return undefined;
    const view = current.view;
    return (notification: Notification) =>
      newMessageNotificationView(notification, { conversation: current.conversation, view }, loaded.view);
  };
}

async function onMessageCreated(
  tx: Db,
  followUps: EventBatch,
  event: EventMap['message.created'],
  round: readonly DomainEvent[],
) {
  // activity and template messages notify nobody and mention nobody: no need to load anything
  if (event.messageType !== MESSAGE_TYPE.incoming && event.messageType !== MESSAGE_TYPE.outgoing) return;
  // the request may have loaded it already (messages/service.ts)
  const message =
    event.loaded?.view.message ??
    (await tx
      .selectFrom('messages')
      .modifyFront(ANY_PLAN)
      .selectAll()
      .where('id', '=', event.messageId)
      .executeTakeFirst());
  if (!message) return;
  const conversation = event.loaded?.conversation ?? (await conversationOf(tx, message.conversation_id));
  if (!conversation) return;
  const notified = await onMentions(tx, followUps, message, conversation);
  await onNewMessage(tx, followUps, message, conversation, notified, renderFromLoaded(tx, event, round));
}

/**
 * The listener's interest in a new public text message (bus.textMessageUnheeded): none. Such a
 * message notifies its conversation's assignee and participants (never mentions: those are private
 * notes), which the one-statement path writes in its statement (notificationsTextMessageFollowUp).
 */
export const notificationsTextMessageInterest: TextMessageInterest = () => sql<boolean>`false`;

/**
 * onNewMessage for a message a one-statement path stored, in its statement (migration 0158); the
 * function is called only when there is someone it could notify (most replies: nobody).
 */
export const notificationsTextMessageFollowUp: TextMessageFollowUp = (place) => {
  const author = place.authorUserId ?? sql`null`;
  return sql`case when exists (select 1 from conversations where id = ${place.conversationId} and assignee_id is not null
      and assignee_id is distinct from ${author}::bigint)
    or exists (select 1 from conversation_participants where conversation_id = ${place.conversationId}
      and user_id is distinct from ${author}::bigint)
    then message_created_notifications(${place.accountId}::bigint, ${place.conversationId}::bigint, ${author}::bigint,
      ${place.messageId}::bigint) end`;
};

/**
 * What the follow-up wrote, announced: notification.created for each (the assignee's rendered
 * from the statement's push view, as renderFromLoaded does), notification.deleted for the older
 * ones it replaced, both with the user's counts the statement read after its writes.
 */
export const notificationsAfterTextMessageFollowUp: AfterTextMessageFollowUp = (value, loaded, emit) => {
  const accountId = loaded.conversation.account_id;
  for (const { row, removed, count } of value as Array<{
    row: Record<string, unknown>;
    removed: unknown[];
    count: number;
  }>) {
    const notification = notificationFromJson(row);
    const userId = notification.user_id;
    // counted by the statement after its writes (migration 0159)
    const counts = { count, unreadCount: count };
    const rendered = loaded.pushView
      ? newMessageNotificationView(
          notification,
          { conversation: loaded.conversation, view: loaded.pushView },
          loaded.view,
        )
      : undefined;
    emit({
      name: 'notification.created',
      payload: {
        accountId,
        userId,
        notificationId: notification.id,
        counts,
        ...(rendered ? { loaded: rendered } : {}),
      },
    });
    if (removed.length)
      emit({
        name: 'notification.deleted',
        payload: { accountId, userId, notificationIds: removed.map(Number), counts },
      });
  }
};

export function notificationsListener(): TransactionalListener {
  return async (tx, events, followUps) => {
    for (const event of events) {
      if (event.name === 'conversation.created') await onConversationCreated(tx, followUps, event.payload);
      else if (event.name === 'assignee.changed') await onAssigneeChanged(tx, followUps, event.payload);
      else if (event.name === 'message.created') await onMessageCreated(tx, followUps, event.payload, events);
    }
  };
}
