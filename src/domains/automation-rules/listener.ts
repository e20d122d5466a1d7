import { CONVERSATION_UPDATE_KEYS as UPDATE_KEYS } from '../../core/events/conversation-update-keys.js';
import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import {
  CONVERSATION_PRIORITIES,
  CONVERSATION_STATUS,
  CONVERSATION_STATUSES,
  enumName,
  MESSAGE_TYPE,
} from '../../core/db/enums.js';
import type {
  DomainEvent,
  TextMessageFollowUp,
  TextMessageInterest,
  TransactionalListener,
} from '../../core/events/bus.js';
import type { RuleEvent } from './validate.js';
import { ANY_PLAN } from '../../core/db/prepared.js';

/**
 * The graphile-worker task that runs an account's rules for one event, rule by rule where it must
 * (run.ts): the drainer (drain.ts) hands it the events it cannot run itself — a conversation gone,
 * conditions that fail as SQL, an event that fails in its batch.
 */
export const AUTOMATION_RULES = 'automation_rules';

/** What the job receives: one event, named by a key unique to it (a retry finds the rules it already ran). */
export interface AutomationJob {
  account_id: number;
  event_name: RuleEvent;
  conversation_id: number;
  message_id: number | null;
  /** conversation_updated: attribute → [previous, current], enums by name (Chatwoot's changed_attributes). */
  changed_attributes: Record<string, [unknown, unknown]> | null;
  event_key: string;
  /** When the event happened (ISO): "today" for days_before conditions. */
  occurred_at: string;
}

/**
 * The transactions an automation rule's run writes in. Every event they emit was caused by the rule
 * (Chatwoot's Current.executed_by = rule: performed_by is the AutomationRule), so none of them runs
 * rules: rules never chain, whatever the event's performer says.
 */
const ruleTransactions = new WeakSet<Db>();
export const markRuleTransaction = (tx: Db) => ruleTransactions.add(tx);

interface Candidate {
  accountId: number;
  event: RuleEvent;
  conversationId: number;
  messageId: number | null;
  changes: Map<string, [unknown, unknown] | null> | null;
}

/** A rule-relevant candidate per event; conversation_updated folded into one per conversation, as Chatwoot's after_update_commit. */
function candidatesOf(events: readonly DomainEvent[]): Candidate[] {
  const out: Candidate[] = [];
  const created = new Set<number>();
  const updates = new Map<number, Candidate>();
  const noteUpdate = (accountId: number, conversationId: number, key: string, change: [unknown, unknown] | null) => {
    if (!UPDATE_KEYS.has(key)) return;
    let entry = updates.get(conversationId);
    if (!entry) {
      entry = { accountId, event: 'conversation_updated', conversationId, messageId: null, changes: new Map() };
      updates.set(conversationId, entry);
    }
    const earlier = entry.changes!.get(key);
    entry.changes!.set(key, change ? [earlier ? earlier[0] : change[0], change[1]] : (earlier ?? null));
  };
  for (const e of events) {
    // loop guard: Chatwoot's performed_by_automation?
    if (e.payload.performer?.type === 'AutomationRule') continue;
    switch (e.name) {
      case 'conversation.created':
        created.add(e.payload.conversationId);
        out.push({ ...base(e.payload), event: 'conversation_created' });
        break;
      case 'conversation.status_changed':
        // opened / resolved are decided on the status after the transaction (update only)
        if (e.payload.previousStatus !== undefined) {
          out.push({ ...base(e.payload), event: 'conversation_opened' });
          noteUpdate(e.payload.accountId, e.payload.conversationId, 'status', [e.payload.previousStatus, undefined]);
        } else noteUpdate(e.payload.accountId, e.payload.conversationId, 'status', null);
        break;
      case 'conversation.updated':
        for (const key of e.payload.changedAttributes)
          noteUpdate(e.payload.accountId, e.payload.conversationId, key, e.payload.changes?.[key] ?? null);
        break;
      case 'assignee.changed':
      case 'team.changed':
        for (const [key, change] of Object.entries(e.payload.changes ?? {}))
          noteUpdate(e.payload.accountId, e.payload.conversationId, key, change);
        break;
      case 'message.created':
        out.push({ ...base(e.payload), event: 'message_created', messageId: e.payload.messageId });
        break;
      default:
        break;
    }
  }
  for (const [conversationId, update] of updates) if (!created.has(conversationId)) out.push(update);
  return out;
}

const base = (payload: { accountId: number; conversationId: number }) => ({
  accountId: payload.accountId,
  conversationId: payload.conversationId,
  messageId: null,
  changes: null,
});

/** Chatwoot's changed_attributes values: status and priority by name, times as ISO text. */
function wireValue(key: string, value: unknown): unknown {
  if (typeof value === 'number' && key === 'status') return enumName(CONVERSATION_STATUSES, value);
  if (typeof value === 'number' && key === 'priority') return enumName(CONVERSATION_PRIORITIES, value);
  if (value instanceof Date) return value.toISOString();
  return value ?? null;
}

/** The events among these for which the account has an active rule. */
async function eventsWithRules(tx: Db, accountId: number, names: RuleEvent[]): Promise<Set<string>> {
  const rows = await tx
    .selectFrom('automation_rules')
    .select('event_name')
    .modifyFront(ANY_PLAN)
    .distinct()
    .where('account_id', '=', accountId)
    .where('active', '=', true)
    .where('event_name', 'in', names)
    .execute();
  return new Set(rows.map((row) => row.event_name));
}

/**
 * AutomationRuleListener as a transactional bus subscriber: for an event of an account with an
 * active rule for it, queues an automation event (automation_events) in the causing transaction, so
 * the rules run exactly when the change commits (drain.ts), and a crash loses neither. Events an
 * automation caused and activity messages run no rules.
 */
export function automationListener(): TransactionalListener {
  return async (tx, events) => {
    if (ruleTransactions.has(tx)) return;
    const candidates = candidatesOf(events);
    if (candidates.length === 0) return;
    const byAccount = new Map<number, Candidate[]>();
    for (const c of candidates) byAccount.set(c.accountId, [...(byAccount.get(c.accountId) ?? []), c]);
    const occurredAt = new Date().toISOString();
    for (const [accountId, list] of byAccount) {
      const names = [...new Set(list.map((c) => c.event))];
      if (names.includes('conversation_opened')) names.push('conversation_resolved');
      const withRules = await eventsWithRules(tx, accountId, names);
      if (withRules.size === 0) continue;
      const queued = [];
      for (const candidate of list) {
        const event = await eventFor(tx, candidate, withRules);
        if (event) queued.push(event);
      }
      if (queued.length)
        await tx
          .insertInto('automation_events')
          .values(
            queued.map((e) => ({
              ...e,
              changed_attributes: e.changed_attributes && JSON.stringify(e.changed_attributes),
              occurred_at: occurredAt,
            })),
          )
          .execute();
    }
  };
}

type QueuedEvent = Pick<
  AutomationJob,
  'account_id' | 'event_name' | 'conversation_id' | 'message_id' | 'changed_attributes'
>;

async function eventFor(tx: Db, candidate: Candidate, withRules: Set<string>): Promise<QueuedEvent | null> {
  let event = candidate.event;
  let changed: AutomationJob['changed_attributes'] = null;
  const conversationIs = () =>
    tx
      .selectFrom('conversations')
      .modifyFront(ANY_PLAN)
      .selectAll()
      .where('id', '=', candidate.conversationId)
      .where('account_id', '=', candidate.accountId)
      .executeTakeFirst();
  if (event === 'conversation_opened') {
    // conversation.opened / conversation.resolved: the status the change left
    const conversation = await conversationIs();
    if (conversation?.status === CONVERSATION_STATUS.open) event = 'conversation_opened';
    else if (conversation?.status === CONVERSATION_STATUS.resolved) event = 'conversation_resolved';
    else return null;
  }
  if (!withRules.has(event)) return null;
  if (event === 'message_created') {
    const message = await tx
      .selectFrom('messages')
      .modifyFront(ANY_PLAN)
      .select(['message_type', 'content_attributes'])
      .where('id', '=', candidate.messageId!)
      .executeTakeFirst();
    // ignore_message_created_event?: activity messages; and auto-reply e-mails
    if (!message || message.message_type === MESSAGE_TYPE.activity) return null;
    const email = (message.content_attributes as Record<string, unknown> | null)?.email;
    if (email && typeof email === 'object' && (email as Record<string, unknown>).auto_reply) return null;
  }
  if (event === 'conversation_updated') {
    const conversation = await conversationIs();
    if (!conversation) return null;
    const row = conversation as unknown as Record<string, unknown>;
    changed = {};
    for (const [key, change] of candidate.changes ?? []) {
      const current = change && change[1] !== undefined ? change[1] : key === 'label_list' ? null : row[key];
      changed[key] = [wireValue(key, change ? change[0] : null), wireValue(key, current)];
    }
  }
  return {
    account_id: candidate.accountId,
    event_name: event,
    conversation_id: candidate.conversationId,
    message_id: candidate.messageId,
    changed_attributes: changed,
  };
}

/**
 * The listener has work for a new text message it cannot queue with it (automationTextMessageFollowUp):
 * the account has an active conversation_updated rule and the message may move the reply times
 * Chatwoot announces as conversation.updated — a contact's message starts waiting_since, an agent's
 * reply ends it or is the first reply. Everyone else keeps the one-statement path.
 */
export const automationTextMessageInterest: TextMessageInterest = (place) =>
  sql<boolean>`exists (select 1 from automation_rules where automation_rules.account_id = ${place.accountId}
    and automation_rules.active and automation_rules.event_name = 'conversation_updated')
    and exists (select 1 from conversations where conversations.id = ${place.conversationId}
      and ${place.authorUserId === null ? sql`conversations.waiting_since is null` : sql`(conversations.waiting_since is not null or conversations.first_reply_created_at is null)`})`;

/**
 * A text message stored by a one-statement path queues its message_created event in that statement
 * when the account has an active message_created rule (the SQL function of migration 0065): the
 * event the listener would have queued, committed with the message.
 */
export const automationTextMessageFollowUp: TextMessageFollowUp = (place) =>
  sql`automation_message_created(${place.accountId}::bigint, ${place.conversationId}::bigint, ${place.messageId}::bigint)`;
