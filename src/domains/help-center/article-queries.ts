import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { Article, Portal } from '../../core/db/schema.js';
import type { ArticleView } from '../../serializers/article.js';
import { listAgentViews } from '../agents/queries.js';
import { portalViews } from './portal-queries.js';

type Lite = Omit<ArticleView, 'root' | 'associated'>;

/**
 * The articles as their partial renders them: categories, authors, root and associated articles
 * (each with its portal), in a handful of queries for the whole page.
 */
export async function articleViews(db: Db, accountId: number, articles: Article[]): Promise<ArticleView[]> {
  if (articles.length === 0) return [];
  const ids = articles.map((a) => a.id);
  const rootIds = [...new Set(articles.map((a) => a.associated_article_id).filter((id): id is number => id !== null))];
  const [associated, roots] = await Promise.all([
    db.selectFrom('articles').selectAll().where('associated_article_id', 'in', ids).orderBy('id').execute(),
    rootIds.length ? db.selectFrom('articles').selectAll().where('id', 'in', rootIds).execute() : ([] as Article[]),
  ]);
  const all = [...articles, ...associated, ...roots];
  const categoryIds = [...new Set(all.map((a) => a.category_id).filter((id): id is number => id !== null))];
  const authorIds = [...new Set(all.map((a) => a.author_id).filter((id): id is number => id !== null))];
  const portalIds = [...new Set([...associated, ...roots].map((a) => a.portal_id))];
  const [categories, authors, portals] = await Promise.all([
    categoryIds.length ? db.selectFrom('categories').selectAll().where('id', 'in', categoryIds).execute() : [],
    listAgentViews(db, accountId, authorIds),
    portalIds.length ? db.selectFrom('portals').selectAll().where('id', 'in', portalIds).execute() : ([] as Portal[]),
  ]);
  const portalById = new Map((await portalViews(db, portals)).map((view) => [view.portal.id, view]));
  const categoryById = new Map(categories.map((c) => [c.id, c]));
  const authorById = new Map(authors.map((a) => [a.user.id, a]));
  const lite = (article: Article): Lite => ({
    article,
    category: article.category_id === null ? null : (categoryById.get(article.category_id) ?? null),
    author: article.author_id === null ? null : (authorById.get(article.author_id) ?? null),
    portal: portalById.get(article.portal_id),
  });
  const rootById = new Map(roots.map((r) => [r.id, r]));
  return articles.map((article) => {
    const root = article.associated_article_id === null ? undefined : rootById.get(article.associated_article_id);
    return {
      ...lite(article),
      root: root ? lite(root) : null,
      associated: associated.filter((a) => a.associated_article_id === article.id).map(lite),
    };
  });
}

/** Article#slug when none is given: the time and the parameterized title (`1700000000-getting-started`). */
export function articleSlug(title: string, now = new Date()): string {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${Math.floor(now.getTime() / 1000)}-${words}`.replace(/-$/, '');
}

/** The next position in a category (or among the portal's uncategorized articles): the last + 10. */
export async function nextPosition(db: Db, portalId: number, categoryId: number | null): Promise<number> {
  let query = db
    .selectFrom('articles')
    .select(sql<number | null>`max(position)`.as('last'))
    .where('portal_id', '=', portalId);
  query = categoryId === null ? query.where('category_id', 'is', null) : query.where('category_id', '=', categoryId);
  const row = await query.executeTakeFirst();
  return (row?.last ?? 0) + 10;
}
