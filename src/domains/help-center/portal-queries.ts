import { sql, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { Blob, Database, Portal } from '../../core/db/schema.js';
import { recordNotFound } from '../../core/errors.js';
import { allowedLocales, draftLocales, type PortalView } from '../../serializers/portal.js';
import { countsByLocale, countsByStatus } from './article-counts.js';

/** `Current.account.portals.find_by(slug:)`; upstream crashes on a miss, Confab answers 404. */
export async function findPortal(db: Db, accountId: number, slug: string): Promise<Portal> {
  const portal = await db
    .selectFrom('portals')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (!portal) throw recordNotFound();
  return portal;
}

/** A narrowing of an articles query (filters), applied to lists and counts alike. */
export type ArticleFilter = <O>(
  query: SelectQueryBuilder<Database, 'articles', O>,
) => SelectQueryBuilder<Database, 'articles', O>;

type LocaleCount = { portal_id: number; locale: string; n: number };

const keyed = (rows: LocaleCount[]) => new Map(rows.map((row) => [`${row.portal_id}:${row.locale}`, row.n]));

/**
 * The portals as their partial renders them: per allowed locale the article and category counts,
 * the logo's blob, and (for show, create, update) the article counts of `meta`.
 */
export async function portalViews(
  db: Db,
  portals: Portal[],
  options: { counts?: { locale?: string; userId?: number } } = {},
): Promise<PortalView[]> {
  if (portals.length === 0) return [];
  const ids = portals.map((p) => p.id);
  const blobIds = portals.map((p) => p.avatar_blob_id).filter((id): id is number => id !== null);
  const [articles, categories, blobs] = await Promise.all([
    countsByLocale(db, ids),
    db
      .selectFrom('categories')
      .select(['portal_id', 'locale', sql<number>`count(*)::int`.as('n')])
      .where('portal_id', 'in', ids)
      .groupBy(['portal_id', 'locale'])
      .execute(),
    blobIds.length ? db.selectFrom('blobs').selectAll().where('id', 'in', blobIds).execute() : ([] as Blob[]),
  ]);
  const articleCount = keyed(articles);
  const categoryCount = keyed(categories);
  const blobById = new Map(blobs.map((b) => [b.id, b]));
  const wanted = options.counts;
  return Promise.all(
    portals.map(async (portal) => {
      const drafts = new Set(draftLocales(portal));
      return {
        portal,
        logo: portal.avatar_blob_id === null ? null : (blobById.get(portal.avatar_blob_id) ?? null),
        logoUrl: portal.avatar_url,
        locales: allowedLocales(portal).map((code) => ({
          code,
          articles_count: articleCount.get(`${portal.id}:${code}`) ?? 0,
          categories_count: categoryCount.get(`${portal.id}:${code}`) ?? 0,
          draft: drafts.has(code),
        })),
        categoriesCount: categories.filter((row) => row.portal_id === portal.id).reduce((sum, row) => sum + row.n, 0),
        counts: wanted ? await countsByStatus(db, { portalId: portal.id, locale: wanted.locale }, wanted.userId) : null,
      };
    }),
  );
}

/** One portal's view, with its article counts. */
export async function portalView(db: Db, portal: Portal, counts: { locale?: string; userId?: number } = {}) {
  const [view] = await portalViews(db, [portal], { counts });
  return view!;
}
