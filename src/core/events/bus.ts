import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/kysely.js';
import { isStalePlan } from '../db/prepared.js';
import type { Contact, Conversation } from '../db/schema.js';
import type { AttributeChanges } from '../db/row-changes.js';
import type { MessageView, NotificationView, PushView } from '../db/views.js';

export type { AttributeChanges };

/**
 * Domain events with Chatwoot's dotted names (app/listeners, Events::Types). Payloads carry ids
 * and the performer; each listener (realtime, webhooks, bots) loads the shape it sends. A write
 * emits its events through `transactionally`, which runs the transactional listeners inside it and
 * publishes only after it commits; `signal` is for the few events that record no change. (The
 * single-statement message paths publish directly, but only after their statement found that no
 * transactional listener has work for the message it could not do in that statement: see
 * TextMessageInterest and TextMessageFollowUp.)
 */
export interface Performer {
  /**
   * AutomationRule: a rule's job made the change (listeners skip it, as Chatwoot's
   * performed_by_automation?). AssignmentPolicy / Inbox: auto-assignment did (Assignment V2's
   * Current.executed_by); no user, so no push data or notification actor, and rules still run.
   */
  type: 'User' | 'AgentBot' | 'Contact' | 'AutomationRule' | 'AssignmentPolicy' | 'Inbox';
  id: number;
}

interface ConversationRef {
  accountId: number;
  conversationId: number;
  performer?: Performer;
}
interface NotificationRef {
  accountId: number;
  userId: number;
  notificationId: number;
  performer?: Performer;
  /**
   * The notification as its transaction wrote it, with what it renders with, when the listener
   * that wrote it had all of that at hand (this node only): the broadcast need not read it again.
   */
  loaded?: NotificationView;
  /** The user's default list's counts as the transaction left them, when it counted them (the broadcast then does not). */
  counts?: NotificationCounts;
}
/** NotificationFinder's count and unread_count of a user's default list (unread, not snoozed): the same number. */
export interface NotificationCounts {
  count: number;
  unreadCount: number;
}
interface ContactRef {
  accountId: number;
  contactId: number;
  performer?: Performer;
}
interface InboxRef {
  accountId: number;
  inboxId: number;
  performer?: Performer;
}
interface MessageRef {
  accountId: number;
  conversationId: number;
  messageId: number;
  performer?: Performer;
  loaded?: MessageLoaded;
}

/**
 * What the request that stored a message already loaded (this node only): listeners need not read
 * it again. `pushView`: what the conversation's push data embeds, when the request read it.
 */
export interface MessageLoaded {
  view: MessageView;
  conversation: Conversation;
  /** The account's id and name, as the request read them (webhook bodies name the account). */
  account?: { id: number; name: string };
  audience?: MessageAudience;
  pushView?: PushView;
  /**
   * The conversation and its push view as a transactional listener read them in its round
   * (`round`: that round's events), with the message as its last chat message: a later listener
   * of the same round may use them instead of reading them again.
   */
  current?: { round: readonly DomainEvent[]; conversation: Conversation; view: PushView };
}

/** Who a message goes to on /cable, when the write that stored it found out already. */
export interface MessageAudience {
  agents: string[];
  contacts: string[];
}

export interface EventMap {
  'conversation.created': ConversationRef;
  /** loaded: when a message's side effects caused it, what its request loaded (the conversation after them, the message). */
  'conversation.updated': ConversationRef & {
    changedAttributes: string[];
    changes?: AttributeChanges;
    loaded?: MessageLoaded;
  };
  /** previousStatus: the status before (Chatwoot's changed_attributes in webhooks). */
  'conversation.status_changed': ConversationRef & { previousStatus?: number };
  'conversation.read': ConversationRef;
  'conversation.contact_changed': ConversationRef;
  'conversation.typing_on': ConversationRef & { isPrivate: boolean };
  'conversation.typing_off': ConversationRef & { isPrivate: boolean };
  'conversation.recording': ConversationRef & { isPrivate: boolean };
  'conversation.deleted': ConversationRef;
  'assignee.changed': ConversationRef & { changes?: AttributeChanges };
  'team.changed': ConversationRef & { changes?: AttributeChanges };
  /** messageType: the stored message's, so a listener that wants some types reads nothing for the others. */
  'message.created': MessageRef & { messageType: number };
  'contact.created': ContactRef;
  /** changes: the contact row's changed columns as [previous, current] (Chatwoot's previous_changes); none when only updated_at moved. */
  'contact.updated': ContactRef & {
    changes?: AttributeChanges /** The row after the change, when the write returned it (this node only). */;
    loaded?: Contact;
  };
  /** The contact is gone by the time listeners run: its push data travels with the event. */
  'contact.deleted': ContactRef & { snapshot: Record<string, unknown> };
  'contact.merged': ContactRef;
  'message.updated': MessageRef;
  /** An agent's first public reply set the conversation's first_reply_created_at (Message#valid_first_reply?). */
  'first.reply.created': MessageRef;
  /** A private note mentioned this user (Mention#notify_mentioned_user). */
  'conversation.mentioned': ConversationRef & { userId: number };
  'notification.created': NotificationRef;
  'notification.updated': NotificationRef;
  /** The rows are gone by the time listeners run: their ids travel with the event, one broadcast each. */
  'notification.deleted': {
    accountId: number;
    userId: number;
    notificationIds: number[];
    performer?: Performer;
    counts?: NotificationCounts;
  };
  /** A label, inbox or team changed: the account's cache keys (epoch-second strings) after the change. */
  'account.cache_invalidated': {
    accountId: number;
    cacheKeys: { label: string; inbox: string; team: string };
    performer?: Performer;
  };
  'inbox.created': InboxRef;
  /** changes: the inbox row's changed columns as [previous, current] (Chatwoot's previous_changes, updated_at included). */
  'inbox.updated': InboxRef & { changes: AttributeChanges };
}

export type EventName = keyof EventMap;

/**
 * Whether this round of events stored another message in the same conversation after `message`
 * (messages of earlier rounds are older; later rounds' are not stored yet): if not, `message` is
 * its conversation's newest.
 */
export const storedLater = (
  round: readonly DomainEvent[],
  message: { conversationId: number; messageId: number },
): boolean =>
  round.some(
    (e) =>
      e.name === 'message.created' &&
      e.payload.conversationId === message.conversationId &&
      e.payload.messageId > message.messageId,
  );
export type DomainEvent = { [K in EventName]: { name: K; payload: EventMap[K] } }[EventName];
/**
 * Runs after commit, once for each event. `published` is the whole batch the event was published
 * with (one unit of work's events, the same array for each), so a listener can share what it loads
 * for several of them.
 */
export type Listener = (event: DomainEvent, published: readonly DomainEvent[]) => void | Promise<void>;
/**
 * Runs inside the transaction that caused the events (outbox rows, durable jobs); a failure aborts
 * it. What it emits on `followUps` (a notification a message caused) is written in the same
 * transaction, goes through the transactional listeners in turn, and is published after commit.
 */
export type TransactionalListener = (tx: Db, events: readonly DomainEvent[], followUps: EventBatch) => Promise<void>;

/** A value in SQL: a parameter, or an expression of the statement it goes into. */
export type SqlValue = number | RawBuilder<unknown>;

/** Where a new message goes: what a transactional listener's SQL condition may look at. */
export interface NewMessagePlace {
  accountId: SqlValue;
  inboxId: SqlValue;
  conversationId: SqlValue;
  /** The agent who wrote it; null for a contact's message. */
  authorUserId: SqlValue | null;
}

/**
 * SQL that is true when the listener has work for a new public text message at `place` — a
 * contact's, or an agent's reply — (a webhook is subscribed, an assignee is to be notified). The
 * hot paths store such a message in one statement guarded by `not (this)`: when nobody listens it
 * needs no transaction, and when somebody does it takes the transactional path. It may say yes too
 * often, never too rarely.
 */
export type TextMessageInterest = (place: NewMessagePlace) => RawBuilder<boolean>;

/**
 * SQL a one-statement path evaluates once for every message it stored (`messageId` the new row's
 * id), in that statement: the listener's durable follow-up that needs nothing but the message — a
 * job it queues, notifications, deliveries — written with the message instead of declining the
 * path. Its value (null: nothing done) goes to the listener's AfterTextMessageFollowUp, if any.
 */
export type TextMessageFollowUp = (place: FollowUpPlace) => RawBuilder<unknown>;

/**
 * After the one-statement path committed, with what its follow-up returned (never null) and what
 * the statement loaded (the conversation's push view among it): the events the follow-up's writes
 * announce (`emit`, published with the message's), and work that finishes them (a promise the bus
 * waits for in `settled` and reports the failure of).
 */
export type AfterTextMessageFollowUp = (
  value: unknown,
  loaded: MessageLoaded,
  emit: (event: DomainEvent) => void,
) => void | Promise<void>;

/**
 * What a follow-up may read of the stored message: its place and id, and for an agent's reply
 * (`reply`) what the statement saw of the conversation before it (the reply times it moved) and
 * the message's stored time.
 */
export interface FollowUpPlace extends NewMessagePlace {
  messageId: SqlValue;
  reply?: {
    /** Boolean SQL: the reply is the conversation's first (it set first_reply_created_at). */
    firstReply: RawBuilder<unknown>;
    /** The conversation's waiting_since before the reply. */
    waitingBefore: RawBuilder<unknown>;
    /** The message's created_at. */
    createdAt: RawBuilder<unknown>;
  };
}

interface TransactionalEntry {
  listener: TransactionalListener;
  textMessageInterest?: TextMessageInterest;
  textMessageFollowUp?: TextMessageFollowUp;
  afterTextMessageFollowUp?: AfterTextMessageFollowUp;
}

/** What a transactional listener says of text messages besides its own listener (see the types). */
export interface TextMessageHandling {
  textMessageInterest?: TextMessageInterest;
  textMessageFollowUp?: TextMessageFollowUp;
  afterTextMessageFollowUp?: AfterTextMessageFollowUp;
}

export class EventBus {
  readonly #listeners: Listener[] = [];
  /** Each with its interest in text messages; none where the listener always has work for one. */
  readonly #transactional: TransactionalEntry[] = [];
  #failed: (error: unknown, event: DomainEvent) => void = () => {};
  /** Listeners' work still running for events published so far (a broadcast's reads, a drain's wake-up). */
  readonly #running = new Set<Promise<void>>();
  #transactionalGeneration = 0;

  subscribe(listener: Listener): () => void {
    this.#listeners.push(listener);
    return () => this.#listeners.splice(this.#listeners.indexOf(listener), 1);
  }

  subscribeTransactional(listener: TransactionalListener, options: TextMessageHandling = {}): () => void {
    const entry = { listener, ...options };
    this.#transactional.push(entry);
    this.#transactionalGeneration++;
    return () => {
      this.#transactional.splice(this.#transactional.indexOf(entry), 1);
      this.#transactionalGeneration++;
    };
  }

  /**
   * Changes whenever a transactional listener comes or goes: a statement compiled once with
   * textMessageUnheeded's text (PreparedOnce) keys on it.
   */
  get transactionalGeneration(): number {
    return this.#transactionalGeneration;
  }

  /**
   * SQL that is true when no transactional listener has work for a new public text message at
   * `place` (always false when one of them did not say when it has).
   */
  textMessageUnheeded(place: NewMessagePlace): RawBuilder<boolean> {
    const interests = this.#transactional.map((entry) => entry.textMessageInterest);
    if (interests.some((interest) => interest === undefined)) return sql<boolean>`false`;
    if (interests.length === 0) return sql<boolean>`true`;
    return sql<boolean>`not (${sql.join(
      interests.map((interest) => interest!(place)),
      sql` or `,
    )})`;
  }

  get #followingUp(): TransactionalEntry[] {
    return this.#transactional.filter((entry) => entry.textMessageFollowUp);
  }

  /**
   * The listeners' follow-ups of a message stored by a one-statement path, as one SQL value: a
   * jsonb array of their values (null when there are none), for publishFollowedUp.
   */
  textMessageFollowUps(place: FollowUpPlace): RawBuilder<unknown> {
    const followUps = this.#followingUp.map((entry) => entry.textMessageFollowUp!(place));
    if (followUps.length === 0) return sql`null::jsonb`;
    return sql`jsonb_build_array(${sql.join(followUps.map((followUp) => sql`to_jsonb((${followUp}))`))})`;
  }

  /**
   * SQL that is true when the follow-ups' values (`values`: textMessageFollowUps' column) hold one
   * that a listener finishes after commit: the statement then reads what that needs (the push view).
   */
  textMessageFollowedUp(values: RawBuilder<unknown>): RawBuilder<boolean> {
    const finished = this.#followingUp.flatMap((entry, index) =>
      entry.afterTextMessageFollowUp
        ? [sql`coalesce(jsonb_typeof(${values} -> ${sql.lit(index)}) <> 'null', false)`]
        : [],
    );
    return finished.length ? sql<boolean>`(${sql.join(finished, sql` or `)})` : sql<boolean>`false`;
  }

  /**
   * Publishes a one-statement path's events for one message, with what its follow-ups announce
   * (`values`: the message's textMessageFollowUps column) after them. Resolves when the follow-ups'
   * finishing work has (a failure is reported, not thrown: the message is stored, and what its
   * follow-up left unfinished is for a repair of the listener's own, such as tasks/webhook-render.ts):
   * a request answers after it, so that an answered message's deliveries are ready to drain even
   * if the node dies right after answering.
   */
  publishFollowedUp(events: readonly DomainEvent[], values: unknown, loaded: MessageLoaded): Promise<void> {
    const all = [...events];
    const finishing: Promise<void>[] = [];
    if (Array.isArray(values)) {
      for (const [index, entry] of this.#followingUp.entries()) {
        const value: unknown = values[index];
        if (value === null || value === undefined || !entry.afterTextMessageFollowUp) continue;
        try {
          const work = entry.afterTextMessageFollowUp(value, loaded, (event) => all.push(event));
          if (work) finishing.push(this.#track(work, events[0]!));
        } catch (error) {
          this.#failed(error, events[0]!);
        }
      }
    }
    this.publish(all);
    return finishing.length ? Promise.all(finishing).then(() => undefined) : Promise.resolve();
  }

  /** Adds listener work to what `settled` waits for; the promise it returns never rejects. */
  #track(pending: Promise<void>, event: DomainEvent): Promise<void> {
    const running = pending.then(
      () => undefined,
      (error: unknown) => this.#failed(error, event),
    );
    this.#running.add(running);
    void running.finally(() => this.#running.delete(running));
    return running;
  }

  get hasTransactionalListeners(): boolean {
    return this.#transactional.length > 0;
  }

  /** Called by `transactionally` before commit; follow-up events join the batch (and get a round of their own). */
  async beforeCommit(tx: Db, batch: EventBatch): Promise<void> {
    let done = 0;
    while (done < batch.events.length) {
      const round = batch.events.slice(done);
      done = batch.events.length;
      for (const { listener } of this.#transactional) await listener(tx, round, batch);
    }
  }

  /** Where a listener's failure is reported; a failing listener never fails the request. */
  onError(report: (error: unknown, event: DomainEvent) => void): void {
    this.#failed = report;
  }

  /**
   * Resolves when the listeners' work for every event published before the call has finished: the
   * realtime listener reads what it broadcasts after commit, so a test that sends its next change
   * only after this sees each broadcast read before that change.
   */
  async settled(): Promise<void> {
    await Promise.all([...this.#running]);
  }

  publish(events: readonly DomainEvent[]): void {
    for (const event of events) {
      for (const listener of [...this.#listeners]) {
        try {
          const pending = listener(event, events);
          if (pending) this.#track(pending, event);
        } catch (error) {
          this.#failed(error, event);
        }
      }
    }
  }
}

/**
 * What a write helper works in: the open transaction and the batch its events join. Helpers take
 * `(work, input)`; `transactionally` hands its callback the two parts.
 */
export interface Work {
  tx: Db;
  batch: EventBatch;
}

/** Collects the events of one unit of work, to publish once it has committed. */
export class EventBatch {
  readonly events: DomainEvent[] = [];
  emit<K extends EventName>(name: K, payload: EventMap[K]): void {
    this.events.push({ name, payload } as DomainEvent);
  }
}

/**
 * The one entry point for a write with events: runs `work` in a transaction, lets the
 * transactional listeners write their rows (webhook deliveries, notifications, jobs) in that same
 * transaction, then publishes what it emitted. The change and its outbox rows commit together or
 * not at all; after-commit listeners see only committed changes. A transaction PostgreSQL aborts for
 * a conflict with another (deadlock, serialization failure) runs once more, `work` and all.
 */
export async function transactionally<T>(
  ctx: { db: Db; bus: EventBus },
  work: (tx: Db, batch: EventBatch) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const batch = new EventBatch();
    try {
      const result = await ctx.db.transaction().execute(async (tx) => {
        const value = await work(tx, batch);
        await ctx.bus.beforeCommit(tx, batch);
        return value;
      });
      ctx.bus.publish(batch.events);
      return result;
    } catch (error) {
      // PostgreSQL rolled the whole transaction back, events and all: run it once more
      if (attempt >= TRANSACTION_ATTEMPTS || !isTransientConflict(error)) throw error;
    }
  }
}

/** A deadlock's or serialization failure's transaction is tried this many times in all. */
const TRANSACTION_ATTEMPTS = 2;

/**
 * deadlock_detected (40P01) or serialization_failure (40001): PostgreSQL aborted the transaction
 * because of another one running at the same time, not because of what it did; run again, it can
 * pass. So can one whose prepared statement went stale under another node's migration (isStalePlan):
 * the next run prepares it under a new name.
 */
export function isTransientConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code } = error as { code?: unknown };
  return ((code === '40P01' || code === '40001') && 'severity' in error) || isStalePlan(error);
}

/** Events that record no change: someone is typing. Only these are published without a write. */
export type SignalName = 'conversation.typing_on' | 'conversation.typing_off' | 'conversation.recording';
export type SignalEvent = Extract<DomainEvent, { name: SignalName }>;

/**
 * Publishes events that record no change (typing indicators). With no write to commit with, their
 * transactional listeners (a conversation_typing_on webhook) get a transaction of their own, and
 * that transaction is then the whole change. A write never publishes this way — a crash between its
 * commit and a second transaction would lose its deliveries — but through `transactionally`; the
 * type allows only the event names above.
 */
export async function signal(ctx: { db: Db; bus: EventBus }, events: SignalEvent[]): Promise<void> {
  if (!ctx.bus.hasTransactionalListeners) {
    ctx.bus.publish(events);
    return;
  }
  await transactionally(ctx, async (_tx, batch) => {
    batch.events.push(...events);
  });
}
