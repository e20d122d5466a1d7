import fs from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import {
  BACKUP_SCHEMAS,
  BackupError,
  END_OF_ROWS,
  MAGIC,
  qualified,
  quoteIdent,
  type BackupHeader,
  type SequenceInfo,
  type TableInfo,
} from './format.js';

export interface BackupSummary {
  tables: number;
  rows: number;
  bytes: number;
}

/** The tables of the backed-up schemas (partitions included, their parents hold no rows) with their stored columns. */
export async function listTables(client: pg.ClientBase): Promise<TableInfo[]> {
  const { rows } = await client.query<TableInfo>(
    `select n.nspname as schema, c.relname as name,
            array_agg(a.attname::text order by a.attnum) as columns
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      where c.relkind = 'r' and n.nspname = any($1)
        and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e')
      group by n.nspname, c.relname
      order by n.nspname, c.relname`,
    [BACKUP_SCHEMAS],
  );
  return rows;
}

async function listSequences(client: pg.ClientBase): Promise<SequenceInfo[]> {
  const { rows } = await client.query<SequenceInfo>(
    `select schemaname as schema, sequencename as name, last_value::text as last_value
       from pg_sequences where schemaname = any($1) order by schemaname, sequencename`,
    [BACKUP_SCHEMAS],
  );
  return rows;
}

/** Confab's migrations applied to the database; a database Confab never migrated is no Confab database. */
export async function appliedMigrations(client: pg.ClientBase): Promise<string[]> {
  const found = await client.query(`select to_regclass('public.schema_migrations') is not null as migrated`);
  if (!found.rows[0].migrated) throw new BackupError('the database holds no Confab schema (never migrated)');
  const { rows } = await client.query<{ name: string }>('select name from schema_migrations order by name');
  return rows.map((r) => r.name);
}

/** Writes a line, waiting when the stream asks to. */
async function write(out: Writable, text: string | Buffer): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/**
 * Dumps every table and sequence of Confab's database to `out` (not ended here), from one
 * snapshot: a server may keep serving while this runs, and the backup is what it held at the start.
 */
export async function dumpDatabase(pool: pg.Pool, out: Writable): Promise<BackupSummary> {
  const client = await pool.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const tables = await listTables(client);
    const header: BackupHeader = {
      format: 1,
      created_at: new Date().toISOString(),
      server_version: (await client.query<{ version: string }>('select version()')).rows[0]!.version,
      migrations: await appliedMigrations(client),
      tables,
      sequences: await listSequences(client),
    };
    await write(out, `${MAGIC}\n${JSON.stringify(header)}\n`);
    let rows = 0;
    for (const table of tables) {
      await write(out, `TABLE ${JSON.stringify({ schema: table.schema, name: table.name })}\n`);
      const columns = table.columns.map(quoteIdent).join(', ');
      const copy = client.query(copyTo(`copy ${qualified(table.schema, table.name)} (${columns}) to stdout`));
      let count = 0;
      for await (const chunk of copy as AsyncIterable<Buffer>) {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) count++;
        await write(out, chunk);
      }
      rows += count;
      await write(out, `${END_OF_ROWS}\nEND ${JSON.stringify({ rows: count })}\n`);
    }
    await write(out, `DONE ${JSON.stringify({ tables: tables.length })}\n`);
    await client.query('commit');
    return { tables: tables.length, rows, bytes: 0 };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Writes a gzipped backup to `file` (mode 0600: it holds password hashes and tokens), through a
 * temporary name, so an interrupted backup never leaves a file that looks whole.
 */
export async function backupToFile(pool: pg.Pool, file: string): Promise<BackupSummary> {
  const partial = `${file}.partial`;
  const gzip = createGzip();
  const written = pipeline(gzip, createWriteStream(partial, { mode: 0o600 }));
  try {
    const summary = await dumpDatabase(pool, gzip);
    gzip.end();
    await written;
    await fs.rename(partial, file);
    return { ...summary, bytes: (await fs.stat(file)).size };
  } catch (error) {
    gzip.destroy();
    await written.catch(() => undefined);
    await fs.rm(partial, { force: true });
    throw error;
  }
}
