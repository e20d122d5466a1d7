import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import { featureEnabled } from '../../core/db/account-features.js';
import { isEmail } from '../../core/http/values.js';
import { LIMITS } from '../../core/http/schemas.js';
import { E164 } from './validate.js';
import { upsertBatch, type ImportFailure, type ParsedRow } from './import-batch.js';
import { Flight, keysOf } from './import-writers.js';

export type { ImportFailure } from './import-batch.js';

/**
 * Streaming CSV contact import (Chatwoot's DataImportJob + ContactManager), shared by the
 * background job and `confab contacts import`: rows are read from the stream in batches of
 * BATCH_SIZE and upserted, so memory stays flat whatever the file size.
 *
 * Columns: name, email, phone_number, identifier; company and city go to additional_attributes;
 * every other column becomes a custom attribute. A row updates the contact matched by identifier,
 * then email, then phone number, or creates one. Bad rows are reported and skipped.
 */
export const BATCH_SIZE = 5000;
/** Batches written at once, on their own connections (import-writers.ts keeps the result that of one after another). */
export const WRITERS = 2;
/** How many failed rows are kept with their errors (all are counted). */
export const MAX_REPORTED_FAILURES = 1000;

const STANDARD = new Set(['name', 'email', 'phone_number', 'identifier']);
const ADDITIONAL = new Set(['company', 'city']);

export interface ImportResult {
  total: number;
  processed: number;
  failed: number;
  failures: ImportFailure[];
}
export interface ImportProgress {
  rows: number;
  failed: number;
}

function toParsedRow(record: Record<string, string | undefined>, row: number): ParsedRow | ImportFailure {
  const get = (key: string) => {
    const value = record[key]?.trim();
    return value ? value : undefined;
  };
  const email = get('email')?.toLowerCase();
  let phone = get('phone_number')?.replace(/[\s()-]/g, '');
  if (phone && !phone.startsWith('+')) phone = `+${phone}`;
  const errors: string[] = [];
  if (email && !isEmail(email)) errors.push('Email Invalid email');
  if (phone && !E164.test(phone)) errors.push('Phone number should be in e164 format');
  const name = get('name');
  const identifier = get('identifier');
  // the API's bounds (LIMITS.short): a longer identifier would not fit its unique index and fail the whole batch
  if (name && name.length > LIMITS.short) errors.push(`Name is too long (maximum is ${LIMITS.short} characters)`);
  if (identifier && identifier.length > LIMITS.short)
    errors.push(`Identifier is too long (maximum is ${LIMITS.short} characters)`);
  if (errors.length) return { row, errors: errors.join(', ') };
  const additional: Record<string, string> = {};
  const custom: Record<string, string> = {};
  for (const [key, raw] of Object.entries(record)) {
    const value = raw?.trim();
    if (!key || STANDARD.has(key) || value === undefined || value === '') continue;
    if (ADDITIONAL.has(key)) additional[key] = value;
    else custom[key] = value;
  }
  return { row, name, email, phone_number: phone, identifier, additional, custom };
}

const isFailure = (value: ParsedRow | ImportFailure): value is ImportFailure => 'errors' in value;

/** An import that wrote at least this many rows refreshes the planner's statistics after it. */
const REFRESH_AFTER = 10_000;

/**
 * After a large import: statistics of the contacts' new shape (the search and filter plans pick an
 * index by them, and autovacuum may not come by for minutes), and the search index's pending list
 * merged into it (a search reads every pending entry: 0.1 s and more after a million rows).
 * Both need the table's owner; a database user without it keeps autovacuum's pace.
 */
async function refreshAfterImport(db: Db): Promise<void> {
  try {
    await sql`analyze contacts`.execute(db);
    await sql`select gin_clean_pending_list(to_regclass('contacts_search_trgm_idx'))
               where to_regclass('contacts_search_trgm_idx') is not null`.execute(db);
  } catch {
    // not the owner: autovacuum does the same later
  }
}

/**
 * Imports a CSV byte stream into the account. Each batch commits on its own, while the next one
 * is read and checked, so parsing and the database work side by side; two batches are written at
 * once, on two connections, as long as they share no contact (import-writers.ts).
 */
export async function importContacts(
  db: Db,
  accountId: number,
  source: AsyncIterable<Buffer> | Readable,
  onProgress: (progress: ImportProgress) => void | Promise<void> = () => undefined,
  /** Batch size and writers at once; tests set them to force many batches, or one writer for comparison. */
  tuning: { batchSize?: number; writers?: number } = {},
): Promise<ImportResult> {
  const batchSize = tuning.batchSize ?? BATCH_SIZE;
  const parser = Readable.from(source).pipe(
    parse({
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: false,
    }),
  );
  const account = await db.selectFrom('accounts').select('features').where('id', '=', accountId).executeTakeFirst();
  const companies = featureEnabled(account?.features ?? {}, 'companies');
  const result: ImportResult = { total: 0, processed: 0, failed: 0, failures: [] };
  const report = (failure: ImportFailure) => {
    result.failed += 1;
    if (result.failures.length < MAX_REPORTED_FAILURES) result.failures.push(failure);
  };
  // rows refused before the database saw them, so progress counts each batch's own up to its last row
  let refused = 0;
  let refusedByDatabase = 0;
  // batches in flight, in row order; with companies one at a time, as their linking may create the same company
  const writers = companies ? 1 : (tuning.writers ?? WRITERS);
  // a batch holds its place until it is counted, so the counting (and progress) never lags behind
  let inFlight: { flight: Flight; counted: Promise<void> }[] = [];
  // each batch's outcome is counted after the one before it, so progress and kept failures stay in row order
  let counted: Promise<void> = Promise.resolve();
  let batch: ParsedRow[] = [];
  const flush = async () => {
    while (inFlight.length >= writers) await Promise.race(inFlight.map((f) => f.counted));
    await failedYet();
    if (batch.length === 0) return;
    const rows = batch;
    const upTo = { rows: result.total, refused };
    batch = [];
    const flight = new Flight(
      keysOf(rows),
      inFlight.map((f) => f.flight),
    );
    const written = db.transaction().execute(async (tx) => {
      // a batch's commit need not wait for its WAL to reach the disk (a flush a batch saved): the
      // import's end is recorded by a synchronous commit, which flushes every batch's WAL before
      // it; a crash before then loses at most the last fraction of a second's batches, which the
      // job's rerun upserts again (data_imports stays in processing until it completes)
      await sql`set local synchronous_commit = off`.execute(tx);
      return upsertBatch(tx, accountId, rows, { companies, claim: writers > 1 ? (f) => flight.claim(f) : undefined });
    });
    const end = () => flight.end();
    flight.done = written.then(end, end);
    const before = counted;
    counted = (async () => {
      await before;
      const failures = await written;
      failures.forEach(report);
      refusedByDatabase += failures.length;
      result.processed += rows.length - failures.length;
      await onProgress({ rows: upTo.rows, failed: upTo.refused + refusedByDatabase });
    })();
    // a batch's failure surfaces at the next flush; until then it must not count as unhandled
    const place = {
      flight,
      counted: counted.then(
        () => undefined,
        () => undefined,
      ),
    };
    inFlight.push(place);
    void place.counted.then(() => (inFlight = inFlight.filter((f) => f !== place)));
  };
  /** Throws a failed batch's error (or the progress callback's) before more is read. */
  const failedYet = () => Promise.race([counted, Promise.resolve()]);
  try {
    for await (const record of parser) {
      result.total += 1;
      // the header is line 1, so the first record is row 2, as a spreadsheet shows it
      const parsed = toParsedRow(record as Record<string, string>, result.total + 1);
      if (isFailure(parsed)) {
        report(parsed);
        refused += 1;
      } else batch.push(parsed);
      if (batch.length >= batchSize) await flush();
    }
  } catch (error) {
    // a malformed CSV stops the import where it broke; what landed before stays
    await counted;
    report({ row: result.total + 2, errors: `Malformed CSV: ${(error as Error).message}` });
    refused += 1;
  }
  await flush();
  await counted;
  // batches finish out of step with reading: the kept failures in row order
  result.failures.sort((a, b) => a.row - b.row);
  if (result.processed >= REFRESH_AFTER) await refreshAfterImport(db);
  return result;
}
