// migrate() applies every pending migration in one simple query, each in its own transaction;
// when one fails, those before it stay applied and its own error is what the caller gets.
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/harness.js';
import { openDatabase, type DatabaseHandle } from './kysely.js';
import { migrate, migrationNames } from './migrate.js';

let fresh: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
let database: DatabaseHandle | undefined;

async function emptyDatabase(): Promise<DatabaseHandle> {
  fresh = await createTestDatabase({ empty: true });
  database = await openDatabase({ databaseUrl: fresh.url, dataDir: '', embeddedPgPort: 0 }, { poolSize: 1 });
  return database;
}

const recorded = async (db: DatabaseHandle['db']) =>
  (await sql<{ name: string }>`select name from schema_migrations order by name`.execute(db)).rows.map((r) => r.name);

afterEach(async () => {
  await database?.close();
  await fresh?.drop();
  database = undefined;
  fresh = undefined;
});

describe('migrate', () => {
  it('applies every migration on an empty database, records each, and finds nothing to do the next time', async () => {
    const { db } = await emptyDatabase();
    const names = await migrationNames();
    expect(await migrate(db)).toEqual(names);
    expect(await recorded(db)).toEqual(names);
    expect(await migrate(db)).toEqual([]);
  });

  it('keeps the migrations before a failing one, applies none after it, and throws its own error', async () => {
    const { db } = await emptyDatabase();
    const [first, second, third] = await migrationNames();
    // the second migration creates inboxes: one already there makes it fail half-way
    await sql`create table inboxes (id int)`.execute(db);
    const error = await migrate(db, { only: [first!, second!, third!] }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('relation "inboxes" already exists');
    expect(await recorded(db)).toEqual([first]);
    // its transaction rolled back whole: the table it created before inboxes is not there
    const channelApi = await sql<{ found: string | null }>`select to_regclass('channel_api')::text as found`.execute(
      db,
    );
    expect(channelApi.rows[0]!.found).toBeNull();

    await sql`drop table inboxes`.execute(db);
    expect(await migrate(db, { only: [first!, second!, third!] })).toEqual([second, third]);
    expect(await recorded(db)).toEqual([first, second, third]);
  });
});
