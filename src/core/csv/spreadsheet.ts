import { stringify } from 'csv-stringify/sync';

/**
 * A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, and tab or carriage return,
 * which some applications strip before looking) in text gets a leading apostrophe: a report or export a
 * manager opens must not run what a contact typed (OWASP "CSV injection").
 */
export function spreadsheetSafe(value: unknown): string {
  if (value === null || value === undefined) return '';
  // a number is data, not text someone typed: -5 stays a number
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Rows as CSV text (RFC 4180 quoting by csv-stringify), every cell spreadsheet-safe. */
export function spreadsheetCsv(header: readonly string[] | null, rows: readonly (readonly unknown[])[]): string {
  const records = rows.map((row) => row.map(spreadsheetSafe));
  return stringify(header ? [header.map(spreadsheetSafe), ...records] : records);
}
