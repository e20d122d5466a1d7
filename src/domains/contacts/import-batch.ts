import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { Contact } from '../../core/db/schema.js';
import { linkCompaniesByEmail, type ContactEmailChange } from '../companies/link-contact.js';

/** One CSV row as the importer read it: its spreadsheet row number and its values. */
export interface ParsedRow {
  row: number;
  name?: string;
  email?: string;
  phone_number?: string;
  identifier?: string;
  additional: Record<string, string>;
  custom: Record<string, string>;
}

export interface ImportFailure {
  row: number;
  errors: string;
}

/** The keys a contact is matched by, in the order they take precedence. */
const KEYS = ['identifier', 'email', 'phone_number'] as const;
type Key = (typeof KEYS)[number];
/** What the batch needs of an existing contact: its id and keys (and, for companies, the rest). */
type Found = Pick<Contact, 'id' | Key> & Partial<Contact>;
type Pending = { contact?: Found; row: ParsedRow; rows: number[] };
const FIELDS = ['name', ...KEYS] as const;

const present = (rows: ParsedRow[], key: Key) => [
  ...new Set(rows.map((r) => r[key]).filter((v): v is string => Boolean(v))),
];

/**
 * Existing contacts any row of the batch could match: one statement, an index probe a key value.
 * The account id is a subquery's value, which the planner does not look up in the statistics: an
 * account they do not know yet (an import into a new account after ANALYZE saw another's million)
 * would look like one contact, and any index led by account_id as good as the key's, reading the
 * account's every row for each value.
 * Each value is looked up on its own (a lateral probe of the key's unique index): with the three
 * keys OR-ed in one condition, PostgreSQL read the whole account instead (a parallel seq scan
 * hashing 15,000 values against every contact: 88 ms a batch at 300k contacts, and growing with
 * the account; 21 ms probing). A million-row import: 16.5k → 23–25k rows/s.
 */
export function lookupStatement(accountId: number, rows: ParsedRow[]) {
  const probe = (column: Key, values: string[]) => sql`select c.id, c.identifier, c.email, c.phone_number
      from unnest(${values}::text[]) as k(v)
      cross join lateral (select id, identifier, email, phone_number from contacts
        where account_id = (select ${accountId}::bigint) and ${sql.ref(column)} = k.v limit 1) c`;
  return sql<Found>`${sql.join(
    KEYS.map((key) => probe(key, present(rows, key))),
    sql` union `,
  )}`;
}

async function lookup(db: Db, accountId: number, rows: ParsedRow[]): Promise<Found[]> {
  return (await lookupStatement(accountId, rows).execute(db)).rows;
}

/**
 * Chatwoot's ContactManager over a batch: each row goes to the contact its identifier, else its
 * email, else its phone number names, among the account's contacts and the batch's earlier rows
 * (which merge into one write); a row whose keys name two different contacts fails.
 */
function match(existing: Found[], rows: ParsedRow[]): { touched: Pending[]; failures: ImportFailure[] } {
  const failures: ImportFailure[] = [];
  const byKey = new Map<string, Pending>();
  const keyOf = (field: Key, value: string | null | undefined) => (value ? `${field}:${value}` : undefined);
  for (const contact of existing) {
    const entry: Pending = { contact, row: { row: 0, additional: {}, custom: {} }, rows: [] };
    for (const field of KEYS) {
      const k = keyOf(field, contact[field]);
      if (k) byKey.set(k, entry);
    }
  }
  const touched = new Set<Pending>();
  for (const row of rows) {
    const keys = KEYS.map((field) => keyOf(field, row[field]));
    const matches = keys.map((k) => (k ? byKey.get(k) : undefined));
    const target = matches.find(Boolean);
    const clash = matches.findIndex((m) => m && m !== target);
    if (clash >= 0) {
      failures.push({
        row: row.row,
        errors: `${['Identifier', 'Email', 'Phone number'][clash]} has already been taken`,
      });
      continue;
    }
    // a row of its own becomes the entry's values as it is (the batch reads it no more); a later row
    // of the same contact sets what it gives over it, attributes merged key by key
    let entry: Pending;
    if (target) {
      entry = target;
      for (const field of FIELDS) if (row[field] !== undefined) entry.row[field] = row[field];
      Object.assign(entry.row.additional, row.additional);
      Object.assign(entry.row.custom, row.custom);
      entry.rows.push(row.row);
    } else entry = { row, rows: [row.row] };
    for (const k of keys) if (k) byKey.set(k, entry);
    touched.add(entry);
  }
  return { touched: [...touched], failures };
}

/** The entries' values as one array a column, for `unnest` (one statement whatever the batch size). */
function columns(entries: Pending[]) {
  const pick = (f: (e: Pending) => string | number | null) => entries.map(f);
  return {
    ids: pick((e) => e.contact?.id ?? null),
    names: pick((e) => e.row.name ?? null),
    emails: pick((e) => e.row.email ?? null),
    phones: pick((e) => e.row.phone_number ?? null),
    identifiers: pick((e) => e.row.identifier ?? null),
    additional: pick((e) => JSON.stringify(e.row.additional)),
    custom: pick((e) => JSON.stringify(e.row.custom)),
  };
}

const LINK_COLUMNS = sql`id, account_id, email, phone_number, identifier, company_id, additional_attributes, last_activity_at`;

/** Only the keys of the rows that landed, when no company needs linking: less to send and to read. */
const KEY_COLUMNS = sql`email, phone_number, identifier`;

/**
 * Creates the batch's new contacts; returns those that landed: their link columns when `companies`,
 * else only their keys (the other columns then stay unset).
 */
async function insertNew(db: Db, accountId: number, entries: Pending[], companies: boolean): Promise<Contact[]> {
  const c = columns(entries);
  // a concurrent writer may take a key between the lookup and here: those rows do not land, and are reported
  const { rows } = await sql<Contact>`
    insert into contacts (account_id, name, email, phone_number, identifier, contact_type, additional_attributes, custom_attributes)
    select ${accountId}, coalesce(v.name, ''), v.email, v.phone, v.identifier,
           case when v.email is null and v.phone is null and v.identifier is null then 0 else 1 end, v.additional, v.custom
      from unnest(${c.names}::text[], ${c.emails}::text[], ${c.phones}::text[], ${c.identifiers}::text[],
                  ${c.additional}::jsonb[], ${c.custom}::jsonb[]) as v(name, email, phone, identifier, additional, custom)
    on conflict do nothing
    returning ${companies ? LINK_COLUMNS : KEY_COLUMNS}`.execute(db);
  return rows;
}

/** Updates matched contacts in one statement: given values set, attributes merged, a visitor becomes a lead. */
async function updateMatched(db: Db, accountId: number, entries: Pending[]): Promise<Contact[]> {
  const c = columns(entries);
  const { rows } = await sql<Contact>`
    update contacts set
      name = coalesce(v.name, contacts.name),
      email = coalesce(v.email, contacts.email),
      phone_number = coalesce(v.phone, contacts.phone_number),
      identifier = coalesce(v.identifier, contacts.identifier),
      additional_attributes = contacts.additional_attributes || v.additional,
      custom_attributes = contacts.custom_attributes || v.custom,
      contact_type = case when contacts.contact_type = 0 then 1 else contacts.contact_type end,
      updated_at = now()
    from unnest(${c.ids}::bigint[], ${c.names}::text[], ${c.emails}::text[], ${c.phones}::text[],
                ${c.identifiers}::text[], ${c.additional}::jsonb[], ${c.custom}::jsonb[])
           as v(id, name, email, phone, identifier, additional, custom)
    where contacts.account_id = ${accountId} and contacts.id = v.id
    returning ${sql.join(['id', 'account_id', 'email', 'phone_number', 'identifier', 'company_id', 'additional_attributes', 'last_activity_at'].map((col) => sql.ref(`contacts.${col}`)))}`.execute(
    db,
  );
  return rows;
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/**
 * Updates in one statement; when a key another contact took meanwhile refuses it, each update on
 * its own (a savepoint each), so only the rows that clash are reported.
 */
async function updateAll(db: Db, accountId: number, entries: Pending[], failures: ImportFailure[]) {
  await sql`savepoint import_updates`.execute(db);
  try {
    return await updateMatched(db, accountId, entries);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await sql`rollback to savepoint import_updates`.execute(db);
  }
  const written: Contact[] = [];
  for (const entry of entries) {
    await sql`savepoint import_update`.execute(db);
    try {
      written.push(...(await updateMatched(db, accountId, [entry])));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await sql`rollback to savepoint import_update`.execute(db);
      for (const row of entry.rows) failures.push({ row, errors: 'Contact already exists' });
    }
  }
  return written;
}

/** Upserts one batch in the caller's transaction; returns the rows that failed. */
export async function upsertBatch(
  db: Db,
  accountId: number,
  rows: ParsedRow[],
  options: {
    companies: boolean;
    /**
     * Given the contacts the lookup found, waits for any concurrent batch they or the rows share a
     * key with and says whether it did: the lookup then runs again, to see what that batch wrote.
     */
    claim?: (found: Found[]) => Promise<boolean>;
  },
): Promise<ImportFailure[]> {
  let found = await lookup(db, accountId, rows);
  while (options.claim && (await options.claim(found))) found = await lookup(db, accountId, rows);
  const { touched, failures } = match(found, rows);
  const inserts = touched.filter((e) => !e.contact);
  const updates = touched.filter((e) => e.contact);
  const created = inserts.length ? await insertNew(db, accountId, inserts, options.companies) : [];
  if (created.length < inserts.length) {
    const landed = new Set(created.map((c) => `${c.email}|${c.phone_number}|${c.identifier}`));
    for (const entry of inserts) {
      const { email, phone_number, identifier } = entry.row;
      if (!landed.has(`${email ?? null}|${phone_number ?? null}|${identifier ?? null}`)) {
        for (const row of entry.rows) failures.push({ row, errors: 'Contact already exists' });
      }
    }
  }
  const updated = updates.length ? await updateAll(db, accountId, updates, failures) : [];
  if (options.companies) {
    // contacts that got their first email here, for their company (associate_company_from_email)
    const hadEmail = new Set(updates.filter((e) => e.contact!.email).map((e) => e.contact!.id));
    const emailed: ContactEmailChange[] = [...created, ...updated.filter((c) => !hadEmail.has(c.id))]
      .filter((contact) => contact.email)
      .map((contact) => ({ previousEmail: null, contact }));
    await linkCompaniesByEmail(db, emailed);
  }
  return failures;
}
