import { stringify } from 'csv-stringify/sync';
import type { RawBuilder, SqlBool } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import { isResolved } from './queries.js';

/** Columns an export may ask for (Chatwoot keeps those that are Contact columns). */
export const EXPORTABLE = [
  'id',
  'name',
  'email',
  'phone_number',
  'identifier',
  'blocked',
  'created_at',
  'updated_at',
  'last_activity_at',
  'location',
  'country_code',
] as const;
type Column = (typeof EXPORTABLE)[number];
export const DEFAULT_COLUMNS: Column[] = ['id', 'name', 'email', 'phone_number'];

export function exportColumns(requested: string[] | undefined): Column[] {
  const chosen = (requested ?? []).filter((c): c is Column => (EXPORTABLE as readonly string[]).includes(c));
  return chosen.length ? chosen : DEFAULT_COLUMNS;
}

const PAGE = 5000;

/**
 * Streams the account's resolved contacts as CSV, in id order, a page at a time (keyset
 * pagination), so a million contacts never sit in memory together.
 */
export async function* exportContactsCsv(
  db: Db,
  accountId: number,
  columns: Column[],
  where?: RawBuilder<SqlBool>,
): AsyncGenerator<string> {
  let after = 0;
  for (let first = true; ; first = false) {
    let query = db
      .selectFrom('contacts')
      .selectAll()
      .where('account_id', '=', accountId)
      .where(isResolved)
      .where('id', '>', after);
    if (where) query = query.where(where);
    const rows = await query.orderBy('id').limit(PAGE).execute();
    const records = rows.map((row) =>
      columns.map((c) => {
        const value = row[c];
        return value instanceof Date ? value.toISOString() : value;
      }),
    );
    const text = stringify(records, { header: first, columns: columns as string[] });
    if (text) yield text;
    if (rows.length < PAGE) return;
    after = rows.at(-1)!.id;
  }
}
