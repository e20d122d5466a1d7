import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../core/db/kysely.js';

/**
 * The words of a search, as pg_search's `tsearch: { prefix: true }` takes them: letters and
 * digits only (so nothing reaches to_tsquery's own syntax), each matched as a prefix, all required.
 */
export function searchTerms(query: string | undefined): string[] {
  return (query ?? '').match(/[\p{L}\p{N}]+/gu)?.slice(0, 32) ?? [];
}

/** `'word':* & 'other':*`: the text given to to_tsquery. */
const prefixQuery = (terms: string[]) => terms.map((term) => `'${term}':*`).join(' & ');

/** The locales whose dictionaries a search asks, each once; `simple`'s when there are none. */
function dictionaryLocales(locales: string[]): string[] {
  const wanted = [...new Set(locales)];
  return wanted.length ? wanted : ['simple'];
}

/**
 * The tsquery of the terms under each locale's dictionary, joined with OR: an article's vector was
 * built with its own locale's dictionary, so a query over several locales asks in each of theirs.
 * A constant, so the GIN index on articles.search_vector answers `search_vector @@ q`.
 */
export function tsQuery(terms: string[], locales: string[]): RawBuilder<string> {
  const text = prefixQuery(terms);
  const parts = dictionaryLocales(locales).map(
    (locale) => sql`to_tsquery(help_center_ts_config(${locale}::text), ${text}::text)`,
  );
  return sql<string>`(${sql.join(parts, sql` || `)})`;
}

/** A prefix covering more lexemes than this is left to GIN's own prefix match. */
const MAX_EXPANSION = 64;

/** A lexeme as a tsquery operand: quoted, its quotes doubled and backslashes escaped. */
const operand = (lexeme: string) => `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/**
 * The tsquery of a search of several words, each prefix spelled out as the account's lexemes it
 * covers (0152): GIN reads a prefix's every posting list into a bitmap before intersecting, but
 * intersects exact alternatives by skipping through the rarest (67 → 6 ms at 100,000 articles for
 * two words). A word is normalised by every locale's dictionary, and its forms are alternatives of
 * one another: across locales that matches a little more than asking each dictionary for all the
 * words apart would (an English article with the German stem of a word), never less. A word that
 * is a stop word in some locale requires nothing, as it would in that locale's own query. One
 * word, a prefix of more than MAX_EXPANSION lexemes, or only stop words: the plain tsQuery.
 */
export async function searchQuery(
  db: Db,
  accountId: number,
  terms: string[],
  locales: string[],
): Promise<RawBuilder<string>> {
  if (terms.length < 2) return tsQuery(terms, locales);
  // the first lexemes from each form on, in C order: those that start with it are the first run
  const { rows } = await sql<{ ord: string; lexeme: string | null; following: string[] | null }>`
    select t.ord, l.lexeme,
           array(select a.lexeme from article_lexemes a
                  where a.account_id = ${accountId} and a.lexeme >= l.lexeme
                  order by a.lexeme limit ${MAX_EXPANSION + 1}) as following
      from unnest(${terms}::text[]) with ordinality t(term, ord)
     cross join unnest(${dictionaryLocales(locales)}::text[]) c(locale)
      left join lateral unnest(tsvector_to_array(to_tsvector(help_center_ts_config(c.locale), t.term))) l(lexeme)
        on true`.execute(db);
  const alternatives = new Map<string, Set<string> | null>();
  for (const row of rows) {
    if (alternatives.get(row.ord) === null) continue;
    if (row.lexeme === null) {
      alternatives.set(row.ord, null);
      continue;
    }
    const covered = (row.following ?? []).filter((lexeme) => lexeme.startsWith(row.lexeme!));
    if (covered.length > MAX_EXPANSION) return tsQuery(terms, locales);
    const set = alternatives.get(row.ord) ?? new Set<string>();
    // a form no article has: kept as its prefix, which matches nothing, as the form would
    for (const lexeme of covered.length ? covered.map(operand) : [`${operand(row.lexeme)}:*`]) set.add(lexeme);
    alternatives.set(row.ord, set);
  }
  const required = [...alternatives.values()].filter((set): set is Set<string> => set !== null);
  if (required.length === 0) return tsQuery(terms, locales);
  const text = required.map((set) => `(${[...set].join(' | ')})`).join(' & ');
  return sql<string>`${text}::tsquery`;
}

/** Ranked: the title weighs most (A), then the description (B), then the content (C). */
export const rankOf = (query: RawBuilder<string>) => sql<number>`ts_rank(articles.search_vector, ${query})`;

/**
 * The head of articles.search_vector: the title (A) and description (B), as 0151's index spells it
 * (the planner only uses that index for this very expression). A match here outranks any match in
 * the content alone, so ranking only these keeps a common word's search from ranking every match.
 */
export const headVector = sql<string>`(setweight(to_tsvector(help_center_ts_config(articles.locale), coalesce(articles.title, '')), 'A') || setweight(to_tsvector(help_center_ts_config(articles.locale), coalesce(articles.description, '')), 'B'))`;
