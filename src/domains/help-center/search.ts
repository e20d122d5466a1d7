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

/** A search as SQL: what an article's vector must match, and the tsquery its rank is measured by. */
export interface ArticleSearch {
  /**
   * True when `vector` matches: articles.search_vector, its stripped copy article_search_rows.vector,
   * or its head (headVector).
   */
  matches: (vector: RawBuilder<unknown>) => RawBuilder<boolean>;
  /** The tsquery for ts_rank. */
  query: RawBuilder<string>;
  /**
   * Some of it is checked on every row the index finds (ts_match_vq on the whole vector), so the
   * vector is read: article_search_rows keep theirs out of line, where each is a lookup of its own.
   */
  checksRows: boolean;
}

/** A tsquery matched through the vector's GIN index. */
const indexed = (query: RawBuilder<string>): ArticleSearch => ({
  matches: (vector) => sql<boolean>`${vector} @@ ${query}`,
  query,
  checksRows: false,
});

/**
 * The search of some words, each prefix spelled out as the account's lexemes it covers (0152).
 * GIN reads a prefix's every posting list into a bitmap before intersecting, but intersects exact
 * alternatives by skipping through the rarest (67 → 6 ms at 100,000 articles for two words), and
 * a match found by a prefix is checked again on each row (12 µs a row against 1.5 for exact
 * lexemes: 130 → 20 ms for a word in 10,000 articles). A word is normalised by every locale's
 * dictionary, and its forms are alternatives of one another: across locales that matches a little
 * more than asking each dictionary for all the words apart would (an English article with the
 * German stem of a word), never less. A word that is a stop word in some locale requires nothing,
 * as it would in that locale's own query. A word whose prefix covers more than MAX_EXPANSION
 * lexemes ("dars", stemmed "dar", covers 300 at 100,000 articles) is checked row by row on the
 * matches of the others (ts_match_vq: the operator's function, which no index answers) — a bitmap
 * of it alone read 100 ms; only when every word is such a word, or a stop word, is the plain
 * tsQuery left to the index.
 */
export async function searchQuery(
  db: Db,
  accountId: number,
  terms: string[],
  locales: string[],
): Promise<ArticleSearch> {
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
  // by the word's position: its alternatives, 'stop' (it requires nothing) or 'broad' (too many)
  const alternatives = new Map<string, Set<string> | 'stop' | 'broad'>();
  for (const row of rows) {
    const known = alternatives.get(row.ord);
    if (known === 'stop' || known === 'broad') continue;
    if (row.lexeme === null) {
      alternatives.set(row.ord, 'stop');
      continue;
    }
    const covered = (row.following ?? []).filter((lexeme) => lexeme.startsWith(row.lexeme!));
    if (covered.length > MAX_EXPANSION) {
      alternatives.set(row.ord, 'broad');
      continue;
    }
    const set = known ?? new Set<string>();
    // a form no article has (article_lexemes keeps every lexeme there has been) matches nothing:
    // kept as its prefix only while the word has no other form, as a prefix is checked row by row
    for (const lexeme of covered.length ? covered.map(operand) : [`${operand(row.lexeme)}:*`]) set.add(lexeme);
    alternatives.set(row.ord, set);
  }
  const required = [...alternatives.values()]
    .filter((set): set is Set<string> => set instanceof Set)
    .map((set) => {
      const found = [...set].filter((lexeme) => !lexeme.endsWith(':*'));
      return found.length ? new Set(found) : set;
    });
  if (required.length === 0) return indexed(tsQuery(terms, locales));
  const exact = sql<string>`${required.map((set) => `(${[...set].join(' | ')})`).join(' & ')}::tsquery`;
  const broad = [...alternatives.entries()]
    .filter(([, kind]) => kind === 'broad')
    .map(([ord]) => terms[Number(ord) - 1]!);
  if (broad.length === 0) return indexed(exact);
  // each broad word as the plain search asks it, in any locale; all of them
  const rest = sql<string>`(${sql.join(
    broad.map((term) => tsQuery([term], locales)),
    sql` && `,
  )})`;
  return {
    matches: (vector) => sql<boolean>`(${vector} @@ ${exact} and ts_match_vq(${vector}, ${rest}))`,
    query: sql<string>`(${exact} && ${rest})`,
    checksRows: true,
  };
}

/** Ranked: the title weighs most (A), then the description (B), then the content (C). */
export const rankOf = (query: RawBuilder<string>) => sql<number>`ts_rank(articles.search_vector, ${query})`;

/**
 * The head of articles.search_vector: the title (A) and description (B), as 0151's index spells it
 * (the planner only uses that index for this very expression). A match here outranks any match in
 * the content alone, so ranking only these keeps a common word's search from ranking every match.
 */
export const headVector = sql<string>`(setweight(to_tsvector(help_center_ts_config(articles.locale), coalesce(articles.title, '')), 'A') || setweight(to_tsvector(help_center_ts_config(articles.locale), coalesce(articles.description, '')), 'B'))`;
