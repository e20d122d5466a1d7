import { createHash } from 'node:crypto';
import { sql, type PostgresPool, type PostgresPoolClient, type RawBuilder } from 'kysely';
import type pg from 'pg';

/**
 * Server-side prepared statements for the hot paths. PostgreSQL plans every unnamed statement
 * again on every call, and the Client API's message statement (a CTE of several writes and
 * subqueries) took longer to plan than to run. A statement carrying PREPARED_MARK is sent named
 * instead (its name: a hash of its text), so each connection parses it once and PostgreSQL
 * settles on a cached generic plan after a few runs. Opt-in, because every distinct text stays
 * prepared for the connection's life: only statements whose text does not vary with the data
 * (no growing IN lists) may carry the mark.
 */
export const PREPARED_MARK = '/*confab:prepared*/';

/** `query` sent as a named prepared statement. */
export function prepared<T>(query: RawBuilder<T>): RawBuilder<T> {
  return sql<T>`${sql.raw(PREPARED_MARK)} ${query}`;
}

const names = new Map<string, string>();
/** Bumped for a text whose prepared statement went stale, so it is prepared again under a new name. */
const generations = new Map<string, number>();

function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `confab_${createHash('sha1').update(text).digest('hex').slice(0, 20)}_${generations.get(text) ?? 0}`;
    names.set(text, name);
  }
  return name;
}

/**
 * PostgreSQL refuses to run a prepared statement whose result columns changed under it ("cached
 * plan must not change result type"): another node migrated a table this one selects `*` from.
 */
const isStalePlan = (error: unknown) =>
  (error as { code?: string }).code === '0A000' &&
  /cached plan must not change result type/.test((error as Error).message);

/** The pool as Kysely's dialect sees it, naming the marked statements. */
export function preparingPool(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      const query = (textOrCursor: unknown, parameters?: ReadonlyArray<unknown>) => {
        if (typeof textOrCursor === 'string' && textOrCursor.includes(PREPARED_MARK)) {
          const text = textOrCursor;
          const run = () => client.query({ name: statementName(text), text, values: parameters as unknown[] });
          return run().catch((error: unknown) => {
            if (!isStalePlan(error)) throw error;
            // prepare it afresh under a new name, on every connection; inside a transaction the retry
            // fails too (the transaction is aborted) and the original error is what the caller sees
            generations.set(text, (generations.get(text) ?? 0) + 1);
            names.delete(text);
            return run().catch(() => {
              throw error;
            });
          });
        }
        return (client.query as (...args: unknown[]) => unknown)(textOrCursor, parameters);
      };
      return { query: query as PostgresPoolClient['query'], release: (destroy?: boolean) => client.release(destroy) };
    },
    end: () => pool.end(),
  };
}
