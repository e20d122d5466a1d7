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

function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `confab_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}

/** The pool as Kysely's dialect sees it, naming the marked statements. */
export function preparingPool(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      const query = (textOrCursor: unknown, parameters?: ReadonlyArray<unknown>) => {
        if (typeof textOrCursor === 'string' && textOrCursor.includes(PREPARED_MARK)) {
          return client.query({ name: statementName(textOrCursor), text: textOrCursor, values: parameters as unknown[] });
        }
        return (client.query as (...args: unknown[]) => unknown)(textOrCursor, parameters);
      };
      return { query: query as PostgresPoolClient['query'], release: (destroy?: boolean) => client.release(destroy) };
    },
    end: () => pool.end(),
  };
}
