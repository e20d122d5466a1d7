import fs from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Config } from '../../config.js';
import { migrateJobQueue } from '../../jobs/runner.js';
import { startConfiguredPostgres } from '../embedded.js';
import { openDatabase } from '../kysely.js';
import { migrate, migrationNames } from '../migrate.js';
import { listTables } from './dump.js';
import {
  BackupError,
  END_OF_ROWS,
  lines,
  MAGIC,
  parseTagged,
  qualified,
  quoteIdent,
  type BackupHeader,
  type TableInfo,
} from './format.js';

export interface RestoreSummary {
  tables: number;
  rows: number;
}

type Lines = AsyncGenerator<Buffer, void, undefined>;

async function nextLine(input: Lines, what: string): Promise<string> {
  const { value, done } = await input.next();
  if (done) throw new BackupError(`the backup ends before ${what} (the file was cut short)`);
  return value.toString('utf8');
}

/** Opens a backup and reads its header; anything else than a Confab backup is refused here. */
async function openBackup(file: string): Promise<{ header: BackupHeader; input: Lines; close(): void }> {
  const stream = createReadStream(file);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error) => reject(new BackupError(`cannot read ${file}: ${error.message}`)));
  });
  const gunzip = createGunzip();
  stream.pipe(gunzip);
  stream.on('error', (error) => gunzip.destroy(error));
  const input = readable(lines(gunzip));
  const close = () => {
    stream.destroy();
    gunzip.destroy();
  };
  try {
    // not gzip, or gzip of something else
    const magic = await nextLine(input, 'its header').catch(() => '');
    if (magic !== MAGIC) throw new BackupError(`${file} is not a Confab backup`);
    const header = JSON.parse(await nextLine(input, 'its header')) as BackupHeader;
    if (header.format !== 1 || !Array.isArray(header.tables) || !Array.isArray(header.migrations))
      throw new BackupError(`${file} has a backup format this Confab does not know`);
    return { header, input, close };
  } catch (error) {
    close();
    throw error;
  }
}

/** The file's lines, with a gzip or read error told as a damaged backup. */
async function* readable(input: Lines): Lines {
  try {
    yield* input;
  } catch (error) {
    throw new BackupError(`the backup cannot be read (${(error as Error).message}): the file is damaged or cut short`);
  }
}

async function isEmptyDirectory(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/** The backup's rows up to its `\.` line, in batches of whole lines, as COPY FROM reads them. */
async function* rowsOfSection(input: Lines): AsyncGenerator<Buffer> {
  const batch: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await input.next();
    if (done) throw new BackupError('the backup ends inside a table (the file was cut short)');
    if (value.length === 2 && value.toString('latin1') === END_OF_ROWS) break;
    batch.push(value, NEWLINE);
    size += value.length + 1;
    if (size >= 1 << 16) {
      yield Buffer.concat(batch);
      batch.length = 0;
      size = 0;
    }
  }
  if (batch.length) yield Buffer.concat(batch);
}
const NEWLINE = Buffer.from('\n');

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Checks that this Confab has the backup's migrations and, once they are applied, every table and column it holds. */
async function checkCompatible(header: BackupHeader, present: TableInfo[] | undefined): Promise<void> {
  if (!present) {
    const known = new Set(await migrationNames());
    const unknown = header.migrations.find((name) => !known.has(name));
    if (unknown)
      throw new BackupError(
        `the backup comes from a newer Confab (migration ${unknown} is unknown here); upgrade first`,
      );
    return;
  }
  const columns = new Map(present.map((t) => [`${t.schema}.${t.name}`, new Set(t.columns)]));
  for (const table of header.tables) {
    const have = columns.get(`${table.schema}.${table.name}`);
    const missing = have ? table.columns.find((c) => !have.has(c)) : undefined;
    if (!have || missing)
      throw new BackupError(
        `the backup's ${table.schema}.${table.name}${missing ? `.${missing}` : ''} does not exist here; upgrade Confab first`,
      );
  }
}

/** Loads the backup's rows and sequences into a database with its schema, in one transaction. */
async function loadRows(client: pg.ClientBase, header: BackupHeader, input: Lines): Promise<number> {
  await client.query('begin');
  // no trigger fires and no foreign key is checked while rows go back as they were (counters included)
  await client.query('set local session_replication_role = replica');
  const present = await listTables(client);
  await checkCompatible(header, present);
  // rows the migrations seeded make way for the backup's own
  await client.query(`truncate ${present.map((t) => qualified(t.schema, t.name)).join(', ')} restart identity`);
  let rows = 0;
  for (const table of header.tables) {
    const name = `${table.schema}.${table.name}`;
    const start = parseTagged(await nextLine(input, `table ${name}`), 'TABLE') as TableInfo | undefined;
    if (start?.schema !== table.schema || start.name !== table.name)
      throw new BackupError(`the backup is damaged: expected the rows of ${name}`);
    const columns = table.columns.map(quoteIdent).join(', ');
    const copy = client.query(copyFrom(`copy ${qualified(table.schema, table.name)} (${columns}) from stdin`));
    await pipeline(Readable.from(rowsOfSection(input)), copy);
    const end = parseTagged(await nextLine(input, `the end of ${name}`), 'END') as { rows?: number } | undefined;
    if (end?.rows !== copy.rowCount)
      throw new BackupError(`the backup is damaged: ${name} has ${copy.rowCount} rows, its end line says ${end?.rows}`);
    rows += copy.rowCount;
  }
  const done = parseTagged(await nextLine(input, 'its last line'), 'DONE') as { tables?: number } | undefined;
  if (done?.tables !== header.tables.length) throw new BackupError('the backup is damaged: its last line is wrong');
  for (const sequence of header.sequences) {
    const set = await client.query(
      `select setval(format('%I.%I', schemaname, sequencename)::regclass, coalesce($3::bigint, start_value), $3 is not null)
         from pg_sequences where schemaname = $1 and sequencename = $2`,
      [sequence.schema, sequence.name, sequence.last_value],
    );
    if (set.rowCount !== 1)
      throw new BackupError(`the backup's sequence ${sequence.schema}.${sequence.name} does not exist here`);
  }
  await client.query('commit');
  return rows;
}

/**
 * Restores a backup into the embedded database of `config.dataDir`: into a new database first,
 * which replaces Confab's only once every row is in, so a refused or broken backup changes nothing.
 * A data directory that holds anything is refused unless `force`; one a running server uses, always.
 */
export async function restoreFromFile(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'embeddedPgPort'>,
  file: string,
  options: { force?: boolean; log?: (message: string) => void } = {},
): Promise<RestoreSummary> {
  if (config.databaseUrl)
    throw new BackupError(
      'restore replaces the embedded database; with DATABASE_URL, restore with your PostgreSQL tools instead',
    );
  const backup = await openBackup(file);
  try {
    await checkCompatible(backup.header, undefined);
    if (!options.force && !(await isEmptyDirectory(config.dataDir)))
      throw new BackupError(
        `${config.dataDir} is not empty; restore there with --force to replace its database with the backup`,
      );
    const embedded = await startConfiguredPostgres(config, { log: options.log });
    try {
      if (!embedded.owned)
        throw new BackupError(`a Confab server is running on ${config.dataDir}; stop it before restoring`);
      const live = new URL(embedded.url).pathname.slice(1);
      const staging = `${live}_restore`;
      const admin = new pg.Client({ connectionString: withDatabaseName(embedded.url, 'postgres') });
      await admin.connect();
      try {
        await admin.query(`drop database if exists ${quoteIdent(staging)} with (force)`);
        await admin.query(`create database ${quoteIdent(staging)}`);
        const target = await openDatabase(
          { databaseUrl: withDatabaseName(embedded.url, staging), dataDir: config.dataDir, embeddedPgPort: 0 },
          { poolSize: 2 },
        );
        let rows: number;
        try {
          await migrate(target.db, { only: backup.header.migrations });
          if (backup.header.tables.some((t) => t.schema === 'graphile_worker')) await migrateJobQueue(target.pool);
          const client = await target.pool.connect();
          try {
            rows = await loadRows(client, backup.header, backup.input);
          } catch (error) {
            await client.query('rollback').catch(() => undefined);
            throw error;
          } finally {
            client.release();
          }
          await target.pool.query('analyze');
        } finally {
          await target.close();
        }
        await admin.query(`drop database if exists ${quoteIdent(live)} with (force)`);
        await admin.query(`alter database ${quoteIdent(staging)} rename to ${quoteIdent(live)}`);
        return { tables: backup.header.tables.length, rows };
      } catch (error) {
        await admin.query(`drop database if exists ${quoteIdent(staging)} with (force)`).catch(() => undefined);
        throw error;
      } finally {
        await admin.end();
      }
    } finally {
      await embedded.stop();
    }
  } finally {
    backup.close();
  }
}
