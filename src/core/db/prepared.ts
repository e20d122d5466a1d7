import { createHash } from 'node:crypto';
import {
  createQueryId,
  sql,
  type Compilable,
  type CompiledQuery,
  type Kysely,
  type PostgresPool,
  type PostgresPoolClient,
  type QueryResult,
  type RawBuilder,
  type RootOperationNode,
} from 'kysely';
import type pg from 'pg';
import type { Database } from './schema.js';

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

/** A value bound at each call of a statement compiled once (PreparedOnce): the parameter it stands for. */
class Slot {
  constructor(readonly key: string) {}
}

/** What a PreparedOnce's builder gets for the values: each a parameter of the statement, bound at every call. */
export type Slots<Values> = { readonly [K in keyof Values]: RawBuilder<Values[K]> };

interface Template {
  query: RootOperationNode;
  sql: string;
  /** The compiled parameters: a Slot where a call's value goes, else a value of the statement's shape. */
  parameters: readonly unknown[];
}

/**
 * A prepared statement of a hot path, built and compiled once per shape: each call binds its own
 * values into the compiled parameters, instead of composing the statement's fragments and compiling
 * them again (a statement of several CTEs is thousands of nodes for Kysely to walk, per message), and
 * the same text each time is one lookup for its prepared name. `build` returns a raw statement
 * (sent prepared) or a query builder (marked with PREPARED_MARK by modifyFront); it gets the values as parameters
 * (Slots), so nothing it writes can depend on them; `identify` names what else the text depends
 * on: an owner object (the event bus whose listeners' interests it embeds) and a key (the rest of
 * the shape). `build` must read nothing of `shape` that `identify` leaves out.
 */
export class PreparedOnce<Shape, Values extends Record<string, unknown>, Row> {
  readonly #templates = new WeakMap<object, Map<string, Template>>();

  constructor(
    private readonly build: (shape: Shape, values: Slots<Values>) => RawBuilder<Row> | Compilable<Row>,
    private readonly identify: (shape: Shape) => readonly [owner: object, key: string],
  ) {}

  /** The statement for `shape` with `values` bound, as `prepared(build(shape, values))` compiles it. */
  compile(db: Kysely<Database>, shape: Shape, values: Values): CompiledQuery<Row> {
    const [owner, key] = this.identify(shape);
    let templates = this.#templates.get(owner);
    if (!templates) {
      templates = new Map();
      this.#templates.set(owner, templates);
    }
    let template = templates.get(key);
    if (!template) {
      const slots = Object.fromEntries(Object.keys(values).map((name) => [name, sql`${new Slot(name)}`]));
      const built = this.build(shape, slots as Slots<Values>);
      // a query builder carries PREPARED_MARK itself (modifyFront)
      const compiled = 'isRawBuilder' in built ? prepared(built).compile(db) : built.compile();
      template = { query: compiled.query, sql: compiled.sql, parameters: compiled.parameters };
      templates.set(key, template);
    }
    return {
      query: template.query,
      queryId: createQueryId(),
      sql: template.sql,
      parameters: template.parameters.map((parameter) =>
        parameter instanceof Slot ? values[parameter.key] : parameter,
      ),
    };
  }

  execute(db: Kysely<Database>, shape: Shape, values: Values): Promise<QueryResult<Row>> {
    return db.executeQuery(this.compile(db, shape, values));
  }
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
