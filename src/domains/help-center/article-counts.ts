import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import { ARTICLE_STATUS } from '../../core/db/enums.js';
import type { ArticleCounts } from '../../serializers/portal.js';

// Every count here is read from the counters 0150_article_counts.sql keeps (a few rows per portal)
// rather than by counting the articles, which costs tens of milliseconds at 100,000 articles.

/** Which counters to add up: a portal, maybe one locale, maybe some categories (by a subquery). */
export interface CountScope {
  portalId: number;
  locale?: string;
  /** `category_id in (…)`: a subquery of category ids. */
  categoryIds?: Expression<{ id: number }>;
}

const total = (where?: ReturnType<typeof sql<SqlBool>>) =>
  where ? sql<number>`coalesce(sum(n) filter (where ${where}), 0)::int` : sql<number>`coalesce(sum(n), 0)::int`;

/** Counts by status and the caller's own, as `meta` has them; `mine` only with a caller and any article. */
export async function countsByStatus(db: Db, scope: CountScope, userId: number | undefined): Promise<ArticleCounts> {
  let query = db
    .selectFrom('article_counts')
    .select([
      total().as('all'),
      total(sql<SqlBool>`status = ${ARTICLE_STATUS.archived}`).as('archived'),
      total(sql<SqlBool>`status = ${ARTICLE_STATUS.published}`).as('published'),
      total(sql<SqlBool>`status = ${ARTICLE_STATUS.draft}`).as('draft'),
      total(sql<SqlBool>`author_id = ${userId ?? 0}`).as('mine'),
    ])
    .where('portal_id', '=', scope.portalId);
  if (scope.locale !== undefined) query = query.where('locale', '=', scope.locale);
  if (scope.categoryIds) query = query.where(sql<SqlBool>`category_id in (${scope.categoryIds})`);
  const { mine, ...counts } = await query.executeTakeFirstOrThrow();
  return userId !== undefined && counts.all > 0 ? { ...counts, mine } : counts;
}

/** Articles (of any status) per portal and locale. */
export function countsByLocale(db: Db, portalIds: number[]) {
  return db
    .selectFrom('article_counts')
    .select(['portal_id', 'locale', sql<number>`sum(n)::int`.as('n')])
    .where('portal_id', 'in', portalIds)
    .groupBy(['portal_id', 'locale'])
    .execute();
}

/** Articles per category (published ones only with `published`). */
export function countsByCategory(db: Db, categoryIds: number[], options: { published?: boolean } = {}) {
  return db
    .selectFrom('article_counts')
    .select(['category_id', sql<number>`sum(n)::int`.as('n')])
    .where('category_id', 'in', categoryIds)
    .$if(options.published === true, (q) => q.where('status', '=', ARTICLE_STATUS.published))
    .groupBy('category_id')
    .execute();
}

/** The portal's published articles. */
export async function publishedCount(db: Db, portalId: number): Promise<number> {
  const row = await db
    .selectFrom('article_counts')
    .select(total().as('n'))
    .where('portal_id', '=', portalId)
    .where('status', '=', ARTICLE_STATUS.published)
    .executeTakeFirstOrThrow();
  return row.n;
}
