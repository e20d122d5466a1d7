import { sql, type RawBuilder } from 'kysely';
import { ARTICLE_STATUS } from '../../core/db/enums.js';
import type { Article, Portal } from '../../core/db/schema.js';
import { takenAs } from '../../core/db/unique.js';
import { transactionally } from '../../core/events/bus.js';
import { recordNotFound, validationFailed, type FieldError } from '../../core/errors.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { isBlank } from '../../core/http/values.js';
import type { ArticleView } from '../../serializers/article.js';
import { allowedLocales, defaultLocale, type ArticleCounts } from '../../serializers/portal.js';
import { articleSlug, articleViews, nextPosition } from './article-queries.js';
import { countsByStatus } from './article-counts.js';
import { findPortal, type ArticleFilter } from './portal-queries.js';
import { callerId } from './portals.js';
import type { ArticleFields, ArticleListQuery } from './schemas.js';
import { headVector, rankOf, searchQuery, searchTerms, type ArticleSearch } from './search.js';

/** ArticlesController's page size (Kaminari's default). */
export const ARTICLES_PER_PAGE = 25;

export interface ArticlePage {
  views: ArticleView[];
  counts: ArticleCounts;
  page: number;
}

/** The category filter of Article.search: the portal's categories of that slug (in the locale, when given). */
function categoriesOf(db: AccountCtx['db'], portal: Portal, query: ArticleListQuery) {
  let ids = db
    .selectFrom('categories')
    .select('categories.id')
    .where('categories.portal_id', '=', portal.id)
    .where('categories.slug', '=', query.category_slug ?? '');
  if (query.locale) ids = ids.where('categories.locale', '=', query.locale);
  return ids;
}

/**
 * Article.search's filters but status, author and the text (the counts of `meta` apply these):
 * locale, and category_slug (in that locale when one is given), on `table`'s columns.
 */
function scopeConditions(
  db: AccountCtx['db'],
  portal: Portal,
  query: ArticleListQuery,
  table: 'articles' | 'article_search_rows',
): RawBuilder<boolean>[] {
  const column = (name: string) => sql.ref(`${table}.${name}`);
  const conditions = [sql<boolean>`${column('portal_id')} = ${portal.id}`];
  if (query.locale) conditions.push(sql<boolean>`${column('locale')} = ${query.locale}`);
  if (query.category_slug)
    conditions.push(sql<boolean>`${column('category_id')} in (${categoriesOf(db, portal, query)})`);
  return conditions;
}

/** scopeConditions on the articles table. */
function baseFilter(db: AccountCtx['db'], portal: Portal, query: ArticleListQuery): ArticleFilter {
  return (q) => scopeConditions(db, portal, query, 'articles').reduce((scoped, c) => scoped.where(c), q);
}

/** The page's order after the rank: by position within a category, else the latest updated first. */
const pageOrder = (query: ArticleListQuery) =>
  query.category_slug ? sql`m.position asc nulls last, m.id` : sql`m.updated_at desc, m.id desc`;

/**
 * A search's page and counts from one pass over the matches, each read once from its narrow
 * search row (article_search_rows: status, author and dates, not its text) and counted. The rank
 * (ts_rank) is computed only for the matches in the title or description, found by their own
 * index: those come first, best first, and the matches in the content alone follow in the list's
 * order. Ranking all of a common word's 10,000 matches cost as much again as finding them. Only
 * the page's 25 rows are then read whole.
 */
async function searchedPage(
  ctx: AccountCtx,
  portal: Portal,
  query: ArticleListQuery,
  search: ArticleSearch,
  page: number,
): Promise<{ articles: Article[]; counts: ArticleCounts }> {
  const userId = callerId(ctx);
  // the narrow rows (0153): a common word's matches are read from 1,600 pages instead of 10,000;
  // a search that checks each row's whole vector reads the articles, whose vectors are inline
  const matched = search.checksRows
    ? baseFilter(
        ctx.db,
        portal,
        query,
      )(
        ctx.db
          .selectFrom('articles')
          .select(['id', 'status', 'author_id', 'updated_at', 'position'])
          .where(search.matches(sql`articles.search_vector`)),
      )
    : scopeConditions(ctx.db, portal, query, 'article_search_rows').reduce(
        (scoped, c) => scoped.where(c),
        ctx.db
          .selectFrom('article_search_rows')
          .select(['article_id as id', 'status', 'author_id', 'updated_at', 'position'])
          .where('account_id', '=', ctx.account.id)
          .where(search.matches(sql`article_search_rows.vector`)),
      );
  const head = baseFilter(
    ctx.db,
    portal,
    query,
  )(
    ctx.db
      .selectFrom('articles')
      .select('id')
      .select(rankOf(search.query).as('rank'))
      .where(search.matches(headVector)),
  );
  const onPage = [
    query.status ? sql`m.status = ${ARTICLE_STATUS[query.status]}` : sql`true`,
    query.author_id !== undefined ? sql`m.author_id = ${parseId(query.author_id) ?? 0}` : sql`true`,
  ];
  const { rows } = await sql<ArticleCounts & { ids: string[] }>`
    with matched as materialized (${matched}), head as materialized (${head})
    select count(*)::int as all,
           (count(*) filter (where status = ${ARTICLE_STATUS.archived}))::int as archived,
           (count(*) filter (where status = ${ARTICLE_STATUS.published}))::int as published,
           (count(*) filter (where status = ${ARTICLE_STATUS.draft}))::int as draft,
           (count(*) filter (where author_id = ${userId ?? null}))::int as mine,
           array(select m.id from matched m left join head h on h.id = m.id
                  where ${sql.join(onPage, sql` and `)}
                  order by coalesce(h.rank, 0) desc, ${pageOrder(query)}
                  limit ${ARTICLES_PER_PAGE} offset ${(page - 1) * ARTICLES_PER_PAGE}) as ids
      from matched`.execute(ctx.db);
  const { ids: idTexts, mine, ...counts } = rows[0]!;
  // pg hands back a bigint[] as strings
  const ids = idTexts.map(Number);
  const found = ids.length ? await ctx.db.selectFrom('articles').selectAll().where('id', 'in', ids).execute() : [];
  const byId = new Map(found.map((a) => [a.id, a]));
  return {
    articles: ids.map((id) => byId.get(id)).filter((a): a is Article => a !== undefined),
    counts: userId !== undefined && counts.all > 0 ? { ...counts, mine } : counts,
  };
}

/** A page without a search: in the list's index order; the counts from the counters. */
async function listedPage(ctx: AccountCtx, portal: Portal, query: ArticleListQuery, page: number) {
  let rows = baseFilter(ctx.db, portal, query)(ctx.db.selectFrom('articles').selectAll('articles'));
  if (query.status) rows = rows.where('articles.status', '=', ARTICLE_STATUS[query.status]);
  if (query.author_id !== undefined) rows = rows.where('articles.author_id', '=', parseId(query.author_id) ?? 0);
  rows = query.category_slug
    ? rows.orderBy(sql`articles.position asc nulls last`).orderBy('articles.id')
    : rows.orderBy('articles.updated_at', 'desc').orderBy('articles.id', 'desc');
  const scope = {
    portalId: portal.id,
    locale: query.locale || undefined,
    categoryIds: query.category_slug ? categoriesOf(ctx.db, portal, query) : undefined,
  };
  const [articles, counts] = await Promise.all([
    rows
      .limit(ARTICLES_PER_PAGE)
      .offset((page - 1) * ARTICLES_PER_PAGE)
      .execute(),
    countsByStatus(ctx.db, scope, callerId(ctx)),
  ]);
  return { articles, counts };
}

const NOTHING: ArticleCounts = { all: 0, archived: 0, published: 0, draft: 0 };

/**
 * GET …/articles: any member. Filters `locale`, `category_slug`, `query` (ranked full text),
 * `status`, `author_id`; 25 a page, by position within a category, else the latest updated first.
 */
export async function listArticles(ctx: AccountCtx, slug: string, query: ArticleListQuery): Promise<ArticlePage> {
  const portal = await findPortal(ctx.db, ctx.account.id, slug);
  const page = query.page ?? 1;
  const terms = query.query?.trim() ? searchTerms(query.query) : undefined;
  const { articles, counts } =
    terms === undefined
      ? await listedPage(ctx, portal, query, page)
      : terms.length === 0
        ? { articles: [], counts: NOTHING }
        : await searchedPage(
            ctx,
            portal,
            query,
            await searchQuery(ctx.db, ctx.account.id, terms, query.locale ? [query.locale] : allowedLocales(portal)),
            page,
          );
  return { views: await articleViews(ctx.db, ctx.account.id, articles), counts, page };
}

async function findArticle(ctx: AccountCtx, portal: Portal, rawId: string): Promise<Article> {
  const id = parseId(rawId);
  const article =
    id === undefined
      ? undefined
      : await ctx.db
          .selectFrom('articles')
          .selectAll()
          .where('account_id', '=', ctx.account.id)
          .where('portal_id', '=', portal.id)
          .where('id', '=', id)
          .executeTakeFirst();
  if (!article) throw recordNotFound();
  return article;
}

const given = (value: string | number | null | undefined) =>
  value === undefined ? undefined : value === null || value === '' ? null : (parseId(value) ?? -1);

/** Article's validations; the columns to write. */
async function articleColumns(ctx: AccountCtx, portal: Portal, fields: ArticleFields, existing?: Article) {
  const errors: FieldError[] = [];
  const creating = existing === undefined;
  for (const attribute of ['title', 'content'] as const)
    if ((creating || fields[attribute] !== undefined) && isBlank(fields[attribute]))
      errors.push({ attribute, message: "can't be blank" });
  const categoryId = given(fields.category_id);
  const category =
    categoryId === undefined || categoryId === null
      ? undefined
      : await ctx.db
          .selectFrom('categories')
          .selectAll()
          .where('portal_id', '=', portal.id)
          .where('id', '=', categoryId)
          .executeTakeFirst();
  if (categoryId !== undefined && categoryId !== null && !category)
    errors.push({ attribute: 'category', message: 'must exist' });
  const authorId = given(fields.author_id);
  if ((creating || authorId !== undefined) && (authorId === undefined || authorId === null))
    errors.push({ attribute: 'author', message: 'must exist' });
  else if (authorId !== undefined && authorId !== null) {
    const member = await ctx.db
      .selectFrom('account_users')
      .select('id')
      .where('account_id', '=', ctx.account.id)
      .where('user_id', '=', authorId)
      .executeTakeFirst();
    if (!member) errors.push({ attribute: 'author', message: 'must exist' });
  }
  const associatedId = given(fields.associated_article_id);
  let root: number | null | undefined = associatedId === null ? null : undefined;
  if (associatedId !== undefined && associatedId !== null) {
    // Article#associate_root_article: always the root of the chain, never deeper
    const linked = await ctx.db
      .selectFrom('articles')
      .select(['id', 'associated_article_id'])
      .where('portal_id', '=', portal.id)
      .where('id', '=', associatedId)
      .executeTakeFirst();
    if (!linked || linked.id === existing?.id) errors.push({ attribute: 'associated_article', message: 'must exist' });
    else root = linked.associated_article_id ?? linked.id;
  }
  if (errors.length) throw validationFailed(errors);
  const slug = fields.slug?.trim() || (creating ? articleSlug(fields.title!) : undefined);
  // the category's locale, else the one given, else the portal's default
  const locale = category?.locale ?? fields.locale ?? (creating ? defaultLocale(portal) : undefined);
  return {
    ...(fields.title !== undefined && { title: fields.title! }),
    ...(slug !== undefined && { slug }),
    ...(fields.content !== undefined && { content: fields.content }),
    ...(fields.description !== undefined && { description: fields.description }),
    ...(fields.position !== undefined && { position: fields.position }),
    ...(categoryId !== undefined && { category_id: categoryId }),
    ...(authorId !== undefined && { author_id: authorId }),
    ...(root !== undefined && { associated_article_id: root }),
    ...(fields.status !== undefined && { status: ARTICLE_STATUS[fields.status] }),
    ...(locale !== undefined && { locale }),
    ...(fields.meta !== undefined && { meta: JSON.stringify(fields.meta) }),
  };
}

const one = async (ctx: AccountCtx, article: Article) => (await articleViews(ctx.db, ctx.account.id, [article]))[0]!;

/** GET …/articles/:id: administrators (ArticlePolicy#show?). */
export async function getArticle(ctx: AccountCtx, slug: string, id: string): Promise<ArticleView> {
  requireAdministrator(ctx);
  const portal = await findPortal(ctx.db, ctx.account.id, slug);
  return one(ctx, await findArticle(ctx, portal, id));
}

/** POST …/articles: administrators; a draft unless a status is given. */
export async function createArticle(ctx: AccountCtx, slug: string, fields: ArticleFields): Promise<ArticleView> {
  requireAdministrator(ctx);
  const portal = await findPortal(ctx.db, ctx.account.id, slug);
  const columns = await articleColumns(ctx, portal, fields);
  const position = columns.position ?? (await nextPosition(ctx.db, portal.id, columns.category_id ?? null));
  const article = await takenAs('slug', () =>
    transactionally(ctx, (tx) =>
      tx
        .insertInto('articles')
        .values({
          ...columns,
          account_id: ctx.account.id,
          portal_id: portal.id,
          title: columns.title!,
          slug: columns.slug!,
          position,
          status: columns.status ?? ARTICLE_STATUS.draft,
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
    ),
  );
  return one(ctx, article);
}

export async function updateArticle(ctx: AccountCtx, slug: string, id: string, fields: ArticleFields) {
  requireAdministrator(ctx);
  const portal = await findPortal(ctx.db, ctx.account.id, slug);
  const existing = await findArticle(ctx, portal, id);
  const columns = await articleColumns(ctx, portal, fields, existing);
  const article = await takenAs('slug', () =>
    transactionally(ctx, (tx) =>
      tx
        .updateTable('articles')
        .set({ ...columns, updated_at: new Date() })
        .where('account_id', '=', ctx.account.id)
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow(),
    ),
  );
  return one(ctx, article);
}

/** DELETE …/articles/:id: administrators; its translations stay, unlinked. */
export async function deleteArticle(ctx: AccountCtx, slug: string, id: string): Promise<void> {
  requireAdministrator(ctx);
  const portal = await findPortal(ctx.db, ctx.account.id, slug);
  const article = await findArticle(ctx, portal, id);
  await transactionally(ctx, (tx) =>
    tx.deleteFrom('articles').where('account_id', '=', ctx.account.id).where('id', '=', article.id).execute(),
  );
}
