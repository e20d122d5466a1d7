import { signal, transactionally, type Performer } from '../core/events/bus.js';
import type { Contact, Conversation } from '../core/db/schema.js';
import { ACTIVITY, writeActivity } from '../domains/conversations/activity.js';
import { setStatus, STATUS } from '../domains/conversations/status.js';
import { hasActiveBot } from '../domains/inboxes/queries.js';
import { publicConversationJson, type PublicConversationJson } from '../serializers/public-conversation.js';
import {
  findContactScope,
  findConversationScope,
  loadPublicConversationViews,
  visibleConversations,
  type ContactPath,
  type ConversationPath,
} from './queries.js';
import { MESSAGE_STATUS, MESSAGE_TYPE } from '../core/db/enums.js';
import type { PublicCtx } from './service.js';

const TYPING_EVENTS = {
  on: 'conversation.typing_on',
  off: 'conversation.typing_off',
  recording: 'conversation.recording',
} as const;

const contactPerformer = (contact: Contact): Performer => ({ type: 'Contact', id: contact.id });

/** Ruby's String#capitalize, which Chatwoot applies to the contact's name in its activity message. */
const capitalize = (name: string) => name.charAt(0).toUpperCase() + name.slice(1).toLowerCase();

async function render(
  ctx: PublicCtx,
  conversations: Conversation[],
  contact: Contact,
): Promise<PublicConversationJson[]> {
  const views = await loadPublicConversationViews(ctx.db, conversations, [contact]);
  return views.map((view) => publicConversationJson(view, ctx.storage));
}

/** GET .../contacts/:contact_identifier/conversations. */
export async function listConversations(ctx: PublicCtx, path: ContactPath) {
  const scope = await findContactScope(ctx.db, path.inboxIdentifier, path.contactIdentifier);
  const conversations = await visibleConversations(ctx.db, scope).orderBy('id').execute();
  return render(ctx, conversations, scope.contact);
}

/** GET .../conversations/:id. */
export async function showConversation(ctx: PublicCtx, path: ConversationPath) {
  const scope = await findConversationScope(ctx.db, path.inboxIdentifier, path.contactIdentifier, path.displayId);
  return (await render(ctx, [scope.conversation], scope.contact))[0]!;
}

/**
 * POST .../contacts/:contact_identifier/conversations: ConversationBuilder with the contact inbox
 * (an inbox locked to a single conversation returns the open one) and the Conversation model's
 * status rules: resolved for a blocked contact, pending when an agent bot handles the inbox.
 */
export async function createConversation(
  ctx: PublicCtx,
  { customAttributes, ...path }: ContactPath & { customAttributes: Record<string, unknown> | null | undefined },
) {
  const { inbox, contactInbox, contact } = await findContactScope(ctx.db, path.inboxIdentifier, path.contactIdentifier);
  const conversation = await transactionally(ctx, async (tx, batch) => {
    if (inbox.lock_to_single_conversation) {
      const existing = await tx
        .selectFrom('conversations')
        .selectAll()
        .where('contact_inbox_id', '=', contactInbox.id)
        .where('status', '!=', STATUS.resolved)
        .orderBy('id', 'desc')
        .executeTakeFirst();
      if (existing) return existing;
    }
    const status = contact.blocked
      ? STATUS.resolved
      : (await hasActiveBot(tx, inbox.id))
        ? STATUS.pending
        : STATUS.open;
    const now = new Date();
    const created = await tx
      .insertInto('conversations')
      .values({
        account_id: inbox.account_id,
        inbox_id: inbox.id,
        contact_id: contact.id,
        contact_inbox_id: contactInbox.id,
        status,
        additional_attributes: '{}',
        custom_attributes: JSON.stringify(customAttributes ?? {}),
        waiting_since: now,
        last_activity_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    batch.emit('conversation.created', {
      accountId: inbox.account_id,
      conversationId: created.id,
      performer: contactPerformer(contact),
    });
    return created;
  });
  return (await render(ctx, [conversation], contact))[0]!;
}

/**
 * POST .../conversations/:id/toggle_status: the contact can only resolve. The activity message
 * names the contact ("Conversation was resolved by …"); like Chatwoot (Current.user is nil on the
 * Client API) the status event carries no performer.
 */
export async function resolveConversation(ctx: PublicCtx, path: ConversationPath) {
  const { conversation, contact } = await findConversationScope(
    ctx.db,
    path.inboxIdentifier,
    path.contactIdentifier,
    path.displayId,
  );
  if (conversation.status === STATUS.resolved) return (await render(ctx, [conversation], contact))[0]!;
  const updated = await transactionally(ctx, async (tx, batch) => {
    const current = await tx
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', conversation.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (current.status === STATUS.resolved) return current;
    const resolved = await setStatus(
      { tx, batch },
      { conversation: current, status: 'resolved', cause: { kind: 'system' } },
    );
    await writeActivity(
      { tx, batch },
      { conversation: resolved, content: ACTIVITY.status.contactResolved(capitalize(contact.name)) },
    );
    return resolved;
  });
  return (await render(ctx, [updated], contact))[0]!;
}

/** POST .../conversations/:id/toggle_typing: on, off or recording; anything else is a no-op. */
export async function toggleTyping(
  ctx: PublicCtx,
  { typingStatus, ...path }: ConversationPath & { typingStatus: string | null | undefined },
) {
  const { conversation, contact } = await findConversationScope(
    ctx.db,
    path.inboxIdentifier,
    path.contactIdentifier,
    path.displayId,
  );
  const status = typingStatus ?? '';
  if (!Object.hasOwn(TYPING_EVENTS, status)) return;
  // typing changes no row: nothing to commit its webhooks with (see signal)
  await signal(ctx, [
    {
      name: TYPING_EVENTS[status as keyof typeof TYPING_EVENTS],
      payload: {
        accountId: conversation.account_id,
        conversationId: conversation.id,
        performer: contactPerformer(contact),
        isPrivate: false,
      },
    },
  ]);
}

/**
 * POST .../conversations/:id/update_last_seen: contact_last_seen_at moves to now, and what the
 * contact has now seen (outgoing and template messages up to now) becomes `read`, as
 * Conversations::UpdateMessageStatusJob does — here in the same transaction.
 */
export async function updateLastSeen(ctx: PublicCtx, path: ConversationPath) {
  const { conversation, contact } = await findConversationScope(
    ctx.db,
    path.inboxIdentifier,
    path.contactIdentifier,
    path.displayId,
  );
  await transactionally(ctx, async (tx, batch) => {
    const now = new Date();
    await tx
      .updateTable('conversations')
      .set({ contact_last_seen_at: now })
      .where('id', '=', conversation.id)
      .execute();
    const read = await tx
      .updateTable('messages')
      .set({ status: MESSAGE_STATUS.read, updated_at: now })
      .where('conversation_id', '=', conversation.id)
      .where('message_type', 'in', [MESSAGE_TYPE.outgoing, MESSAGE_TYPE.template])
      .where('private', '=', false)
      .where('status', 'in', [MESSAGE_STATUS.sent, MESSAGE_STATUS.delivered])
      .where('created_at', '<=', now)
      .returning('id')
      .execute();
    for (const { id } of read) {
      batch.emit('message.updated', {
        accountId: conversation.account_id,
        conversationId: conversation.id,
        messageId: id,
        performer: contactPerformer(contact),
      });
    }
  });
}
