import { sql, type SqlBool } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { Contact, Conversation, Message } from '../../core/db/schema.js';
import type { EventBatch, Performer } from '../../core/events/bus.js';
import { hasActiveBot } from '../inboxes/queries.js';
import { setStatus, STATUS, type StatusCause } from '../conversations/status.js';
import { messageActivityEvents, type ContactActivity } from './activity-events.js';

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

const INCOMING = 0;
const OUTGOING = 1;

/** A message already stored under this echo_id or Idempotency-Key, for a retried POST. */
export async function findReplay(db: Db, conversationId: number, input: Pick<NewMessage, 'echoId' | 'idempotencyKey'>): Promise<Message | undefined> {
  if (!input.echoId && !input.idempotencyKey) return undefined;
  return db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId)
    .where((eb) => eb.or([
      ...(input.echoId ? [eb('echo_id', '=', input.echoId)] : []),
      ...(input.idempotencyKey ? [eb('idempotency_key', '=', input.idempotencyKey)] : []),
    ]))
    .executeTakeFirst();
}

/** Chatwoot's human_response?: an agent's (User's) outgoing message not sent by automation or a campaign. */
function isHumanResponse(input: NewMessage): boolean {
  return input.messageType === OUTGOING && input.sender?.type === 'User'
    && !input.contentAttributes.automation_rule_id && !input.additionalAttributes.campaign_id;
}

/**
 * Stores a message and applies what Chatwoot's Message callbacks do to its conversation, in the
 * caller's transaction (the conversation row is locked first, so concurrent messages apply in order):
 * an incoming message reopens a snoozed or resolved conversation (pending when a bot handles the
 * inbox) unless the contact is blocked; every message moves last_activity_at; an agent's first
 * public reply sets first_reply_created_at; waiting_since starts with an incoming message and ends
 * with a human (or bot) reply; a contact sender's last_activity_at moves.
 */
export async function insertMessage(
  tx: Db, batch: EventBatch, conversationId: number, input: NewMessage, reopenCause: StatusCause,
): Promise<{ message: Message; conversation: Conversation }> {
  let conversation = await tx.selectFrom('conversations').selectAll().where('id', '=', conversationId).forUpdate().executeTakeFirstOrThrow();
  const message = await tx.insertInto('messages').values({
    account_id: conversation.account_id,
    inbox_id: conversation.inbox_id,
    conversation_id: conversation.id,
    message_type: input.messageType,
    content_type: input.contentType,
    content: input.content,
    private: input.private,
    source_id: input.sourceId,
    content_attributes: JSON.stringify(input.contentAttributes),
    additional_attributes: JSON.stringify(input.additionalAttributes),
    external_source_ids: '{}',
    sentiment: '{}',
    sender_type: input.sender?.type ?? null,
    sender_id: input.sender?.id ?? null,
    echo_id: input.echoId,
    idempotency_key: input.idempotencyKey,
  }).returningAll().executeTakeFirstOrThrow();
  if (input.files.length) {
    await tx.insertInto('attachments').values(input.files.map((file) => ({
      account_id: conversation.account_id, message_id: message.id, file_type: file.fileType, storage_key: file.storageKey,
      filename: file.filename, content_type: file.contentType, file_size: file.size,
      extension: file.filename.includes('.') ? file.filename.split('.').pop()!.toLowerCase() : null,
    }))).execute();
  }

  if (input.messageType === INCOMING) conversation = await reopen(tx, batch, conversation, reopenCause);

  const changes: { last_activity_at: Date; first_reply_created_at?: Date | null; waiting_since?: Date | null } = { last_activity_at: message.created_at };
  const human = isHumanResponse(input);
  if (human && !input.private && !conversation.first_reply_created_at && await isFirstPublicReply(tx, conversation.id)) {
    changes.first_reply_created_at = message.created_at;
    changes.waiting_since = null;
  } else {
    const botReply = input.messageType === OUTGOING && input.sender?.type === 'AgentBot';
    if (conversation.waiting_since && !input.private && (human || botReply)) changes.waiting_since = null;
    if (input.messageType === INCOMING && !conversation.waiting_since) changes.waiting_since = message.created_at;
  }
  const before = conversation;
  // Rails' update of the reply times touches updated_at too
  const touched = changes.first_reply_created_at !== undefined || changes.waiting_since !== undefined ? { updated_at: message.created_at } : {};
  conversation = await tx.updateTable('conversations').set({ ...changes, ...touched }).where('id', '=', conversation.id).returningAll().executeTakeFirstOrThrow();
  const contact = input.sender?.type === 'Contact' ? await touchContact(tx, input.sender.id) : undefined;
  const ref = { accountId: conversation.account_id, conversationId: conversation.id, messageId: message.id, performer: input.sender ?? undefined };
  batch.emit('message.created', ref);
  // Message#dispatch_create_events: first.reply.created right after message.created, for the reply that set it
  if (changes.first_reply_created_at) batch.emit('first.reply.created', { ...ref });
  batch.events.push(...messageActivityEvents(ref.performer, { before, after: conversation }, contact));
  return { message, conversation };
}

/** A contact's message moves its last_activity_at (and updated_at, as Rails' update does); the values before come along. */
async function touchContact(tx: Db, contactId: number): Promise<{ before: ContactActivity; after: Contact } | undefined> {
  const row = await tx.updateTable('contacts as c')
    .from(sql<ContactActivity & { id: number }>`(select id, last_activity_at, updated_at from contacts where id = ${contactId} for update)`.as('old'))
    .set({ last_activity_at: sql`now()`, updated_at: sql`now()` })
    .whereRef('c.id', '=', 'old.id')
    .returning(['old.last_activity_at as previous_last_activity_at', 'old.updated_at as previous_updated_at'])
    .returningAll('c')
    .executeTakeFirst();
  if (!row) return undefined;
  const { previous_last_activity_at, previous_updated_at, ...after } = row;
  return { before: { last_activity_at: previous_last_activity_at, updated_at: previous_updated_at }, after };
}

/** Chatwoot counts an agent's public replies: the first one is the first reply. */
async function isFirstPublicReply(tx: Db, conversationId: number): Promise<boolean> {
  const { n } = await tx.selectFrom('messages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('conversation_id', '=', conversationId).where('message_type', '=', OUTGOING).where('private', '=', false)
    .where((eb) => eb.or([eb('sender_type', 'is', null), eb('sender_type', '!=', 'AgentBot')]))
    .where(sql<SqlBool>`(additional_attributes -> 'campaign_id') is null`)
    .executeTakeFirstOrThrow();
  return Number(n) <= 1;
}

async function reopen(tx: Db, batch: EventBatch, conversation: Conversation, cause: StatusCause): Promise<Conversation> {
  if (conversation.status !== STATUS.snoozed && conversation.status !== STATUS.resolved) return conversation;
  const contact = await tx.selectFrom('contacts').select('blocked').where('id', '=', conversation.contact_id).executeTakeFirst();
  if (contact?.blocked) return conversation;
  if (conversation.status === STATUS.snoozed) {
    return setStatus(tx, batch, conversation, 'open', cause.kind === 'contact_reopen' ? { kind: 'system' } : cause);
  }
  return setStatus(tx, batch, conversation, await hasActiveBot(tx, conversation.inbox_id) ? 'pending' : 'open', cause);
}
