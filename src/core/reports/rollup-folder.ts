/**
 * Folding report deltas into the rollups (migration 0100), on each node that runs jobs. Reports
 * read the deltas not yet folded as well, so folding late changes no answer: it only keeps the
 * deltas few. Batches claim their deltas with skip locked, so two nodes fold side by side.
 */
import { sql } from 'kysely';
import type { Db } from '../db/kysely.js';

/** Folds up to `limit` of the oldest deltas in one transaction; returns how many it folded. */
export async function foldReportDeltas(db: Db, limit: number): Promise<number> {
  return db.transaction().execute(async (tx) => {
    // a fold lost to a crash leaves its deltas in place, to be folded again: no need to wait for the WAL
    await sql`select set_config('synchronous_commit', 'off', true)`.execute(tx);
    const { rows } = await sql<{ folded: number }>`select report_rollups_fold(${limit}::int) as folded`.execute(tx);
    return rows[0]?.folded ?? 0;
  });
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
        while (!stopped && (await foldReportDeltas(deps.db, batchSize)) === batchSize);
      } catch (error) {
        // a deadlock with another node's batch, or the database going away: the deltas stay for the next round
        if (!stopped) deps.log.warn({ err: error }, 'report deltas could not be folded; trying again later');
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
