import type { Db } from '../db/kysely.js';

/**
 * Claims one piece of a job's work inside the transaction that does it: true the first time,
 * false when a previous try of the job already committed it. Key it by the job's id (stable across
 * graphile-worker's retries) and the piece: `macros_execution:<job id>:<conversation id>`.
 */
export async function claimJobPiece(tx: Db, key: string): Promise<boolean> {
  const row = await tx
    .insertInto('job_marks')
    .values({ key })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

/** Marks older than `days`: their jobs finished or failed long ago (the webhook log prune removes them). */
export async function pruneJobMarks(db: Db, days: number): Promise<void> {
  await db
    .deleteFrom('job_marks')
    .where('created_at', '<', new Date(Date.now() - days * 86_400_000))
    .execute();
}
