import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { lowerPriority } from '../sched/lower-priority.js';
import { startConfiguredPostgres, type EmbeddedPostgres } from './embedded.js';
import { preparingPool } from './prepared.js';
import type { Database } from './schema.js';

// Ids are bigint columns; Chatwoot's JSON has them as numbers and they stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  /** The pool under `db`, for libraries that take a pg pool (graphile-worker). */
  pool: pg.Pool;
  url: string;
  /** Present when Confab runs its own PostgreSQL. */
  embedded: EmbeddedPostgres | undefined;
  close(): Promise<void>;
}

const IDLE_CONNECTION_MS = 5 * 60_000;

/**
 * The connections' startup options: the URL's own `options`, and JIT compilation off. Confab's
 * statements are short or, for reports, big aggregates whose estimated cost passes jit_above_cost
 * while their real work takes milliseconds: PostgreSQL then spends more compiling them to machine
 * code than running them (the reports bench: the 30-day account summary's EXPLAIN ANALYZE showed
 * JIT taking most of its time).
 *
 * Prepared statements take their generic plan from the first run, but per statement, not per
 * connection: preparingPool (core/db/prepared.ts) switches plan_cache_mode to force_generic_plan
 * for them and back to auto for statements with values, because the mode applies to unnamed
 * statements too, and a generic plan of a report or search cannot use the values' statistics or a
 * partial index. Why generic for the prepared ones: PostgreSQL otherwise plans each afresh for its
 * first five runs on every pooled connection, again after every ANALYZE of a table it reads, and
 * keeps planning afresh whenever a custom plan looks cheaper: the Client API's message statement
 * (4.6 ms to plan) was planned again on a third of its runs under load. bench:automation, same
 * machine and hour: Application API replies 258 → 469 messages/s (p50 14.6 → 7.8 ms), Client API
 * messages 1,201 → 1,364/s.
 */
function connectionOptions(url: string, settings: string[]): { connectionString: string; options: string } {
  let own: string | null = null;
  let connectionString = url;
  try {
    const parsed = new URL(url);
    own = parsed.searchParams.get('options');
    // pg lets a connection string's own options replace the `options` it is given beside it:
    // they travel in ours instead, or JIT stayed on for a DATABASE_URL with ?options=
    if (own !== null) {
      parsed.searchParams.delete('options');
      connectionString = parsed.toString();
    }
  } catch {
    // not a URL pg reads options from: only ours
  }
  const options = [own, '-c jit=off', ...settings.map((setting) => `-c ${setting}`)].filter(Boolean).join(' ');
  return { connectionString, options };
}

/** Connects to DATABASE_URL, or starts/attaches to the embedded PostgreSQL under the data dir. */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'embeddedPgPort'>,
  options: {
    log?: (message: string) => void;
    poolSize?: number;
    onUnderWay?: () => void;
    /** The embedded PostgreSQL the caller started already (`confab start` does before loading this module). */
    embedded?: EmbeddedPostgres;
  } = {},
): Promise<DatabaseHandle> {
  const embedded = config.databaseUrl
    ? undefined
    : (options.embedded ??
      (await startConfiguredPostgres(config, { log: options.log, onUnderWay: options.onUnderWay })));
  const url = config.databaseUrl ?? embedded!.url;
  const pool = createPool(url, options.poolSize ?? 10, 'confab', options.log);
  const db = kyselyOver(pool);
  return {
    db,
    pool,
    url,
    embedded,
    async close() {
      await closeDb(db, pool);
      await embedded?.stop();
    },
  };
}

/** Kysely ends the pool only if it ever used it; a caller of `pool` alone (backup) leaves it open. */
async function closeDb(db: Db, pool: pg.Pool): Promise<void> {
  await db.destroy();
  if (!pool.ending) await pool.end();
}

const kyselyOver = (pool: pg.Pool): Db =>
  new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });

/** A pool of Confab's connections to `url`, named in pg_stat_activity. */
function createPool(
  url: string,
  max: number,
  applicationName: string,
  log: ((message: string) => void) | undefined,
  /** runs on each new connection before the pool hands it out */
  onConnect?: (client: pg.ClientBase) => Promise<void>,
  /** settings of these connections' own (`name=value`), after the URL's options */
  settings: string[] = [],
): pg.Pool {
  // Idle connections are kept five minutes (Rails' idle_timeout), not pg's 10 s: a new backend
  // starts with cold catalog caches and none of our prepared statements, so a burst after a
  // short lull paid for ten fresh connections (bench:cable's first requests: p50 ~9 ms warm, ~200 ms after 20 s idle).
  const pool = new pg.Pool({
    ...connectionOptions(url, settings),
    application_name: applicationName,
    max,
    idleTimeoutMillis: IDLE_CONNECTION_MS,
    onConnect,
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', (error) => log?.(`database pool error: ${error.message}`));
  // and neither must a checked-out client's (graphile-worker asks for this handler too)
  pool.on('connect', (client) => client.on('error', (error) => log?.(`database client error: ${error.message}`)));
  return pool;
}

/** How much lower than the other backends' the CPU priority of background work's backends is (nice). */
export const BACKGROUND_NICENESS = 10;
/** Its name in pg_stat_activity. */
const BACKGROUND_APPLICATION_NAME = 'confab background';

/**
 * Connections for work no request waits on — the automation drainer deciding a batch of events,
 * the report rollups folding their deltas — whose bursts, on a machine the server shares with its
 * embedded PostgreSQL, took CPU from the backends answering requests: on 2 cores, 100 rules'
 * batches raised the Client API's p99 by a quarter. On the embedded PostgreSQL, whose backends are
 * this user's processes here, each of these connections' backends runs at a lower priority, so
 * the scheduler serves requests first and the batches use what is left; with DATABASE_URL the
 * database is the operator's to schedule, and this is the main pool. Only work that holds no lock
 * a request may wait on belongs here: a low-priority backend holding one would hold up the request.
 */
export function openBackgroundDb(
  handle: Pick<DatabaseHandle, 'db' | 'url' | 'embedded'>,
  log?: (message: string) => void,
): { db: Db; close(): Promise<void> } {
  if (!handle.embedded) return { db: handle.db, close: async () => {} };
  return openLowPriorityDb(handle.url, 2, log);
}

/**
 * A pool of `size` connections of its own to `url`, as Confab's others (prepared statements, JIT
 * off), for background work or a thread of its own (the webhook drainer's); with `lowered`, its
 * backends run at the background's lower priority (openBackgroundDb: the embedded PostgreSQL only).
 */
export function openLowPriorityDb(
  url: string,
  size: number,
  log?: (message: string) => void,
  {
    lowered = true,
    settings = [],
    onBackend,
  }: {
    lowered?: boolean;
    settings?: string[];
    /** Called with each lowered connection's backend pid, before the pool hands it out. */
    onBackend?: (pid: number) => Promise<unknown>;
  } = {},
): { db: Db; close(): Promise<void>; backendPids(): number[] } {
  // before the pool hands the connection out: a query sent while this one runs would queue behind
  // it on the client, which pg warns of (and pg 9 refuses)
  const renice = async (client: pg.ClientBase) => {
    try {
      const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      const pid = rows[0]!.pid;
      // relative to the postmaster's, which the backend inherited
      lowerPriority(pid, BACKGROUND_NICENESS);
      backends.add(pid);
      await onBackend?.(pid);
    } catch (error) {
      log?.(`a background connection keeps its priority: ${(error as Error).message}`);
    }
  };
  const backends = new Set<number>();
  const pool = createPool(url, size, BACKGROUND_APPLICATION_NAME, log, lowered ? renice : undefined, settings);
  pool.on('remove', (client) => backends.delete((client as unknown as { processID: number }).processID));
  const db = kyselyOver(pool);
  return { db, close: () => closeDb(db, pool), backendPids: () => [...backends] };
}
