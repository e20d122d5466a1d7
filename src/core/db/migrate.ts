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
      const done = new Set(
        (await sql<{ name: string }>`select name from schema_migrations`.execute(conn)).rows.map((row) => row.name),
      );
      for (const name of files) {
        if (done.has(name)) continue;
        const body = await fs.readFile(new URL(name, MIGRATIONS_DIR), 'utf8');
        await conn.transaction().execute(async (tx) => {
          await sql.raw(body).execute(tx);
          await sql`insert into schema_migrations (name) values (${name})`.execute(tx);
        });
        applied.push(name);
      }
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
  return applied;
}
