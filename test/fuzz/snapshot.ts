import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Db } from '../../src/core/db/kysely.js';
import { prepared } from '../../src/core/db/prepared.js';

/**
 * Tables left out: realtime events and presence are the broadcast log, written by the bus and the
 * sockets after a request's commit (so a later request would be blamed for them); the Client API's
 * rate-limit counters count every request, a refused one too (in PostgreSQL when there is no Redis); webhook
 * deliveries are updated by the delivery worker, so only their number is compared (an outbox row
 * is written in the request's own transaction).
 */
const IGNORED = new Set(['realtime_events', 'presence', 'rate_limit_counters']);
const COUNT_ONLY = new Set(['webhook_deliveries']);

export type Snapshot = Map<string, string>;

/**
 * A fingerprint of every table in the public schema, in one statement: its row count and the sum
 * of its rows' xmin. Every insert, update (even one that changes nothing) and delete moves one of
 * them, and no row is read beyond its header, so large rows cost nothing.
 */
export async function snapshotter(db: Db): Promise<() => Promise<Snapshot>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const parts = tables.rows
    .filter(({ name }) => !IGNORED.has(name))
    .map(({ name }) => {
      const versions = COUNT_ONLY.has(name) ? sql`0` : sql`coalesce(sum(t.xmin::text::bigint), 0)`;
      return sql`select ${name} as name, count(*) || ':' || ${versions} as print from ${sql.id(name)} t`;
    });
  // named: planning this union of every table took ~14 ms a call, the run itself ~1 ms
  const statement = prepared(sql<{ name: string; print: string }>`${sql.join(parts, sql` union all `)}`);
  return async () => {
    const result = await statement.execute(db);
    return new Map(result.rows.map((row) => [row.name, row.print]));
  };
}

/** Names of the tables whose fingerprint differs. */
export function changedTables(before: Snapshot, after: Snapshot): string[] {
  return [...after.keys()].filter((name) => before.get(name) !== after.get(name));
}

/**
 * Waits until no background job is due (a successful import or delivery leaves one) and the
 * folder has folded every delta a request's rows appended — report rollups', label counters' (run
 * the server with a short CONFAB_REPORT_ROLLUP_FOLD_MS) — so that their writes are not blamed on
 * the next request. Jobs scheduled for later (retries) do not count.
 */
export async function settle(db: Db, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const due = await sql<{ n: string }>`select (select count(*) from graphile_worker.jobs
        where run_at <= now() and attempts < max_attempts) + (select count(*) from report_rollup_deltas)
        + (select count(*) from conversation_label_count_deltas)
        + (select count(*) from webhook_deliveries where status = 'pending' and next_attempt_at <= now()) as n`.execute(
      db,
    );
    if (Number(due.rows[0]?.n) === 0) return;
    await sleep(20);
  }
}
