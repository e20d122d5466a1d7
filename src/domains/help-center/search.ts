import { sql, type RawBuilder } from 'kysely';

/**
 * The words of a search, as pg_search's `tsearch: { prefix: true }` takes them: letters and
 * digits only (so nothing reaches to_tsquery's own syntax), each matched as a prefix, all required.
 */
export function searchTerms(query: string | undefined): string[] {
  return (query ?? '').match(/[\p{L}\p{N}]+/gu)?.slice(0, 32) ?? [];
}

/** `'word':* & 'other':*`: the text given to to_tsquery. */
const prefixQuery = (terms: string[]) => terms.map((term) => `'${term}':*`).join(' & ');

/**
 * The tsquery of the terms under each locale's dictionary, joined with OR: an article's vector was
 * built with its own locale's dictionary, so a query over several locales asks in each of theirs.
 * A constant, so the GIN index on articles.search_vector answers `search_vector @@ q`.
 */
export function tsQuery(terms: string[], locales: string[]): RawBuilder<string> {
  const text = prefixQuery(terms);
  const wanted = [...new Set(locales)];
  const parts = (wanted.length ? wanted : ['simple']).map(
    (locale) => sql`to_tsquery(help_center_ts_config(${locale}::text), ${text}::text)`,
  );
  return sql<string>`(${sql.join(parts, sql` || `)})`;
}

/** Ranked: the title weighs most (A), then the description (B), then the content (C). */
export const rankOf = (query: RawBuilder<string>) => sql<number>`ts_rank(articles.search_vector, ${query})`;

/**
 * The head of articles.search_vector: the title (A) and description (B), as 0151's index spells it
 * (the planner only uses that index for this very expression). A match here outranks any match in
 * the content alone, so ranking only these keeps a common word's search from ranking every match.
 */
export const headVector = sql<string>`(setweight(to_tsvector(help_center_ts_config(articles.locale), coalesce(articles.title, '')), 'A') || setweight(to_tsvector(help_center_ts_config(articles.locale), coalesce(articles.description, '')), 'B'))`;
