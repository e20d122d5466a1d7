/**
 * Group commit for a statement that can take many items at once. Under load most of a small
 * write's cost in PostgreSQL is per statement, not per row (bind, executor start-up, locking the
 * plan's relations, commit, the round trip), so items that arrive while `maxRunning` statements
 * are in flight wait and then go together in the next one. An item that finds a free slot goes
 * at once, alone: a quiet server adds no latency.
 *
 * `run` gets the items in arrival order and answers one result per item, in that order. When it
 * fails, every item of that run fails with its error (a caller with a fallback for a statement
 * that wrote nothing catches that error inside `run`, where it knows what was written).
 * Items of one `key` go one at a time, in arrival order: an item waits while an earlier one of its
 * key waits before it or is in flight (statements in flight may finish in any order).
 */
interface Waiting<Item, Result> {
  item: Item;
  key: string;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

export class StatementBatcher<Item, Result> {
  readonly #waiting: Array<Waiting<Item, Result>> = [];
  readonly #inFlight = new Set<string>();
  #running = 0;

  constructor(
    private readonly run: (items: Item[]) => Promise<Result[]>,
    private readonly limits: { maxRunning: number; maxItems: number; key: (item: Item) => string },
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ item, key: this.limits.key(item), resolve, reject });
      this.#start();
    });
  }

  #start(): void {
    while (this.#running < this.limits.maxRunning) {
      const batch = this.#take();
      if (batch.length === 0) return;
      this.#running++;
      this.run(batch.map((entry) => entry.item))
        .then(
          (results) => {
            for (const [index, entry] of batch.entries()) entry.resolve(results[index]!);
          },
          (error: unknown) => {
            for (const entry of batch) entry.reject(error);
          },
        )
        .finally(() => {
          this.#running--;
          for (const entry of batch) this.#inFlight.delete(entry.key);
          this.#start();
        });
    }
  }

  /** The next statement's items: up to maxItems whose key is free; the others keep their places. */
  #take(): Array<Waiting<Item, Result>> {
    const batch: Array<Waiting<Item, Result>> = [];
    const left: Array<Waiting<Item, Result>> = [];
    const held = new Set(this.#inFlight);
    for (const entry of this.#waiting) {
      if (batch.length < this.limits.maxItems && !held.has(entry.key)) batch.push(entry);
      else left.push(entry);
      // a key is taken by its first waiting item, whether it goes now or must wait
      held.add(entry.key);
    }
    this.#waiting.splice(0, this.#waiting.length, ...left);
    for (const entry of batch) this.#inFlight.add(entry.key);
    return batch;
  }
}
