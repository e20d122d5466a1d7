import { sql } from 'kysely';
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
import { articleCounts, findPortal, type ArticleFilter } from './portal-queries.js';
import { callerId } from './portals.js';
import type { ArticleFields, ArticleListQuery } from './schemas.js';
import { rankOf, searchTerms, tsQuery } from './search.js';

/** ArticlesController's page size (Kaminari's default). */
export const ARTICLES_PER_PAGE = 25;

export interface ArticlePage {
  views: ArticleView[];
  counts: ArticleCounts;
  page: number;
}

/**
 * Article.search's filters but status and author (the counts of `meta` apply these): locale,
 * category_slug (in that locale when one is given) and the full-text query.
 */
function baseFilter(portal: Portal, query: ArticleListQuery): ArticleFilter {
  const terms = query.query?.trim() ? searchTerms(query.query) : undefined;
  return (q) => {
    let scoped = q.where('articles.portal_id', '=', portal.id);
    if (query.locale) scoped = scoped.where('articles.locale', '=', query.locale);
    if (query.category_slug) {
      const inLocale = query.locale ? sql`and categories.locale = ${query.locale}` : sql``;
      scoped = scoped.where(
        sql<boolean>`articles.category_id in (select categories.id from categories
          where categories.portal_id = ${portal.id} and categories.slug = ${query.category_slug} ${inLocale})`,
      );
    }
    if (terms !== undefined) {
      if (terms.length === 0) return scoped.where(sql<boolean>`false`);
      const locales = query.locale ? [query.locale] : allowedLocales(portal);
      scoped = scoped.where(sql<boolean>`articles.search_vector @@ ${tsQuery(terms, locales)}`);
    }
    return scoped;
  };
}

/**
 * GET …/articles: any member. Filters `locale`, `category_slug`, `query` (ranked full text),
 * `status`, `author_id`; 25 a page, by position within a category, else the latest updated first.
 */
export async function listArticles(ctx: AccountCtx, slug: string, query: ArticleListQuery): Promise<ArticlePage> {
  const portal = await findPortal(ctx.db, ctx.account.id, slug);
  const page = query.page ?? 1;
  const base = baseFilter(portal, query);
  let rows = base(ctx.db.selectFrom('articles').selectAll('articles'));
  if (query.status) rows = rows.where('articles.status', '=', ARTICLE_STATUS[query.status]);
  if (query.author_id !== undefined) rows = rows.where('articles.author_id', '=', parseId(query.author_id) ?? 0);
  const terms = searchTerms(query.query);
  if (query.query?.trim() && terms.length)
    rows = rows.orderBy(sql`${rankOf(tsQuery(terms, query.locale ? [query.locale] : allowedLocales(portal)))} desc`);
  rows = query.category_slug
    ? rows.orderBy(sql`articles.position asc nulls last`).orderBy('articles.id')
    : rows.orderBy('articles.updated_at', 'desc').orderBy('articles.id', 'desc');
  const [articles, counts] = await Promise.all([
    rows
      .limit(ARTICLES_PER_PAGE)
      .offset((page - 1) * ARTICLES_PER_PAGE)
      .execute(),
    articleCounts(ctx.db, base, callerId(ctx)),
  ]);
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
