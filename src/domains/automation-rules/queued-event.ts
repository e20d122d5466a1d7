import type { AutomationJob } from './listener.js';
import type { RuleEvent } from './validate.js';

/** An automation_events row: one event whose rules have not run yet. */
export interface QueuedEvent {
  id: number;
  account_id: number;
  event_name: RuleEvent;
  conversation_id: number;
  message_id: number | null;
  changed_attributes: Record<string, [unknown, unknown]> | null;
  occurred_at: Date;
}

/** The key the event's runs carry: unique per event, so a retried job never runs a rule twice for it. */
export const eventKey = (event: QueuedEvent) => `event:${event.id}`;

export const jobOf = (event: QueuedEvent): AutomationJob => ({
  account_id: event.account_id,
  event_name: event.event_name,
  conversation_id: event.conversation_id,
  message_id: event.message_id,
  changed_attributes: event.changed_attributes,
  event_key: eventKey(event),
  occurred_at: event.occurred_at.toISOString(),
});
