import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Db } from '../../core/db/kysely.js';
import type { Contact } from '../../core/db/schema.js';
import { isEmail } from '../../core/http/values.js';
import { LIMITS } from '../../core/http/schemas.js';
import { E164 } from './validate.js';
import { linkCompaniesByEmail, type ContactEmailChange } from '../companies/link-contact.js';

/**
 * Streaming CSV contact import (Chatwoot's DataImportJob + ContactManager), shared by the
 * background job and `confab contacts import`: rows are read from the stream in batches of
 * BATCH_SIZE and upserted, so memory stays flat whatever the file size.
 *
 * Columns: name, email, phone_number, identifier; company and city go to additional_attributes;
 * every other column becomes a custom attribute. A row updates the contact matched by identifier,
 * then email, then phone number, or creates one. Bad rows are reported and skipped.
 */
export const BATCH_SIZE = 1000;
/** How many failed rows are kept with their errors (all are counted). */
export const MAX_REPORTED_FAILURES = 1000;

const STANDARD = new Set(['name', 'email', 'phone_number', 'identifier']);
const ADDITIONAL = new Set(['company', 'city']);

export interface ImportFailure {
  row: number;
  errors: string;
}
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

interface ParsedRow {
  row: number;
  name?: string;
  email?: string;
  phone_number?: string;
  identifier?: string;
  additional: Record<string, string>;
  custom: Record<string, string>;
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

/** Existing contacts any row of the batch could match, by each unique key. */
async function lookup(db: Db, accountId: number, rows: ParsedRow[]) {
  const pick = (key: 'email' | 'phone_number' | 'identifier') => [
    ...new Set(rows.map((r) => r[key]).filter((v): v is string => Boolean(v))),
  ];
  const [emails, phones, identifiers] = [pick('email'), pick('phone_number'), pick('identifier')];
  if (!emails.length && !phones.length && !identifiers.length) return [];
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('account_id', '=', accountId)
    .where((eb) =>
      eb.or([
        ...(emails.length ? [eb('email', 'in', emails)] : []),
        ...(phones.length ? [eb('phone_number', 'in', phones)] : []),
        ...(identifiers.length ? [eb('identifier', 'in', identifiers)] : []),
      ]),
    )
    .execute();
}

type Pending = { contact?: Contact; row: ParsedRow; rows: number[] };

/** Upserts one batch; returns the rows that failed. */
async function upsertBatch(db: Db, accountId: number, rows: ParsedRow[]): Promise<ImportFailure[]> {
  const failures: ImportFailure[] = [];
  const existing = await lookup(db, accountId, rows);
  const byKey = new Map<string, Pending>();
  const key = (field: string, value: string | undefined) => (value ? `${field}:${value}` : undefined);
  for (const contact of existing) {
    const entry: Pending = { contact, row: { row: 0, additional: {}, custom: {} }, rows: [] };
    for (const k of [
      key('identifier', contact.identifier ?? undefined),
      key('email', contact.email ?? undefined),
      key('phone_number', contact.phone_number ?? undefined),
    ]) {
      if (k) byKey.set(k, entry);
    }
  }
  const touched = new Set<Pending>();
  for (const row of rows) {
    const keys = [key('identifier', row.identifier), key('email', row.email), key('phone_number', row.phone_number)];
    const matches = keys.map((k) => (k ? byKey.get(k) : undefined));
    const target = matches.find(Boolean);
    // a row whose email and phone (or identifier) belong to two different contacts cannot land
    const clash = matches.find((m) => m && m !== target);
    if (clash) {
      const field =
        matches[1] && matches[1] !== target
          ? 'Email'
          : matches[2] && matches[2] !== target
            ? 'Phone number'
            : 'Identifier';
      failures.push({ row: row.row, errors: `${field} has already been taken` });
      continue;
    }
    const entry: Pending = target ?? { row: { row: row.row, additional: {}, custom: {} }, rows: [] };
    entry.row = {
      ...entry.row,
      ...Object.fromEntries(
        Object.entries(row).filter(([k, v]) => v !== undefined && k !== 'additional' && k !== 'custom'),
      ),
      additional: { ...entry.row.additional, ...row.additional },
      custom: { ...entry.row.custom, ...row.custom },
    } as ParsedRow;
    entry.rows.push(row.row);
    for (const k of keys) if (k) byKey.set(k, entry);
    touched.add(entry);
  }

  // contacts that got their first email here, for their company (associate_company_from_email)
  const emailed: ContactEmailChange[] = [];
  const inserts = [...touched].filter((e) => !e.contact);
  const updates = [...touched].filter((e) => e.contact);
  if (inserts.length) {
    const values = inserts.map(({ row }) => ({
      account_id: accountId,
      name: row.name ?? '',
      email: row.email ?? null,
      phone_number: row.phone_number ?? null,
      identifier: row.identifier ?? null,
      contact_type: row.email || row.phone_number || row.identifier ? 1 : 0,
      additional_attributes: JSON.stringify(row.additional),
      custom_attributes: JSON.stringify(row.custom),
    }));
    // a concurrent writer may take a key between our lookup and this insert: those rows are reported
    const created = await db
      .insertInto('contacts')
      .values(values)
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .execute();
    for (const contact of created) if (contact.email) emailed.push({ previousEmail: null, contact });
    if (created.length < inserts.length) {
      const landed = new Set(created.map((c) => `${c.email}|${c.phone_number}|${c.identifier}`));
      for (const entry of inserts) {
        const { email, phone_number, identifier } = entry.row;
        if (!landed.has(`${email ?? null}|${phone_number ?? null}|${identifier ?? null}`)) {
          for (const row of entry.rows) failures.push({ row, errors: 'Contact already exists' });
        }
      }
    }
  }
  for (const { contact, row, rows: rowNumbers } of updates) {
    try {
      const written = await db
        .updateTable('contacts')
        .set({
          ...(row.name !== undefined && { name: row.name }),
          ...(row.email !== undefined && { email: row.email }),
          ...(row.phone_number !== undefined && { phone_number: row.phone_number }),
          ...(row.identifier !== undefined && { identifier: row.identifier }),
          additional_attributes: JSON.stringify({ ...contact!.additional_attributes, ...row.additional }),
          custom_attributes: JSON.stringify({ ...contact!.custom_attributes, ...row.custom }),
          contact_type: contact!.contact_type === 0 ? 1 : contact!.contact_type,
          updated_at: new Date(),
        })
        .where('id', '=', contact!.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (contact!.email === null && written.email) emailed.push({ previousEmail: null, contact: written });
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error;
      for (const rowNumber of rowNumbers) failures.push({ row: rowNumber, errors: 'Contact already exists' });
    }
  }
  await linkCompaniesByEmail(db, emailed);
  return failures;
}

/** Imports a CSV byte stream into the account. Each batch commits on its own. */
export async function importContacts(
  db: Db,
  accountId: number,
  source: AsyncIterable<Buffer> | Readable,
  onProgress: (progress: ImportProgress) => void | Promise<void> = () => undefined,
): Promise<ImportResult> {
  const parser = Readable.from(source).pipe(
    parse({
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: false,
    }),
  );
  const result: ImportResult = { total: 0, processed: 0, failed: 0, failures: [] };
  const report = (failure: ImportFailure) => {
    result.failed += 1;
    if (result.failures.length < MAX_REPORTED_FAILURES) result.failures.push(failure);
  };
  let batch: ParsedRow[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const failures = await db.transaction().execute((tx) => upsertBatch(tx, accountId, batch));
    failures.forEach(report);
    result.processed += batch.length - failures.length;
    batch = [];
    await onProgress({ rows: result.total, failed: result.failed });
  };
  try {
    for await (const record of parser) {
      result.total += 1;
      // the header is line 1, so the first record is row 2, as a spreadsheet shows it
      const parsed = toParsedRow(record as Record<string, string>, result.total + 1);
      if (isFailure(parsed)) report(parsed);
      else batch.push(parsed);
      if (batch.length >= BATCH_SIZE) await flush();
    }
  } catch (error) {
    // a malformed CSV stops the import where it broke; what landed before stays
    report({ row: result.total + 2, errors: `Malformed CSV: ${(error as Error).message}` });
  }
  await flush();
  return result;
}
