import { sql } from 'kysely';
import type { Conversation } from '../../core/db/schema.js';
import type { Performer, Work } from '../../core/events/bus.js';
import { hasActiveBot } from '../inboxes/queries.js';
import { CONVERSATION_STATUS, CONVERSATION_STATUSES, enumName, type ConversationStatus } from '../../core/db/enums.js';
import { ACTIVITY, writeActivity } from './activity.js';
import { sendCsatSurvey } from './csat.js';

/** The statuses' stored integers (core/db/enums.ts), under the name the conversation code reads. */
export const STATUS = CONVERSATION_STATUS;
/** The statuses an incoming message keeps (reopenFor changes the others): the single-statement paths take only these. */
export const KEPT_BY_INCOMING: readonly number[] = [STATUS.open, STATUS.pending];
export const SNOOZE_WAKE = 'conversation_snooze_wake';
const snoozeJobKey = (conversationId: number) => `conversation_snooze:${conversationId}`;

/** Who changed the status, for the activity message Chatwoot writes. */
export type StatusCause =
  | { kind: 'actor'; name: string; performer: Performer }
  | { kind: 'contact_reopen'; performer: Performer }
  /** Account auto-resolve (Conversations::ResolutionJob): the account's auto_resolve_after, in minutes. */
  | { kind: 'auto_resolve'; minutes: number }
  | { kind: 'system' };

/**
 * Sets a conversation's status as Chatwoot's model callbacks do: snoozed_until only while snoozed
 * (a durable wake-up job is scheduled for it, or cancelled), waiting_since cleared on resolve, and
 * the activity message of the cause. Returns the updated row.
 */
export interface StatusChange {
  conversation: Conversation;
  status: ConversationStatus;
  cause: StatusCause;
  /** Kept only when the status is snoozed. */
  snoozedUntil?: Date | null;
}

export async function setStatus(
  { tx, batch }: Work,
  { conversation, status, cause, snoozedUntil = null }: StatusChange,
): Promise<Conversation> {
  const value = STATUS[status];
  const until = status === 'snoozed' ? snoozedUntil : null;
  const updated = await tx
    .updateTable('conversations')
    .set({
      status: value,
      snoozed_until: until,
      ...(status === 'resolved' ? { waiting_since: null } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', conversation.id)
    .returningAll()
    .executeTakeFirstOrThrow();

  if (until) {
    await sql`select graphile_worker.add_job(${SNOOZE_WAKE}, ${JSON.stringify({ conversation_id: conversation.id })}::json,
      run_at => ${until}::timestamptz, job_key => ${snoozeJobKey(conversation.id)}, job_key_mode => 'replace', max_attempts => 10)`.execute(
      tx,
    );
  } else if (conversation.snoozed_until) {
    await sql`select graphile_worker.remove_job(${snoozeJobKey(conversation.id)})`.execute(tx);
  }
  if (conversation.status === value) return updated;

  const performer = cause.kind === 'system' || cause.kind === 'auto_resolve' ? undefined : cause.performer;
  const content =
    cause.kind === 'actor'
      ? ACTIVITY.status[status](cause.name)
      : cause.kind === 'contact_reopen'
        ? ACTIVITY.status.systemAutoOpen()
        : cause.kind === 'auto_resolve' && status === 'resolved'
          ? ACTIVITY.status.autoResolved(cause.minutes)
          : undefined;
  if (content) await writeActivity({ tx, batch }, { conversation: updated, content });
  batch.emit('conversation.status_changed', {
    accountId: conversation.account_id,
    conversationId: conversation.id,
    performer,
    previousStatus: conversation.status,
  });
  if (status === 'resolved') await sendCsatSurvey(tx, batch, updated);
  return updated;
}

export const statusName = (conversation: Conversation) => enumName(CONVERSATION_STATUSES, conversation.status);

/**
 * What an incoming message does to its conversation's status (Message#reopen_conversation): a
 * snoozed or resolved conversation opens — pending when an agent bot handles the inbox, and a
 * snoozed one without the contact's activity message — unless the contact is blocked (muted).
 * Returns the conversation after.
 */
export async function reopenFor(
  { tx, batch }: Work,
  { conversation, cause }: { conversation: Conversation; cause: StatusCause },
): Promise<Conversation> {
  if (KEPT_BY_INCOMING.includes(conversation.status)) return conversation;
  const contact = await tx
    .selectFrom('contacts')
    .select('blocked')
    .where('id', '=', conversation.contact_id)
    .executeTakeFirst();
  if (contact?.blocked) return conversation;
  if (conversation.status === STATUS.snoozed) {
    return setStatus(
      { tx, batch },
      { conversation, status: 'open', cause: cause.kind === 'contact_reopen' ? { kind: 'system' } : cause },
    );
  }
  return setStatus(
    { tx, batch },
    { conversation, status: (await hasActiveBot(tx, conversation.inbox_id)) ? 'pending' : 'open', cause },
  );
}
