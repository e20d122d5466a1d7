import type { Db } from '../../core/db/kysely.js';
import type { Conversation, Message } from '../../core/db/schema.js';
import { MESSAGE_TYPE } from '../../core/db/enums.js';
import type { Work } from '../../core/events/bus.js';
import { reopenFor, type StatusCause } from './status.js';
import { storeMessage, type NewMessage, type StoredExtras } from './store-message.js';

export type { NewMessage, StoredFile } from './store-message.js';

/** A message already stored under this echo_id or Idempotency-Key, for a retried POST. */
export async function findReplay(
  db: Db,
  conversationId: number,
  input: Pick<NewMessage, 'echoId' | 'idempotencyKey'>,
): Promise<Message | undefined> {
  if (!input.echoId && !input.idempotencyKey) return undefined;
  return db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where((eb) =>
      eb.or([
        ...(input.echoId ? [eb('echo_id', '=', input.echoId)] : []),
        ...(input.idempotencyKey ? [eb('idempotency_key', '=', input.idempotencyKey)] : []),
      ]),
    )
    .executeTakeFirst();
}

/**
 * Stores a message as Chatwoot's Message callbacks do, in the caller's transaction: storeMessage
 * (the row, its attachments, its effects on the conversation and the contact), then for an
 * incoming message the reopening of a snoozed or resolved conversation (reopenFor). Chatwoot
 * reopens in the message's after_create, before its create events go out: the reopening's events
 * (its activity message, conversation.status_changed) come before the message's own.
 */
export async function insertMessage(
  work: Work,
  {
    conversationId,
    message: input,
    reopenCause,
  }: { conversationId: number; message: NewMessage; reopenCause: StatusCause },
): Promise<{ message: Message; conversation: Conversation; extras: StoredExtras }> {
  const { batch } = work;
  const emittedBefore = batch.events.length;
  const stored = await storeMessage(work, { conversationId, message: input });
  if (input.messageType !== MESSAGE_TYPE.incoming) return stored;
  const own = batch.events.splice(emittedBefore);
  const conversation = await reopenFor(work, { conversation: stored.conversation, cause: reopenCause });
  batch.events.push(...own);
  return { message: stored.message, conversation, extras: stored.extras };
}
