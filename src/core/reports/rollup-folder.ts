/**
 * Folding deltas into the rows they add up to, on each node that runs jobs: report deltas into the
 * rollups (migration 0100) and label-count deltas into the conversation list's label counters
 * (0154). Readers read the deltas not yet folded as well, so folding late changes no answer: it
 * only keeps the deltas few. Batches claim their deltas with skip locked, so two nodes fold side by side.
 */
import { sql } from 'kysely';
import type { Db } from '../db/kysely.js';

/** The folding functions (each folds up to `limit` of its oldest deltas and says how many). */
const FOLDS = [sql`report_rollups_fold`, sql`conversation_label_counts_fold`];

/** Folds up to `limit` of the oldest deltas of one kind in one transaction; returns how many it folded. */
async function foldDeltas(db: Db, fold: (typeof FOLDS)[number], limit: number): Promise<number> {
  return db.transaction().execute(async (tx) => {
    // a fold lost to a crash leaves its deltas in place, to be folded again: no need to wait for the WAL
    await sql`select set_config('synchronous_commit', 'off', true)`.execute(tx);
    const { rows } = await sql<{ folded: number }>`select ${fold}(${limit}::int) as folded`.execute(tx);
    return rows[0]?.folded ?? 0;
  });
}

/** One round: every kind folded once; whether any filled its batch (more may be waiting). */
async function foldRound(db: Db, limit: number): Promise<boolean> {
  let full = false;
  for (const fold of FOLDS) if ((await foldDeltas(db, fold, limit)) === limit) full = true;
  return full;
}

export interface RollupFolder {
  stop(): Promise<void>;
}

/** Folds batches back to back while deltas remain, then waits `idleMs`. */
export function startRollupFolder(
  deps: { db: Db; log: { warn(obj: unknown, msg: string): void } },
  options: { idleMs: number; batchSize?: number },
): RollupFolder {
  const batchSize = options.batchSize ?? 5_000;
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      try {
        while (!stopped && (await foldRound(deps.db, batchSize)));
      } catch (error) {
        // a deadlock with another node's batch, or the database going away: the deltas stay for the next round
        if (!stopped) deps.log.warn({ err: error }, 'deltas could not be folded; trying again later');
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.idleMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
