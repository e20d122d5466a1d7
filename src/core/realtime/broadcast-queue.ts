import type { NewCableEvent } from './store.js';

interface Ticket {
  events?: NewCableEvent[];
  resolve?: () => void;
  reject?: (error: unknown) => void;
}

/** Broadcasts stored in one round trip at most: the NOTIFY payload (ids) must stay under PostgreSQL's 8000 bytes. */
const MAX_BROADCASTS_PER_STORE = 200;

/**
 * Puts a node's broadcasts into the event store in the order their domain events were published,
 * and few round trips. Each event takes a ticket when published; its listener loads what it sends
 * (concurrently with the others) and fills the ticket; tickets leave strictly in order, so a
 * message whose listener was slow is not overtaken by the next one on the same streams. Ready
 * broadcasts wait behind the one store in flight and go together in the next: the store
 * serializes on a lock anyway (ids in commit order), so one writer per node also keeps pool
 * connections from queueing on that lock.
 */
export class BroadcastQueue {
  readonly #tickets: Ticket[] = [];
  readonly #ready: Array<Required<Ticket>> = [];
  #storing = false;

  constructor(private readonly store: (events: NewCableEvent[]) => Promise<void>) {}

  /**
   * Works out one published event's broadcasts (`work`, none when it yields nothing) and resolves
   * once they are stored, in publication order.
   */
  async inOrder(work: () => Promise<NewCableEvent[] | undefined>): Promise<void> {
    const ticket: Ticket = {};
    this.#tickets.push(ticket);
    let entries: NewCableEvent[];
    try {
      entries = (await work()) ?? [];
    } catch (error) {
      // a failed listener must not hold the ones behind it
      void this.#fill(ticket, []);
      throw error;
    }
    return this.#fill(ticket, entries);
  }

  #fill(ticket: Ticket, entries: NewCableEvent[]): Promise<void> {
    ticket.events = entries
      .map((e) => ({ ...e, streams: [...new Set(e.streams)] }))
      .filter((e) => e.streams.length > 0);
    const stored = new Promise<void>((resolve, reject) => Object.assign(ticket, { resolve, reject }));
    this.#release();
    return stored;
  }

  /** Moves the filled tickets at the head into the store queue, in order. */
  #release(): void {
    while (this.#tickets[0]?.events) {
      const ticket = this.#tickets.shift() as Required<Ticket>;
      if (ticket.events.length === 0) ticket.resolve();
      else this.#ready.push(ticket);
    }
    if (this.#ready.length > 0 && !this.#storing) {
      this.#storing = true;
      setImmediate(() => void this.#storeReady());
    }
  }

  async #storeReady(): Promise<void> {
    while (this.#ready.length > 0) {
      const batch = this.#ready.splice(0, MAX_BROADCASTS_PER_STORE);
      try {
        await this.store(batch.flatMap((ticket) => ticket.events));
        for (const ticket of batch) ticket.resolve();
      } catch (error) {
        for (const ticket of batch) ticket.reject(error);
      }
    }
    this.#storing = false;
  }
}
