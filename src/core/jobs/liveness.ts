import pg from 'pg';
import { sql } from 'kysely';
import type { Logger as Pino } from 'pino';
import type { Db } from '../db/kysely.js';

/**
 * Jobs a dead node had taken are freed at once instead of after graphile-worker's 4-hour lock
 * timeout. graphile-worker 0.17 marks a taken job with its worker pool's id (`locked_by`,
 * "pool-<hex>"). Each node holds, on a connection of its own, a session advisory lock keyed by
 * its pool's id, taken before the pool asks for its first job (the startWorker hook). PostgreSQL
 * drops a session's locks when its connection goes, so a kill -9, a crash or a lost network make
 * the lock free; any node then finds pools whose lock it can take and unlocks their jobs with
 * graphile_worker.force_unlock_workers. A job that was running on the dead node runs again: its
 * delivery keeps its id (webhook-id), so receivers see a repeat, never a loss.
 */

/** SQL for the advisory-lock key of the pool id in `expr`: the first 64 bits of its md5 (one formula for holder and reaper). */
export const lockKeyOf = (expr: string) => `('x' || left(md5(${expr}), 16))::bit(64)::bigint`;

export class WorkerLiveness {
  readonly #url: string;
  readonly #log: Pino;
  #client: pg.Client | undefined;
  #connecting: Promise<pg.Client> | undefined;
  readonly #held = new Map<string, Promise<void>>();
  #closed = false;

  constructor(connectionString: string, log: Pino) {
    this.#url = connectionString;
    this.#log = log;
  }

  /** Resolves once this node's lock connection holds the lock of `poolId` (idempotent). */
  hold(poolId: string): Promise<void> {
    let held = this.#held.get(poolId);
    if (!held) {
      held = this.#lock(poolId).catch((error: unknown) => {
        this.#held.delete(poolId);
        throw error;
      });
      this.#held.set(poolId, held);
    }
    return held;
  }

  /**
   * hold(), retried until it succeeds or the node shuts down: graphile-worker runs the
   * startWorker hook once, and a worker whose hook failed would go on taking jobs unguarded.
   */
  async holdPatiently(poolId: string): Promise<void> {
    for (let delay = 500; !this.#closed; delay = Math.min(delay * 2, 10_000)) {
      try {
        return await this.hold(poolId);
      } catch (error) {
        this.#log.warn({ err: error }, 'could not take the job liveness lock; retrying before taking jobs');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  async #lock(poolId: string): Promise<void> {
    const client = await this.#connection();
    await client.query(`select pg_advisory_lock(${lockKeyOf('$1::text')})`, [poolId]);
  }

  #connection(): Promise<pg.Client> {
    if (this.#client) return Promise.resolve(this.#client);
    this.#connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.#url, application_name: 'confab job liveness' });
      client.on('error', (error) => this.#lost(client, error));
      client.on('end', () => this.#lost(client));
      await client.connect();
      this.#client = client;
      return client;
    })().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  /** The connection went, and our locks with it: reconnect and take them again, or other nodes free our jobs. */
  #lost(client: pg.Client, error?: Error): void {
    if (this.#client !== client || this.#closed) return;
    this.#client = undefined;
    this.#log.warn({ err: error }, 'job liveness connection lost; taking the locks again');
    const pools = [...this.#held.keys()];
    this.#held.clear();
    const retry = (delay: number) =>
      setTimeout(() => {
        if (this.#closed) return;
        Promise.all(pools.map((id) => this.hold(id))).catch(() => retry(Math.min(delay * 2, 30_000)));
      }, delay).unref();
    retry(500);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = undefined;
    // ending the session releases its locks
    await client?.end().catch(() => undefined);
  }
}

/**
 * Unlocks the jobs (and job queues) of pools whose node is gone: those whose lock nobody holds.
 * Trying a transaction-level lock leaves live pools alone (their node's session holds the key)
 * and releases itself at commit. Returns the pools freed.
 */
export async function releaseDeadWorkers(db: Db): Promise<string[]> {
  return db.transaction().execute(async (tx) => {
    const { rows } = await sql<{ locked_by: string }>`
      with taken as (
        select locked_by from graphile_worker._private_jobs where locked_by is not null
        union
        select locked_by from graphile_worker._private_job_queues where locked_by is not null
      )
      select locked_by from taken where pg_try_advisory_xact_lock(${sql.raw(lockKeyOf('locked_by'))})`.execute(tx);
    const dead = rows.map((r) => r.locked_by);
    if (dead.length) await sql`select graphile_worker.force_unlock_workers(${dead}::text[])`.execute(tx);
    return dead;
  });
}
