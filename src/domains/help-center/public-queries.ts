import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import { ARTICLE_STATUS } from '../../core/db/enums.js';
import type { Article, Portal, User } from '../../core/db/schema.js';
import type { PublicArticleView, PublicPortalView } from '../../serializers/public-help-center.js';
import { publishedCount } from './article-counts.js';
import { categoryViews } from './categories.js';
import { allowedLocales, draftLocales } from '../../serializers/portal.js';
import { rankOf, searchQuery, searchTerms } from './search.js';

const PUBLISHED = ARTICLE_STATUS.published;

/** `Portal.find_by!(slug:, archived: false)`: an archived portal has no public pages. */
export function publicPortal(db: Db, slug: string): Promise<Portal | undefined> {
  return db.selectFrom('portals').selectAll().where('slug', '=', slug).where('archived', '=', false).executeTakeFirst();
}

/** Portal#public_locale_codes: the allowed locales that are not drafts. */
export function isPublicLocale(portal: Portal, locale: string): boolean {
  return allowedLocales(portal).includes(locale) && !draftLocales(portal).includes(locale);
}

/** The portal with its categories (of one locale, when given) and their published article counts. */
export async function publicPortalView(db: Db, portal: Portal, locale?: string): Promise<PublicPortalView> {
  let categories = db.selectFrom('categories').selectAll().where('portal_id', '=', portal.id);
  if (locale) categories = categories.where('locale', '=', locale);
  const [rows, published, logo] = await Promise.all([
    categories.orderBy(sql`position asc nulls last`).orderBy('id').execute(),
    publishedCount(db, portal.id),
    portal.avatar_blob_id === null
      ? undefined
      : db.selectFrom('blobs').selectAll().where('id', '=', portal.avatar_blob_id).executeTakeFirst(),
  ]);
  return {
    portal,
    logo:
      logo && portal.avatar_url
        ? { url: portal.avatar_url, contentType: logo.content_type, filename: logo.filename }
        : null,
    categories: await categoryViews(db, rows, { published: true }),
    publishedCount: published,
  };
}

export interface PublicArticleFilter {
  locale?: string;
  categoryId?: number;
  query?: string;
  sortByViews?: boolean;
  page?: number;
  perPage?: number;
}

/** Published articles of the portal: by rank for a search, by views with sort=views, else by position. */
export async function publishedArticles(db: Db, portal: Portal, filter: PublicArticleFilter): Promise<Article[]> {
  let query = db.selectFrom('articles').selectAll().where('portal_id', '=', portal.id).where('status', '=', PUBLISHED);
  if (filter.locale) query = query.where('locale', '=', filter.locale);
  if (filter.categoryId !== undefined) query = query.where('category_id', '=', filter.categoryId);
  if (filter.query?.trim()) {
    const terms = searchTerms(filter.query);
    if (terms.length === 0) return [];
    const q = await searchQuery(db, portal.account_id, terms, filter.locale ? [filter.locale] : allowedLocales(portal));
    query = query.where(q.matches(sql`articles.search_vector`)).orderBy(sql`${rankOf(q.query)} desc`);
  }
  if (filter.sortByViews) query = query.orderBy('views', 'desc');
  const perPage = filter.perPage ?? 100;
  return query
    .orderBy(sql`position asc nulls last`)
    .orderBy('id')
    .limit(perPage)
    .offset(((filter.page ?? 1) - 1) * perPage)
    .execute();
}

/** A published article of the portal by its slug, with its author, category and published translations. */
export async function publishedArticle(db: Db, portal: Portal, slug: string): Promise<PublicArticleView | undefined> {
  const article = await db
    .selectFrom('articles')
    .selectAll()
    .where('portal_id', '=', portal.id)
    .where('slug', '=', slug)
    .where('status', '=', PUBLISHED)
    .executeTakeFirst();
  if (!article) return undefined;
  return (await publicArticleViews(db, [article]))[0];
}

export async function publicArticleViews(db: Db, articles: Article[]): Promise<PublicArticleView[]> {
  if (articles.length === 0) return [];
  const associated = await db
    .selectFrom('articles')
    .selectAll()
    .where(
      'associated_article_id',
      'in',
      articles.map((a) => a.id),
    )
    .where('status', '=', PUBLISHED)
    .orderBy('id')
    .execute();
  const all = [...articles, ...associated];
  const authorIds = [...new Set(all.map((a) => a.author_id).filter((id) => id !== null))];
  const categoryIds = [...new Set(articles.map((a) => a.category_id).filter((id) => id !== null))];
  const [authors, categories] = await Promise.all([
    authorIds.length ? db.selectFrom('users').selectAll().where('id', 'in', authorIds).execute() : ([] as User[]),
    categoryIds.length ? db.selectFrom('categories').selectAll().where('id', 'in', categoryIds).execute() : [],
  ]);
  const authorOf = (a: Article) => authors.find((u) => u.id === a.author_id) ?? null;
  return articles.map((article) => ({
    article,
    author: authorOf(article),
    category: categories.find((c) => c.id === article.category_id) ?? null,
    associated: associated
      .filter((a) => a.associated_article_id === article.id)
      .map((a) => ({ article: a, author: authorOf(a) })),
  }));
}

/** A view of a published article (the page was read): one statement, no read of the row first. */
export async function countView(db: Db, articleId: number): Promise<void> {
  await db
    .updateTable('articles')
    .set({ views: sql`views + 1` })
    .where('id', '=', articleId)
    .where('status', '=', PUBLISHED)
    .execute();
}

/** Every published article of the portal, for the sitemap. */
export function sitemapArticles(db: Db, portal: Portal) {
  return db
    .selectFrom('articles')
    .select(['slug', 'updated_at'])
    .where('portal_id', '=', portal.id)
    .where('status', '=', PUBLISHED)
    .orderBy('id')
    .execute();
}
