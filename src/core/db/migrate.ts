import fs from 'node:fs/promises';
import { sql } from 'kysely';
import type { Db } from './kysely.js';

// Same relative path from src/core/db (tsx, tests) and dist/core/db (built): both sit three levels under the root.
const MIGRATIONS_DIR = new URL('../../../src/core/db/migrations/', import.meta.url);
// Arbitrary constant shared by every Confab node: serialises concurrent migrators.
const MIGRATION_LOCK_KEY = 7_361_402_118;

/** Applies pending migrations/*.sql in name order, each in its own transaction. Returns the names applied. */
export async function migrate(db: Db): Promise<string[]> {
  const files = (await fs.readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith('.sql')).sort();
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
