import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { PACKAGE_ROOT } from '../paths.js';
import type { Db } from './kysely.js';

// the .sql files are read from src/ whether this runs from src/, dist/ or the bundle
const MIGRATIONS_DIR = pathToFileURL(path.join(PACKAGE_ROOT, 'src/core/db/migrations/'));
// Arbitrary constant shared by every Confab node: serialises concurrent migrators.
const MIGRATION_LOCK_KEY = 7_361_402_118;

/** The migrations this Confab has, in the order they apply. */
export async function migrationNames(): Promise<string[]> {
  return (await fs.readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith('.sql')).sort();
}

/**
 * Applies pending migrations/*.sql in name order, each in its own transaction. Returns the names
 * applied. `only` limits them to those names (a restore rebuilds the schema its backup had).
 */
export async function migrate(db: Db, options: { only?: readonly string[] } = {}): Promise<string[]> {
  const only = options.only && new Set(options.only);
  const files = (await migrationNames()).filter((name) => !only || only.has(name));
  const applied: string[] = [];
  await db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      await sql`create table if not exists schema_migrations (
        name text primary key, applied_at timestamptz not null default now())`.execute(conn);
      const done = await recordedNames(conn);
      const pending = files.filter((name) => !done.has(name));
      // a warm start's usual case: no empty query string sent for it
      if (pending.length === 0) return;
      const bodies = await Promise.all(pending.map((name) => fs.readFile(new URL(name, MIGRATIONS_DIR), 'utf8')));
      // all of them in one simple query, each still its own transaction: a cold start applies every
      // one, and one at a time took 4 round trips each, every one waiting for an event loop the
      // routes' build keeps busy meanwhile (server.ts)
      const batched = await sql
        .raw(pending.map((name, i) => inTransaction(name, bodies[i]!)).join(''))
        .execute(conn)
        .then(
          () => true,
          () => false,
        );
      if (batched) applied.push(...pending);
      else {
        // the migrations before the failed one are committed; its transaction is left aborted (an
        // explicit one is not rolled back by the error). It and those after it run again one at a
        // time, and its error is thrown as it always was
        await sql`rollback`.execute(conn);
        const committed = await recordedNames(conn);
        for (const [i, name] of pending.entries()) {
          if (committed.has(name)) {
            applied.push(name);
            continue;
          }
          await conn.transaction().execute(async (tx) => {
            await sql.raw(bodies[i]!).execute(tx);
            await sql`insert into schema_migrations (name) values (${name})`.execute(tx);
          });
          applied.push(name);
        }
      }
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
  return applied;
}

/** The migrations schema_migrations records as applied. */
async function recordedNames(conn: Db): Promise<Set<string>> {
  const { rows } = await sql<{ name: string }>`select name from schema_migrations`.execute(conn);
  return new Set(rows.map((row) => row.name));
}

/**
 * A migration as statements of its own transaction; the body on lines of its own, as a trailing
 * `--` comment must not reach the rest. Its commit does not wait for the WAL to reach the disk
 * (a cold start commits every migration, one flush each): a crash may lose a migration with its
 * schema_migrations row, never one without the other, and the next start applies it again; the
 * server's first durable commit flushes all of them before it.
 */
function inTransaction(name: string, body: string): string {
  return `begin;\nset local synchronous_commit = off;\n${body}\n;\ninsert into schema_migrations (name) values ('${name.replaceAll("'", "''")}');\ncommit;\n`;
}
