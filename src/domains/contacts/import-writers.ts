/**
 * Lets two import batches be written at once with the result of writing them one after the other.
 *
 * A batch can only change contacts its own keys name: the ones it found (whose keys it may
 * overwrite) and the ones it creates (with its rows' keys). So a batch whose keys, its rows' and
 * those of the contacts it found, meet none of an earlier batch still in flight neither sees nor
 * touches anything that batch writes, and the two commit in either order to the same contacts,
 * without waiting on each other's row locks. A batch that does meet an earlier one waits for its
 * commit and looks its contacts up again, as it would have found them written one after the other.
 */

/** The keys a batch reads and writes by, as the upsert matches them (exact values, per field). */
export type KeyedValues = { identifier?: string | null; email?: string | null; phone_number?: string | null };

export function keysOf(values: Iterable<KeyedValues>, into = new Set<string>()): Set<string> {
  for (const v of values) {
    if (v.identifier) into.add(`i:${v.identifier}`);
    if (v.email) into.add(`e:${v.email}`);
    if (v.phone_number) into.add(`p:${v.phone_number}`);
  }
  return into;
}

const meets = (a: Set<string>, b: Set<string>) => {
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  for (const key of small) if (large.has(key)) return true;
  return false;
};

/** One batch being written: its keys once its lookup is final, and its end (commit or failure). */
export class Flight {
  /** Resolves with every key the batch reads and writes by, once no earlier batch can change them. */
  readonly keys: Promise<Set<string>>;
  /** Settles (never rejects) when the batch has committed or failed. */
  done: Promise<void> = Promise.resolve();
  ended = false;
  private settleKeys!: (keys: Set<string>) => void;

  /** Earlier batches that had not ended when this one started: its lookup may not have seen their writes. */
  private earlier: Flight[];

  constructor(
    private readonly rowKeys: Set<string>,
    /** The batches in flight when this one is about to start, all earlier in row order. */
    inFlight: Flight[],
  ) {
    this.keys = new Promise((resolve) => (this.settleKeys = resolve));
    this.earlier = inFlight.filter((other) => !other.ended);
  }

  /**
   * Called with the contacts the batch's lookup found: waits for every earlier batch its keys meet
   * to end, and says whether it did (the caller then looks up again, and claims again). An earlier
   * batch that ended while the lookup ran still counts: the lookup may have read before its commit.
   */
  async claim(found: Iterable<KeyedValues>): Promise<boolean> {
    const mine = keysOf(found, new Set(this.rowKeys));
    const waitedFor: Flight[] = [];
    for (const other of this.earlier) {
      if (meets(mine, await other.keys)) {
        await other.done;
        waitedFor.push(other);
      }
    }
    if (waitedFor.length === 0) {
      this.settleKeys(mine);
      return false;
    }
    // the lookup again starts after they ended, so sees all they wrote
    this.earlier = this.earlier.filter((other) => !waitedFor.includes(other));
    return true;
  }

  /** The batch has ended: later batches need not wait for its lookup (a settled promise keeps its first value). */
  end(): void {
    this.ended = true;
    this.settleKeys(new Set());
    // let go of the batches before it: each holds its keys, and through its own earlier ones every
    // batch of the import would stay in memory
    this.earlier = [];
  }
}
