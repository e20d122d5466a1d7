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

/**
 * A statement whose plan cannot depend on its values (a lookup by a unique key, an insert of
 * values): sent unnamed, as any other, but in whichever plan mode its connection is in. Without
 * it, each such statement between two prepared ones cost two more round trips (the SETs of
 * preparingPool, which pg sends one after the other) — half the round trips of an agent's reply
 * that notifies the assignee and queues a webhook.
 */
export const ANY_PLAN_MARK = '/*confab:any-plan*/';

/**
 * ANY_PLAN_MARK for a query builder: `.modifyFront(ANY_PLAN)` on a select, `.modifyEnd(ANY_PLAN)` on
 * an insert, update or delete. Outside a transaction each statement takes whichever pooled connection
 * is idle, in whichever mode the last one left it: a lookup by key in the rendering of an event paid
 * a SET about every other time.
 */
export const ANY_PLAN = sql.raw(ANY_PLAN_MARK);

/** `query` marked ANY_PLAN_MARK. */
export function anyPlan<T>(query: RawBuilder<T>): RawBuilder<T> {
  return sql<T>`${ANY_PLAN} ${query}`;
}

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
export const isStalePlan = (error: unknown) =>
  (error as { code?: string }).code === '0A000' &&
  /cached plan must not change result type/.test((error as Error).message);

/**
 * The plan mode a pooled connection is in: `generic` while it runs marked statements (their
 * generic plan from the first run), `auto` (PostgreSQL's default: a plan for the values) for every
 * other statement with parameters. A generic plan of an unnamed statement knows none of its values:
 * it cannot use a partial index whose predicate a parameter decides, nor the statistics of a value
 * or a range, and plan_cache_mode applies to unnamed statements too (the CSAT metrics' sent-survey
 * count took 35 ms instead of 0.6 ms on 100k conversations under force_generic_plan). `unknown`
 * after a rollback or an error: a SET made inside a transaction that rolls back is undone.
 */
type PlanMode = 'generic' | 'auto' | 'unknown';
const planModes = new WeakMap<object, PlanMode>();
const SET_MODE: Record<Exclude<PlanMode, 'unknown'>, string> = {
  generic: 'set plan_cache_mode = force_generic_plan',
  auto: 'set plan_cache_mode = auto',
};
const ROLLBACK = /^\s*rollback\b/i;

/** The pool as Kysely's dialect sees it, naming the marked statements and setting each one's plan mode. */
export function preparingPool(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      // a new connection starts in PostgreSQL's default (kysely.ts sets no plan_cache_mode)
      if (!planModes.has(client)) planModes.set(client, 'auto');
      // pg sends a client's queries in order: the SET goes ahead of the statement without a wait here
      // (which keeps a cursor's query synchronous, as Kysely's streaming needs)
      const inMode = (mode: Exclude<PlanMode, 'unknown'>) => {
        if (planModes.get(client) === mode) return;
        planModes.set(client, mode);
        client.query(SET_MODE[mode]).catch(() => planModes.set(client, 'unknown'));
      };
      const forget = (error: unknown) => {
        planModes.set(client, 'unknown');
        throw error;
      };
      const query = (textOrCursor: unknown, parameters?: ReadonlyArray<unknown>) => {
        if (typeof textOrCursor !== 'string') {
          // a cursor (streamed rows): unnamed, with values
          inMode('auto');
          return (client.query as (...args: unknown[]) => unknown)(textOrCursor, parameters);
        }
        const text = textOrCursor;
        if (text.includes(PREPARED_MARK)) {
          inMode('generic');
          const run = () => client.query({ name: statementName(text), text, values: parameters as unknown[] });
          return run()
            .catch((error: unknown) => {
              if (!isStalePlan(error)) throw error;
              // prepare it afresh under a new name, on every connection; inside a transaction the retry
              // fails too (the transaction is aborted) and the original error is what the caller sees:
              // transactionally (core/events/bus.ts) runs such a transaction once more
              generations.set(text, (generations.get(text) ?? 0) + 1);
              names.delete(text);
              return run().catch(() => {
                throw error;
              });
            })
            .catch(forget);
        }
        // a statement without values plans the same either way: no SET for BEGIN, COMMIT and the like
        if (parameters?.length && !text.includes(ANY_PLAN_MARK)) inMode('auto');
        return client
          .query(text, parameters as unknown[])
          .then((result) => {
            if (ROLLBACK.test(text)) planModes.set(client, 'unknown');
            return result;
          })
          .catch(forget);
      };
      return { query: query as PostgresPoolClient['query'], release: (destroy?: boolean) => client.release(destroy) };
    },
    end: () => pool.end(),
  };
}
