import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { TextMessageInterest, TransactionalListener } from '../../core/events/bus.js';
import { recheckInboxSlas, scheduleSlaCheck, WATCHED_SLA_STATUSES } from '../conversations/sla.js';
import { ANY_PLAN } from '../../core/db/prepared.js';

/**
 * Keeps each watched applied SLA's check on time: a message (the first reply, a contact waiting
 * again, a reply ending the wait), a status change (resolving ends the SLA: hit or missed) or a
 * change of the reply times moves the due time, so the check runs again at once, in the
 * transaction of the change, and schedules itself for the next due time; so does an inbox update
 * (time zone, working-hours switch) for policies counting business hours. Chatwoot instead looks
 * at every active applied SLA every five minutes.
 */
export function slaListener(): TransactionalListener {
  return async (tx, events) => {
    const conversationIds = new Set<number>();
    const inboxesOf = new Map<number, number[]>();
    for (const event of events) {
      // an inbox's time zone or working-hours switch moves business-hours due times (a change of
      // the hours alone is not announced, as Inbox#dispatch_update_event: see README)
      if (event.name === 'inbox.updated')
        inboxesOf.set(event.payload.accountId, [
          ...(inboxesOf.get(event.payload.accountId) ?? []),
          event.payload.inboxId,
        ]);
      if (
        event.name === 'message.created' ||
        event.name === 'conversation.status_changed' ||
        (event.name === 'conversation.updated' &&
          event.payload.changedAttributes.some((key) => key === 'waiting_since' || key === 'first_reply_created_at'))
      )
        conversationIds.add(event.payload.conversationId);
    }
    for (const [accountId, inboxIds] of inboxesOf) await recheckInboxSlas(tx, accountId, inboxIds);
    if (conversationIds.size === 0) return;
    const watched = await watchedSlas(tx, [...conversationIds]);
    for (const id of watched) await scheduleSlaCheck(tx, id, new Date());
  };
}

async function watchedSlas(tx: Db, conversationIds: number[]): Promise<number[]> {
  const rows = await tx
    .selectFrom('applied_slas')
    .select('id')
    .modifyFront(ANY_PLAN)
    .where('conversation_id', 'in', conversationIds)
    .where('sla_status', 'in', WATCHED_SLA_STATUSES)
    .execute();
  return rows.map((r) => r.id);
}

/** A new text message concerns the SLA listener only in a conversation with a watched applied SLA. */
export const slaTextMessageInterest: TextMessageInterest = (place) => sql<boolean>`exists (
  select 1 from applied_slas where conversation_id = ${place.conversationId} and sla_status in (0, 3))`;
