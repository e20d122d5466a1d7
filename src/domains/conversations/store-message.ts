import { sql } from 'kysely';
import { conversationFromJson } from '../../core/db/json-rows.js';
import type { Conversation, Message } from '../../core/db/schema.js';
import type { Performer, Work } from '../../core/events/bus.js';
import { messageCreatedEvents } from './message-events.js';
import {
  CONTACT_RESULT,
  contactActivityOf,
  lockedColumns,
  messageKind,
  storeCtes,
  unreadAfter,
  type ContactResult,
} from './message-effects.js';
import { UNREAD_OF_C } from './views.js';
import { isRecent } from '../../core/realtime/presence.js';
import { prepared } from '../../core/db/prepared.js';

/** An attachment already written to storage, waiting for its message row. */
export interface StoredFile {
  storageKey: string;
  filename: string;
  contentType: string;
  size: number;
  fileType: number;
}

export interface NewMessage {
  messageType: number;
  contentType: number;
  content: string | null;
  private: boolean;
  contentAttributes: Record<string, unknown>;
  additionalAttributes: Record<string, unknown>;
  sourceId: string | null;
  sender: Performer | null;
  echoId: string | null;
  idempotencyKey: string | null;
  files: StoredFile[];
}

type StoredRow = Message &
  ContactResult & {
    conversation_json: Record<string, unknown>;
    waiting_before: Date | null;
    first_reply_before: Date | null;
    first_reply: boolean;
    unread_count: string;
    contact_source_id: string | null;
    sender_online: boolean | null;
  };

/**
 * What the statement that stored the message read besides (no query of its own): the
 * conversation's unread count and contact source id after it (conversationInfo's two values), and
 * for a user's message whether its sender is online (presence), for the message's push data.
 */
export interface StoredExtras {
  unreadCount: number;
  sourceId: string | null;
  senderOnline: boolean;
}

/**
 * Stores a message with its effects on the conversation and the contact (message-effects.ts: the
 * statement the single-statement paths run, here for one message of any kind) in the caller's
 * transaction, then its attachments, and emits what it announces. The conversation row is locked
 * first, so concurrent messages apply in order. Reopening is the caller's (insertMessage):
 * activity and template messages, which conversations write, never reopen. An echo_id or
 * Idempotency-Key stored already fails the statement (23505), for the caller to answer with the
 * stored message.
 */
export async function storeMessage(
  { tx, batch }: Work,
  { conversationId, message: input }: { conversationId: number; message: NewMessage },
): Promise<{ message: Message; conversation: Conversation; extras: StoredExtras }> {
  const kind = messageKind({
    messageType: input.messageType,
    private: input.private,
    senderType: input.sender?.type ?? null,
    automated: !!input.contentAttributes.automation_rule_id || !!input.additionalAttributes.campaign_id,
  });
  const values = {
    messageType: input.messageType,
    contentType: input.contentType,
    content: input.content,
    private: input.private,
    sourceId: input.sourceId,
    contentAttributes: input.contentAttributes,
    additionalAttributes: input.additionalAttributes,
    senderType: input.sender?.type ?? null,
    senderId: input.sender?.id ?? null,
    echoId: input.echoId,
    idempotencyKey: input.idempotencyKey,
  };
  // prepared (its text varies only with the message's kind and which optional values it has):
  // planning it took longer than running it; a plan gone stale under another node's migration
  // fails the transaction, which transactionally runs again under a new statement name
  const { rows } = await prepared(sql<StoredRow>`
    with conversation as (
      select c.id, c.account_id, c.inbox_id, c.agent_last_seen_at, ${UNREAD_OF_C} as unread_before, ${lockedColumns(kind)}
      from conversations c where c.id = ${conversationId}
      for update of c
    ), ${storeCtes(kind, values, { from: sql`conversation c` })}
    select m.*, to_jsonb(t) as conversation_json, cv.waiting_before, cv.first_reply_before, cv.first_reply,
      ${unreadAfter(kind, 'cv')} as unread_count,
      (select source_id from contact_inboxes where id = t.contact_inbox_id) as contact_source_id,
      (select ${isRecent('p')} from presence p
        where m.sender_type = 'User' and p.account_id = m.account_id and p.kind = 'User' and p.entity_id = m.sender_id) as sender_online,
      ${kind.fromContact ? CONTACT_RESULT : sql`null as contact_json, null as contact_before_last_activity_at, null as contact_before_updated_at`}
    from message m join conversation cv on cv.id = m.conversation_id join touched t on t.id = m.conversation_id
      ${kind.fromContact ? sql`left join contact u on u.id = m.sender_id` : sql``}`).execute(tx);
  const row = rows[0];
  if (!row) throw new Error(`conversation ${conversationId} not found`);
  const {
    conversation_json,
    waiting_before,
    first_reply_before,
    first_reply,
    contact_json,
    contact_before_last_activity_at,
    contact_before_updated_at,
    unread_count,
    contact_source_id,
    sender_online,
    ...message
  } = row;
  const conversation = conversationFromJson(conversation_json);
  if (input.files.length) {
    await tx
      .insertInto('attachments')
      .values(
        input.files.map((file) => ({
          account_id: message.account_id,
          message_id: message.id,
          file_type: file.fileType,
          storage_key: file.storageKey,
          filename: file.filename,
          content_type: file.contentType,
          file_size: file.size,
          extension: file.filename.includes('.') ? file.filename.split('.').pop()!.toLowerCase() : null,
        })),
      )
      .execute();
  }
  const ref = {
    accountId: message.account_id,
    conversationId: message.conversation_id,
    messageId: message.id,
    messageType: message.message_type,
    performer: input.sender ?? undefined,
  };
  batch.events.push(
    ...messageCreatedEvents(ref, {
      firstReply: first_reply,
      conversation: {
        before: { waiting_since: waiting_before, first_reply_created_at: first_reply_before },
        after: conversation,
      },
      contact: contactActivityOf({ contact_json, contact_before_last_activity_at, contact_before_updated_at }),
    }),
  );
  const extras = {
    unreadCount: Number(unread_count),
    sourceId: contact_source_id,
    senderOnline: sender_online === true,
  };
  return { message, conversation, extras };
}
