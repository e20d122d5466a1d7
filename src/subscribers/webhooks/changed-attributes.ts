import type { Conversation } from '../../core/db/schema.js';
import { CONVERSATION_UPDATE_KEYS as UPDATE_KEYS } from '../../core/events/conversation-update-keys.js';
import type { AttributeChanges, DomainEvent } from '../../core/events/bus.js';
import { CONVERSATION_PRIORITIES, CONVERSATION_STATUSES, enumName } from '../../core/db/enums.js';
import { SENDER_NAME_TYPES } from '../../serializers/inbox.js';
import { isoTime } from '../../serializers/time.js';

/**
 * Webhooks' `changed_attributes` (BaseListener#extract_changed_attributes): an array with one
 * single-key object per attribute, `[{ "status": { "previous_value": "open", "current_value": "resolved" } }]`,
 * values as Chatwoot's JSON has them (enums by name, times in ISO 8601).
 */
export function changedAttributesJson(changes: AttributeChanges, wire: (key: string, value: unknown) => unknown) {
  return Object.entries(changes).map(([key, [previous, current]]) => ({
    [key]: { previous_value: wire(key, previous), current_value: wire(key, current) },
  }));
}

const plain = (value: unknown) => (value instanceof Date ? isoTime(value) : (value ?? null));

export function conversationWireValue(key: string, value: unknown): unknown {
  if (typeof value === 'number' && key === 'status') return enumName(CONVERSATION_STATUSES, value);
  if (typeof value === 'number' && key === 'priority') return enumName(CONVERSATION_PRIORITIES, value);
  return plain(value);
}

/** A contact's columns as previous_changes renders them: timestamps ISO 8601, the rest as stored. */
export const contactWireValue = (_key: string, value: unknown): unknown => plain(value);

export function inboxWireValue(key: string, value: unknown): unknown {
  if (typeof value === 'number' && key === 'sender_name_type') return enumName(SENDER_NAME_TYPES, value);
  return plain(value);
}

/** One conversation's changes in a transaction; `null`: the attribute changed but its previous value is not known. */
export type PendingUpdate = Map<string, [unknown, unknown] | null>;

/**
 * Folds a transaction's events into one conversation_updated per conversation, as Chatwoot's
 * after_update_commit dispatches once with the record's previous_changes: status, assignee, team
 * and attribute changes of one conversation in one transaction make one delivery. A conversation
 * created in the same transaction gets none (Chatwoot: conversation_created only).
 */
export function pendingUpdates(
  events: readonly DomainEvent[],
): Map<number, { accountId: number; changes: PendingUpdate }> {
  const created = new Set(events.flatMap((e) => (e.name === 'conversation.created' ? [e.payload.conversationId] : [])));
  const updates = new Map<number, { accountId: number; changes: PendingUpdate }>();
  const note = (accountId: number, conversationId: number, key: string, change: [unknown, unknown] | undefined) => {
    if (created.has(conversationId) || !UPDATE_KEYS.has(key)) return;
    const entry = updates.get(conversationId) ?? { accountId, changes: new Map() };
    updates.set(conversationId, entry);
    const earlier = entry.changes.get(key);
    // several changes of one attribute: the first previous value, the last current one
    entry.changes.set(key, change ? [earlier ? earlier[0] : change[0], change[1]] : (earlier ?? null));
  };
  const noteAll = (
    accountId: number,
    conversationId: number,
    changes: AttributeChanges | undefined,
    keys = Object.keys(changes ?? {}),
  ) => {
    for (const key of keys) note(accountId, conversationId, key, changes?.[key]);
  };
  for (const e of events) {
    // an applied SLA's status change: conversation_updated with no changed attribute
    // (AppliedSla#push_conversation_event → dispatch_conversation_updated_event)
    if (
      e.name === 'conversation.updated' &&
      e.payload.changedAttributes.length === 0 &&
      !created.has(e.payload.conversationId)
    ) {
      if (!updates.has(e.payload.conversationId))
        updates.set(e.payload.conversationId, { accountId: e.payload.accountId, changes: new Map() });
    } else if (e.name === 'conversation.updated')
      noteAll(e.payload.accountId, e.payload.conversationId, e.payload.changes, e.payload.changedAttributes);
    else if (e.name === 'assignee.changed' || e.name === 'team.changed')
      noteAll(e.payload.accountId, e.payload.conversationId, e.payload.changes);
    else if (e.name === 'conversation.status_changed') {
      const previous = e.payload.previousStatus;
      note(
        e.payload.accountId,
        e.payload.conversationId,
        'status',
        previous === undefined ? undefined : [previous, undefined],
      );
    }
  }
  return updates;
}

/** The changes with current values read from the row (or the labels) where the events did not carry them. */
export async function resolveUpdate(
  changes: PendingUpdate,
  conversation: Conversation,
  labels: () => Promise<string[]>,
): Promise<AttributeChanges> {
  const row = conversation as unknown as Record<string, unknown>;
  const out: AttributeChanges = {};
  for (const [key, change] of changes) {
    let current = change?.[1];
    if (current === undefined) current = key === 'label_list' ? await labels() : row[key];
    out[key] = [change ? change[0] : null, current];
  }
  return out;
}
