import type { Contact, Conversation } from '../../core/db/schema.js';
import { rowChanges } from '../../core/db/row-changes.js';
import type { DomainEvent, EventMap, MessageLoaded, Performer } from '../../core/events/bus.js';

/** The reply times a message may move; Chatwoot saves them with `conversation.update`, which announces them. */
const REPLY_TIMES = ['waiting_since', 'first_reply_created_at'] as const;
export type ReplyTimes = Pick<Conversation, (typeof REPLY_TIMES)[number]>;
export type ContactActivity = Pick<Contact, 'last_activity_at' | 'updated_at'>;

const instant = (value: Date | string | null) => (value === null ? null : new Date(value).getTime());

/**
 * What a new message's side effects announce after message.created (and first.reply.created), in
 * Chatwoot's order: conversation.updated when it moved waiting_since or first_reply_created_at
 * (Message#dispatch_create_events and #update_waiting_since save them with `conversation.update`,
 * whose after_update_commit announces both keys), then contact.updated when a contact's message
 * moved its last_activity_at (Message#update_contact_activity: `sender.update`, previous_changes
 * with updated_at). `loaded`: what the request loaded for message.created, handed on.
 */
export function messageActivityEvents(
  performer: Performer | undefined,
  conversation: { before: ReplyTimes; after: Conversation },
  contact?: { before: ContactActivity; after: Contact },
  loaded?: MessageLoaded,
): DomainEvent[] {
  const events: DomainEvent[] = [];
  const { before, after } = conversation;
  const moved = REPLY_TIMES.filter((key) => instant(before[key]) !== instant(after[key]));
  if (moved.length) {
    events.push({
      name: 'conversation.updated',
      payload: {
        accountId: after.account_id,
        conversationId: after.id,
        performer,
        changedAttributes: [...moved],
        changes: Object.fromEntries(moved.map((key) => [key, [before[key], after[key]]])),
        ...(loaded ? { loaded } : {}),
      },
    });
  }
  if (contact) {
    const changes = rowChanges(contact.before, {
      last_activity_at: contact.after.last_activity_at,
      updated_at: contact.after.updated_at,
    });
    if (changes)
      events.push({
        name: 'contact.updated',
        payload: {
          accountId: contact.after.account_id,
          contactId: contact.after.id,
          performer,
          changes,
          loaded: contact.after,
        },
      });
  }
  return events;
}

/**
 * Everything a stored message announces, in Chatwoot's order: message.created, first.reply.created
 * right after it for the reply that set first_reply_created_at (Message#dispatch_create_events),
 * then what its side effects announce (messageActivityEvents). `loaded` goes with each event.
 */
export function messageCreatedEvents(
  ref: EventMap['message.created'],
  effects: {
    firstReply: boolean;
    conversation: { before: ReplyTimes; after: Conversation };
    contact?: { before: ContactActivity; after: Contact };
  },
): DomainEvent[] {
  return [
    { name: 'message.created', payload: ref },
    ...(effects.firstReply ? [{ name: 'first.reply.created' as const, payload: { ...ref } }] : []),
    ...messageActivityEvents(ref.performer, effects.conversation, effects.contact, ref.loaded),
  ];
}
