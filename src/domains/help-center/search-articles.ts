import { sql } from 'kysely';
import { ARTICLE_STATUS } from '../../core/db/enums.js';
import type { AccountCtx } from '../../core/http/account-scope.js';
import type { SearchArticleRow } from '../../serializers/search-article.js';
import { allowedLocales } from '../../serializers/portal.js';
import { rankOf, searchQuery, searchTerms } from './search.js';

/** SearchService's page size. */
const PER_PAGE = 15;

/**
 * GET /search/articles?q=: the account's published articles (SearchService#filter_articles: drafts
 * and archived ones are not found), ranked by full-text match of title, description and content,
 * each portal locale's dictionary asked; a blank q lists the latest.
 */
export async function searchArticles(ctx: AccountCtx, q: string | undefined, page = 1): Promise<SearchArticleRow[]> {
  let query = ctx.db
    .selectFrom('articles')
    .innerJoin('portals', 'portals.id', 'articles.portal_id')
    .leftJoin('categories', 'categories.id', 'articles.category_id')
    .selectAll('articles')
    .select(['portals.slug as portal_slug', 'categories.name as category_name'])
    .where('articles.account_id', '=', ctx.account.id)
    .where('articles.status', '=', ARTICLE_STATUS.published);
  if (q?.trim()) {
    const terms = searchTerms(q);
    if (terms.length === 0) return [];
    const portals = await ctx.db
      .selectFrom('portals')
      .select('config')
      .where('account_id', '=', ctx.account.id)
      .execute();
    const search = await searchQuery(ctx.db, ctx.account.id, terms, portals.flatMap(allowedLocales));
    query = query.where(search.matches(sql`articles.search_vector`)).orderBy(sql`${rankOf(search.query)} desc`);
  }
  return query
    .orderBy('articles.updated_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(PER_PAGE)
    .offset((page - 1) * PER_PAGE)
    .execute();
}
