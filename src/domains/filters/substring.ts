/**
 * Substring conditions a trigram GIN index can serve quickly at a million rows.
 *
 * `doc ILIKE '%person12345@%'` hands GIN all of the pattern's trigrams as one scan key, and GIN
 * walks the whole posting tree of every trigram the key holds that occurs in nearly every row
 * (`per`, `ers`, `son` of every generated e-mail): 1,400 index pages and 50–400 ms for one match
 * (EXPLAIN ANALYZE, BUFFERS, 1M contacts). Given each trigram as a condition of its own, GIN
 * intersects the keys by skipping: the rare trigrams lead and the common ones are only probed at
 * their candidates (78 pages, 1 ms). Each condition is implied by the substring match, so the
 * answer is the same; the exact match is then checked on the few candidates.
 *
 * A rare substring also cost 400 ms for another reason: planned generically (plan_cache_mode, see
 * core/db/prepared.ts), a statement did not know its pattern, and walked the id order through all
 * the account's rows looking for a page of matches (24,922 heap pages at 1M).
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';

/** Escapes LIKE's wildcards and its escape character, so the text matches itself. */
export const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** At most this many trigram conditions a substring (planning time grows with each). */
const MAX_TRIGRAMS = 16;
const WORD = /^[\p{L}\p{N}]{3}$/u;

/**
 * The text's three-character windows of letters and digits: each is exactly one trigram of
 * pg_trgm (a window with a separator may yield none, which would make GIN read everything).
 * Evenly spread when there are more than MAX_TRIGRAMS; none for text without such a window.
 */
export function trigramWindows(text: string): string[] {
  // the text's own characters (PostgreSQL lowers each side of ILIKE its way); repeats once
  const chars = [...text];
  const windows: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) {
    const window = chars.slice(i, i + 3).join('');
    if (!WORD.test(window) || seen.has(window.toLowerCase())) continue;
    seen.add(window.toLowerCase());
    windows.push(window);
  }
  if (windows.length <= MAX_TRIGRAMS) return windows;
  return Array.from(
    { length: MAX_TRIGRAMS },
    (_, i) => windows[Math.round((i * (windows.length - 1)) / (MAX_TRIGRAMS - 1))]!,
  );
}

/**
 * Conditions implied by `document` holding `text` (case-insensitively), one a trigram, for the
 * index to find the candidates; undefined when the text has no trigram of letters and digits.
 */
export function trigramCandidates(document: RawBuilder<unknown>, text: string): RawBuilder<SqlBool> | undefined {
  const windows = trigramWindows(text);
  if (windows.length === 0) return undefined;
  // literals, not parameters: the plan depends on them — walk the id order for a common substring,
  // ask the index for a rare one — and a literal keeps it so whatever plan mode a connection is in;
  // a window is letters and digits only, so it needs no quoting
  return sql<SqlBool>`(${sql.join(
    windows.map((w) => sql`${document} ilike ${sql.lit(`%${w}%`)}`),
    sql` and `,
  )})`;
}

/**
 * `document` holds `text`, ignoring case (what `ILIKE '%text%'` means: PostgreSQL lowers both
 * sides for a multi-byte encoding), found through the trigram index where the text allows.
 */
export function containsText(document: RawBuilder<unknown>, text: string): RawBuilder<SqlBool> {
  const candidates = trigramCandidates(document, text);
  // without a trigram to look up, the pattern itself goes to the index, as before
  if (!candidates) return sql<SqlBool>`${document} ilike ${`%${escapeLike(text)}%`}`;
  // strpos is no index condition: it checks the candidates instead of joining the index scan
  return sql<SqlBool>`(${candidates} and strpos(lower(${document}), lower(${text})) > 0)`;
}
