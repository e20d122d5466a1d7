/**
 * Confab's backup file: a gzip of UTF-8 lines.
 *
 *   CONFAB-BACKUP 1
 *   {header: when, which PostgreSQL, the migrations applied, every table's columns, every sequence}
 *   TABLE {"schema":"public","name":"contacts"}
 *   …the table's rows in COPY's text format, one a line…
 *   \.
 *   END {"rows":123}
 *   …one TABLE section per table in the header, in its order…
 *   DONE {"tables":57}
 *
 * COPY's text format escapes newlines, backslashes and tabs inside values, so a row is one line and
 * no row is ever the line `\.` (a value of "\." is written `\\.`): the same end marker psql uses.
 * A file without its DONE line was cut short and is refused.
 */

export const MAGIC = 'CONFAB-BACKUP 1';
export const END_OF_ROWS = '\\.';

/** Thrown for a file that is not a backup, a backup this Confab cannot restore, or a refused target. */
export class BackupError extends Error {}

export interface TableInfo {
  schema: string;
  name: string;
  /** Stored columns in their order (generated columns are left to PostgreSQL to compute). */
  columns: string[];
}

export interface SequenceInfo {
  schema: string;
  name: string;
  /** What nextval last returned; null for one never used. */
  last_value: number | string | null;
}

export interface BackupHeader {
  format: 1;
  created_at: string;
  /** `select version()` of the server dumped. */
  server_version: string;
  /** Confab's migrations applied to the dumped database (schema_migrations), in order. */
  migrations: string[];
  tables: TableInfo[];
  sequences: SequenceInfo[];
}

/** The schemas a backup holds: Confab's tables, and graphile-worker's queue (jobs not yet run). */
export const BACKUP_SCHEMAS = ['public', 'graphile_worker'] as const;

/** `"schema"."name"`, for the identifiers read from the catalog or a header. */
export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A tagged line (`TABLE {...}`) split into its tag and JSON value; undefined when it is not one. */
export function parseTagged(line: string, tag: string): unknown {
  if (!line.startsWith(`${tag} `)) return undefined;
  try {
    return JSON.parse(line.slice(tag.length + 1));
  } catch {
    return undefined;
  }
}

/**
 * The lines of a byte stream, without their "\n", as Buffers (rows are passed to COPY as bytes,
 * never decoded). Call `next()` by hand: the sections of one file share one iterator.
 */
export async function* lines(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer, void, undefined> {
  let rest: Buffer | undefined;
  for await (const chunk of input) {
    let data = rest ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
      yield data.subarray(start, nl);
      start = nl + 1;
    }
    data = data.subarray(start);
    rest = data.length ? Buffer.from(data) : undefined;
  }
  if (rest?.length) yield rest;
}
