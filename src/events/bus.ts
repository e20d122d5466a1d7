import type { Db } from '../db/kysely.js';
import type { Conversation } from '../db/schema.js';
import type { MessageView } from '../serializers/message.js';

/**
 * Domain events with Chatwoot's dotted names (app/listeners, Events::Types). Payloads carry ids
 * and the performer; each listener (realtime, webhooks, bots) loads the shape it sends. Events
 * are published only after the transaction that caused them commits.
 */
export interface Performer { type: 'User' | 'AgentBot' | 'Contact'; id: number }

interface ConversationRef { accountId: number; conversationId: number; performer?: Performer }
/** Changed attributes as [previous, current] where the service that changed them knows both (webhooks' changed_attributes). */
export type AttributeChanges = Record<string, [unknown, unknown]>;
interface ContactRef { accountId: number; contactId: number; performer?: Performer }
interface InboxRef { accountId: number; inboxId: number; performer?: Performer }
interface MessageRef {
  accountId: number; conversationId: number; messageId: number; performer?: Performer;
  /** What the request already loaded (this node only): listeners need not read it again. */
  loaded?: { view: MessageView; conversation: Conversation };
}

export interface EventMap {
  'conversation.created': ConversationRef;
  'conversation.updated': ConversationRef & { changedAttributes: string[]; changes?: AttributeChanges };
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
  'message.created': MessageRef;
  'contact.created': ContactRef;
  'contact.updated': ContactRef;
  /** The contact is gone by the time listeners run: its push data travels with the event. */
  'contact.deleted': ContactRef & { snapshot: Record<string, unknown> };
  'contact.merged': ContactRef;
  'message.updated': MessageRef;
  'inbox.created': InboxRef;
  /** changes: the inbox row's changed columns as [previous, current] (Chatwoot's previous_changes, updated_at included). */
  'inbox.updated': InboxRef & { changes: AttributeChanges };
}

export type EventName = keyof EventMap;
export type DomainEvent = { [K in EventName]: { name: K; payload: EventMap[K] } }[EventName];
export type Listener = (event: DomainEvent) => void | Promise<void>;
/** Runs inside the transaction that caused the events (outbox rows, durable jobs); a failure aborts it. */
export type TransactionalListener = (tx: Db, events: readonly DomainEvent[]) => Promise<void>;

export class EventBus {
  readonly #listeners: Listener[] = [];
  readonly #transactional: TransactionalListener[] = [];
  #failed: (error: unknown, event: DomainEvent) => void = () => {};

  subscribe(listener: Listener): () => void {
    this.#listeners.push(listener);
    return () => this.#listeners.splice(this.#listeners.indexOf(listener), 1);
  }

  subscribeTransactional(listener: TransactionalListener): () => void {
    this.#transactional.push(listener);
    return () => this.#transactional.splice(this.#transactional.indexOf(listener), 1);
  }

  get hasTransactionalListeners(): boolean {
    return this.#transactional.length > 0;
  }

  /** Called by `transactionally` before commit. */
  async beforeCommit(tx: Db, events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const listener of this.#transactional) await listener(tx, events);
  }

  /** Where a listener's failure is reported; a failing listener never fails the request. */
  onError(report: (error: unknown, event: DomainEvent) => void): void {
    this.#failed = report;
  }

  publish(events: readonly DomainEvent[]): void {
    for (const event of events) {
      for (const listener of [...this.#listeners]) {
        try {
          const pending = listener(event);
          if (pending) pending.catch((error: unknown) => this.#failed(error, event));
        } catch (error) {
          this.#failed(error, event);
        }
      }
    }
  }
}

/** Collects the events of one unit of work, to publish once it has committed. */
export class EventBatch {
  readonly events: DomainEvent[] = [];
  emit<K extends EventName>(name: K, payload: EventMap[K]): void {
    this.events.push({ name, payload } as DomainEvent);
  }
}

/**
 * Runs `work` in a transaction, then publishes what it emitted. Jobs and outbox rows the work
 * writes through `tx` commit with it; listeners see only committed changes.
 */
export async function transactionally<T>(ctx: { db: Db; bus: EventBus }, work: (tx: Db, batch: EventBatch) => Promise<T>): Promise<T> {
  const batch = new EventBatch();
  const result = await ctx.db.transaction().execute(async (tx) => {
    const value = await work(tx, batch);
    await ctx.bus.beforeCommit(tx, batch.events);
    return value;
  });
  ctx.bus.publish(batch.events);
  return result;
}

/** Events of a change that needed no transaction of its own (typing, a single-statement write): same path. */
export async function announce(ctx: { db: Db; bus: EventBus }, events: DomainEvent[]): Promise<void> {
  if (!ctx.bus.hasTransactionalListeners) {
    ctx.bus.publish(events);
    return;
  }
  await transactionally(ctx, async (_tx, batch) => {
    batch.events.push(...events);
  });
}
