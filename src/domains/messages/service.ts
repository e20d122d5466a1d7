import { transactionally } from '../../core/events/bus.js';
import { AppError, recordNotFound } from '../../core/errors.js';
import type { AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import type { Conversation, Message } from '../../core/db/schema.js';
import { fetchConversation } from '../conversations/access.js';
import { actorName } from '../conversations/activity.js';
import { performerOf } from '../../core/http/account-scope.js';
import { conversationInfo, loadMessageViews } from '../conversations/views.js';
import { contactPushJson, messageJson, userPushJson, type MessageView } from '../../serializers/message.js';
import { isoTime } from '../../serializers/time.js';
import { MESSAGE_STATUS, MESSAGE_TYPE } from '../../core/db/enums.js';
import { labelsOf } from '../labels/taggings.js';
import { availabilityStatus } from '../../serializers/agent.js';
import { onlineUsers } from '../../core/realtime/presence.js';
import { findReplay, insertMessage, type StoredFile } from '../conversations/insert-message.js';
import type { StoredExtras } from '../conversations/store-message.js';
import type { Db } from '../../core/db/kysely.js';
import { insertLiveReply } from './live-reply.js';
import { messageInputFrom, type MessageBody } from '../conversations/message-input.js';

/** Messages in the message partial's shape, with the conversation's info loaded once. */
export async function render(ctx: AccountCtx, conversation: Conversation, messages: Message[], echoId?: string | null) {
  const info = await conversationInfo(ctx.db, conversation);
  const views = await loadMessageViews(ctx.db, ctx.account.id, messages, () => info);
  return views.map((view) => messageJson({ ...view, echoId }, ctx.storage));
}

export interface MessageListQuery {
  before?: string;
  after?: string;
  filter_internal_messages?: string;
}

/**
 * MessageFinder: the latest 20, 20 before `before`, up to 100 after `after`, or the range
 * [after, before) up to 1000 — always ascending — with the index's meta.
 */
export async function listMessages(ctx: AccountCtx, displayId: string, query: MessageListQuery) {
  const conversation = await fetchConversation(ctx, displayId);
  let scope = ctx.db.selectFrom('messages').selectAll().where('conversation_id', '=', conversation.id);
  if (query.filter_internal_messages)
    scope = scope.where('private', '=', false).where('message_type', '!=', MESSAGE_TYPE.activity);
  const before = parseId(query.before);
  const after = parseId(query.after);
  let rows: Message[];
  if (after !== undefined && before !== undefined) {
    rows = await scope.where('id', '>=', after).where('id', '<', before).orderBy('id', 'asc').limit(1000).execute();
  } else if (before !== undefined) {
    rows = (await scope.where('id', '<', before).orderBy('id', 'desc').limit(20).execute()).reverse();
  } else if (after !== undefined) {
    rows = await scope.where('id', '>', after).orderBy('id', 'asc').limit(100).execute();
  } else {
    rows = (await scope.orderBy('id', 'desc').limit(20).execute()).reverse();
  }
  const [contact, assignee, labels, payload, online] = await Promise.all([
    ctx.db.selectFrom('contacts').selectAll().where('id', '=', conversation.contact_id).executeTakeFirstOrThrow(),
    conversation.assignee_id === null
      ? undefined
      : ctx.db
          .selectFrom('users')
          .innerJoin('account_users', 'account_users.user_id', 'users.id')
          .selectAll('users')
          .select(['account_users.availability', 'account_users.auto_offline'])
          .where('users.id', '=', conversation.assignee_id)
          .where('account_users.account_id', '=', ctx.account.id)
          .executeTakeFirst(),
    labelsOf(ctx.db, 'Conversation', conversation.id),
    render(ctx, conversation, rows),
    onlineUsers(ctx.db, conversation.assignee_id === null ? [] : [conversation.assignee_id]),
  ]);
  return {
    meta: {
      labels,
      additional_attributes: conversation.additional_attributes,
      contact: contactPushJson(contact),
      ...(assignee
        ? {
            assignee: userPushJson(
              assignee,
              availabilityStatus(assignee, online.has(`${ctx.account.id}:${assignee.id}`)),
            ),
          }
        : {}),
      agent_last_seen_at: isoTime(conversation.agent_last_seen_at),
      assignee_last_seen_at: isoTime(conversation.assignee_last_seen_at),
    },
    payload,
  };
}

/**
 * POST .../messages. A retry carrying an echo_id or Idempotency-Key already stored in this
 * conversation gets the stored message back instead of a duplicate.
 */
export async function createMessage(
  ctx: AccountCtx,
  displayId: string,
  body: MessageBody,
  options: { idempotencyKey?: string; files?: StoredFile[] } = {},
) {
  // CONFAB_FAST_PATHS=false: every message takes the transactional path below
  const live = ctx.config.fastPaths ? await liveReply(ctx, displayId, body, options) : undefined;
  if (live) return messageJson(live, ctx.storage);
  const conversation = await fetchConversation(ctx, displayId);
  const input = messageInputFrom(ctx, body, { contactId: conversation.contact_id, ...options });
  const replay = await findReplay(ctx.db, conversation.id, input);
  if (replay) return (await render(ctx, conversation, [replay], input.echoId))[0]!;
  let view: MessageView;
  try {
    view = await transactionally(ctx, async (tx, batch) => {
      const emittedBefore = batch.events.length;
      const result = await insertMessage(
        { tx, batch },
        {
          conversationId: conversation.id,
          message: input,
          reopenCause: {
            kind: 'actor',
            name: actorName(ctx),
            performer: performerOf(ctx),
          },
        },
      );
      // loaded once, for the response and for the listeners: mostly by the statement that stored it
      const withEcho = { ...(await storedView(ctx, tx, result, input.files.length > 0)), echoId: input.echoId };
      const account = { id: ctx.account.id, name: ctx.account.name };
      const shared = { view: withEcho, conversation: result.conversation, account };
      // one object for the message's events: the realtime listener keeps the audience it finds on it
      for (const event of batch.events.slice(emittedBefore)) {
        const isThis =
          (event.name === 'message.created' || event.name === 'first.reply.created') &&
          event.payload.messageId === result.message.id;
        if (
          isThis ||
          (event.name === 'conversation.updated' && event.payload.conversationId === result.conversation.id)
        )
          event.payload.loaded = shared;
      }
      return withEcho;
    });
  } catch (error) {
    // two retries raced: the unique index kept one; answer with it
    const stored =
      (error as { code?: string }).code === '23505' ? await findReplay(ctx.db, conversation.id, input) : undefined;
    if (!stored) throw error;
    return (await render(ctx, conversation, [stored], input.echoId))[0]!;
  }
  return messageJson(view, ctx.storage);
}

/**
 * The view of a message just stored, with what its statement read (StoredExtras): the
 * conversation's unread count and source id, and for the caller's own message its sender (the
 * user the token named, with the presence the statement read) — queries only for the
 * attachments, and for a sender other than the caller.
 */
async function storedView(
  ctx: AccountCtx,
  tx: Db,
  stored: { message: Message; conversation: Conversation; extras: StoredExtras },
  withFiles: boolean,
): Promise<MessageView> {
  const { message, conversation, extras } = stored;
  const info = {
    display_id: conversation.display_id,
    assignee_id: conversation.assignee_id,
    unread_count: extras.unreadCount,
    last_activity_at: conversation.last_activity_at,
    source_id: extras.sourceId,
  };
  const user = ctx.actor.kind === 'user' ? ctx.actor.user : undefined;
  const own = !!user && message.sender_type === 'User' && message.sender_id === user.id;
  if (own && ctx.accountUser && !withFiles) {
    const sender = {
      type: 'User' as const,
      user: user!,
      availability: availabilityStatus(ctx.accountUser, extras.senderOnline),
    };
    return { message, sender, attachments: [], conversation: info };
  }
  const [view] = await loadMessageViews(tx, ctx.account.id, [message], () => info, { withoutAttachments: !withFiles });
  return view!;
}

/**
 * An agent's plain reply as one statement (insertLiveReply), tried first: it finds and checks the
 * conversation itself. A body that does not read as a message is left to the full path, which
 * answers an unknown or hidden conversation (404, 401) before any 422, as Chatwoot does.
 */
async function liveReply(
  ctx: AccountCtx,
  rawDisplayId: string,
  body: MessageBody,
  options: { idempotencyKey?: string; files?: StoredFile[] },
) {
  const displayId = parseId(rawDisplayId);
  if (displayId === undefined) return undefined;
  let input: ReturnType<typeof messageInputFrom>;
  try {
    // a plain reply is outgoing: its sender is the caller, never the conversation's contact
    input = messageInputFrom(ctx, body, options);
  } catch {
    return undefined;
  }
  return insertLiveReply(ctx, displayId, input);
}

/** `@conversation.messages.find(params[:id])`: 404 for an unknown id or another conversation's message. */
export async function fetchMessage(ctx: AccountCtx, conversation: Conversation, rawId: string): Promise<Message> {
  const id = parseId(rawId);
  const message =
    id === undefined
      ? undefined
      : await ctx.db
          .selectFrom('messages')
          .selectAll()
          .where('conversation_id', '=', conversation.id)
          .where('account_id', '=', ctx.account.id)
          .where('id', '=', id)
          .executeTakeFirst();
  if (!message) throw recordNotFound();
  return message;
}

export interface MessagePatch {
  status?: string | null;
  external_error?: string | null;
  submitted_values?: unknown;
  content_attributes?: Record<string, unknown>;
}

/**
 * PATCH .../messages/:id: Chatwoot's delivery status update (sent, delivered, read, failed with
 * external_error; read never goes back to delivered), and the submitted values of an
 * input_select / form / input_email message.
 */
export async function updateMessage(ctx: AccountCtx, displayId: string, rawId: string, body: MessagePatch) {
  const conversation = await fetchConversation(ctx, displayId);
  const message = await fetchMessage(ctx, conversation, rawId);
  const attributes = { ...message.content_attributes };
  let status = message.status;
  if (body.status !== undefined && body.status !== null) {
    if (!Object.hasOwn(MESSAGE_STATUS, body.status))
      throw new AppError('unprocessable', 422, { error: `'${body.status}' is not a valid status` });
    const next = MESSAGE_STATUS[body.status as keyof typeof MESSAGE_STATUS];
    if (!(message.status === MESSAGE_STATUS.read && next === MESSAGE_STATUS.delivered)) {
      status = next;
      if (next === MESSAGE_STATUS.failed) attributes.external_error = body.external_error ?? null;
      else delete attributes.external_error;
    }
  }
  const submitted = body.submitted_values ?? body.content_attributes?.submitted_values;
  if (submitted !== undefined) attributes.submitted_values = submitted;
  const submittedEmail = body.content_attributes?.submitted_email;
  if (submittedEmail !== undefined) attributes.submitted_email = submittedEmail;
  const updated = await transactionally(ctx, async (tx, batch) => {
    const row = await tx
      .updateTable('messages')
      .set({ status, content_attributes: JSON.stringify(attributes), updated_at: new Date() })
      .where('id', '=', message.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    batch.emit('message.updated', {
      accountId: ctx.account.id,
      conversationId: conversation.id,
      messageId: message.id,
      performer: performerOf(ctx),
    });
    return row;
  });
  return (await render(ctx, conversation, [updated]))[0]!;
}

/** DELETE .../messages/:id: Chatwoot's soft delete — the content goes, the row stays. */
export async function deleteMessage(ctx: AccountCtx, displayId: string, rawId: string) {
  const conversation = await fetchConversation(ctx, displayId);
  const message = await fetchMessage(ctx, conversation, rawId);
  const keys = await ctx.db
    .selectFrom('attachments')
    .select('storage_key')
    .where('message_id', '=', message.id)
    .execute();
  const updated = await transactionally(ctx, async (tx, batch) => {
    await tx.deleteFrom('attachments').where('message_id', '=', message.id).execute();
    const row = await tx
      .updateTable('messages')
      .set({
        content: 'This message was deleted',
        content_type: 0,
        content_attributes: JSON.stringify({ deleted: true }),
        updated_at: new Date(),
      })
      .where('id', '=', message.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    batch.emit('message.updated', {
      accountId: ctx.account.id,
      conversationId: conversation.id,
      messageId: message.id,
      performer: performerOf(ctx),
    });
    return row;
  });
  await Promise.all(keys.map((k) => (k.storage_key ? ctx.storage.remove(k.storage_key) : undefined)));
  return (await render(ctx, conversation, [updated]))[0]!;
}
