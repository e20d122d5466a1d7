import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { Category, Portal } from '../../core/db/schema.js';
import { takenAs } from '../../core/db/unique.js';
import { transactionally } from '../../core/events/bus.js';
import { recordNotFound, validationFailed, type FieldError } from '../../core/errors.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { isBlank } from '../../core/http/values.js';
import type { CategoryView } from '../../serializers/category.js';
import { allowedLocales } from '../../serializers/portal.js';
import { countsByCategory } from './article-counts.js';
import { findPortal } from './portal-queries.js';
import type { CategoryFields, ReorderBody } from './schemas.js';

/**
 * The categories with their related, parent and root categories and article counts (of published
 * articles only, for the public pages): three queries.
 */
export async function categoryViews(
  db: Db,
  categories: Category[],
  options: { published?: boolean } = {},
): Promise<CategoryView[]> {
  if (categories.length === 0) return [];
  const ids = categories.map((c) => c.id);
  const linked = [
    ...new Set(
      categories
        .flatMap((c) => [c.parent_category_id, c.associated_category_id])
        .filter((id): id is number => id !== null),
    ),
  ];
  const [related, others, counts] = await Promise.all([
    db
      .selectFrom('related_categories')
      .innerJoin('categories', 'categories.id', 'related_categories.related_category_id')
      .selectAll('categories')
      .select('related_categories.category_id as owner_id')
      .where('related_categories.category_id', 'in', ids)
      .orderBy('categories.id')
      .execute(),
    linked.length ? db.selectFrom('categories').selectAll().where('id', 'in', linked).execute() : ([] as Category[]),
    countsByCategory(db, ids, options),
  ]);
  const byId = new Map(others.map((c) => [c.id, c]));
  const countOf = new Map(counts.map((row) => [row.category_id, row.n]));
  return categories.map((category) => ({
    category,
    related: related.filter((r) => r.owner_id === category.id).map(({ owner_id: _, ...c }) => c),
    parent: category.parent_category_id === null ? null : (byId.get(category.parent_category_id) ?? null),
    root: category.associated_category_id === null ? null : (byId.get(category.associated_category_id) ?? null),
    articlesCount: countOf.get(category.id) ?? 0,
  }));
}

async function findCategory(ctx: AccountCtx, portal: Portal, rawId: string): Promise<Category> {
  const id = parseId(rawId);
  const category =
    id === undefined
      ? undefined
      : await ctx.db
          .selectFrom('categories')
          .selectAll()
          .where('account_id', '=', ctx.account.id)
          .where('portal_id', '=', portal.id)
          .where('id', '=', id)
          .executeTakeFirst();
  if (!category) throw recordNotFound();
  return category;
}

/** Ids of the portal's categories among those given (a reference to another portal's is refused). */
async function portalCategoryIds(db: Db, portal: Portal, raw: Array<string | number>): Promise<Set<number>> {
  const ids = raw.map(parseId).filter((id): id is number => id !== undefined);
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('categories')
    .select('id')
    .where('portal_id', '=', portal.id)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Category's validations; the columns to write and the related ids to set. */
async function categoryColumns(ctx: AccountCtx, portal: Portal, fields: CategoryFields, existing?: Category) {
  const errors: FieldError[] = [];
  const creating = existing === undefined;
  for (const attribute of ['name', 'slug'] as const)
    if ((creating || fields[attribute] !== undefined) && isBlank(fields[attribute]))
      errors.push({ attribute, message: "can't be blank" });
  const locale = fields.locale ?? existing?.locale ?? 'en';
  const allowed = allowedLocales(portal);
  if (!allowed.includes(locale))
    errors.push({
      attribute: 'locale',
      message: `${locale} of category is not part of portal's [${allowed.map((l) => JSON.stringify(l)).join(', ')}].`,
    });
  const refs = [fields.parent_category_id, fields.associated_category_id].filter(
    (v): v is string | number => v !== undefined && v !== null && v !== '',
  );
  const known = await portalCategoryIds(ctx.db, portal, [...refs, ...(fields.related_category_ids ?? [])]);
  const ref = (attribute: 'parent_category_id' | 'associated_category_id') => {
    const value = fields[attribute];
    if (value === undefined) return undefined;
    if (value === null || value === '') return null;
    const id = parseId(value);
    if (id === undefined || !known.has(id) || id === existing?.id) {
      errors.push({ attribute: attribute.replace(/_id$/, ''), message: 'must exist' });
      return undefined;
    }
    return id;
  };
  const parent = ref('parent_category_id');
  const root = ref('associated_category_id');
  const related = fields.related_category_ids?.map(parseId);
  if (related?.some((id) => id === undefined || !known.has(id) || id === existing?.id))
    errors.push({ attribute: 'related_categories', message: 'must exist' });
  if (errors.length) throw validationFailed(errors);
  return {
    columns: {
      ...(fields.name !== undefined && { name: fields.name! }),
      ...(fields.slug !== undefined && { slug: fields.slug! }),
      ...((creating || fields.locale !== undefined) && { locale }),
      ...(fields.description !== undefined && { description: fields.description }),
      ...(fields.position !== undefined && { position: fields.position }),
      ...(fields.icon !== undefined && { icon: fields.icon }),
      ...(parent !== undefined && { parent_category_id: parent }),
      ...(root !== undefined && { associated_category_id: root }),
    },
    related: related as number[] | undefined,
  };
}

/** (portal, slug, locale) is unique: Chatwoot's message names the locale. */
const uniqueLocale = <T>(work: () => Promise<T>) =>
  takenAs('locale', work).catch((error: unknown) => {
    const body = (error as { body?: { message?: string } }).body;
    if (body?.message === 'Locale has already been taken')
      throw validationFailed([{ attribute: 'locale', message: 'should be unique in the category and portal' }]);
    throw error;
  });

async function setRelated(tx: Db, categoryId: number, related: number[] | undefined) {
  if (related === undefined) return;
  await tx.deleteFrom('related_categories').where('category_id', '=', categoryId).execute();
  if (related.length)
    await tx
      .insertInto('related_categories')
      .values([...new Set(related)].map((id) => ({ category_id: categoryId, related_category_id: id })))
      .execute();
}

/** GET …/categories: any member; `?locale=`; ordered by position. */
export async function listCategories(ctx: AccountCtx, slug: string, locale?: string): Promise<CategoryView[]> {
  const portal = await findPortal(ctx.db, ctx.account.id, slug);
  let query = ctx.db.selectFrom('categories').selectAll().where('portal_id', '=', portal.id);
  if (locale) query = query.where('locale', '=', locale);
  const rows = await query.orderBy(sql`position asc nulls last`).orderBy('id').limit(1000).execute();
  return categoryViews(ctx.db, rows);
}

/** GET …/categories/:id: administrators (CategoryPolicy#show?). */
export async function getCategory(ctx: AccountCtx, slug: string, id: string): Promise<CategoryView> {
  requireAdministrator(ctx);
  const portal = await findPortal(ctx.db, ctx.account.id, slug);
  return (await categoryViews(ctx.db, [await findCategory(ctx, portal, id)]))[0]!;
}

export async function createCategory(ctx: AccountCtx, slug: string, fields: CategoryFields): Promise<CategoryView> {
  requireAdministrator(ctx);
  const portal = await findPortal(ctx.db, ctx.account.id, slug);
  const { columns, related } = await categoryColumns(ctx, portal, fields);
  const category = await uniqueLocale(() =>
    transactionally(ctx, async (tx) => {
      const row = await tx
        .insertInto('categories')
        .values({
          ...columns,
          account_id: ctx.account.id,
          portal_id: portal.id,
          name: columns.name!,
          slug: columns.slug!,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await setRelated(tx, row.id, related);
      return row;
    }),
  );
  return (await categoryViews(ctx.db, [category]))[0]!;
}

export async function updateCategory(ctx: AccountCtx, slug: string, id: string, fields: CategoryFields) {
  requireAdministrator(ctx);
  const portal = await findPortal(ctx.db, ctx.account.id, slug);
  const existing = await findCategory(ctx, portal, id);
  const { columns, related } = await categoryColumns(ctx, portal, fields, existing);
  const category = await uniqueLocale(() =>
    transactionally(ctx, async (tx) => {
      const row = await tx
        .updateTable('categories')
        .set({ ...columns, updated_at: new Date() })
        .where('account_id', '=', ctx.account.id)
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await setRelated(tx, row.id, related);
      return row;
    }),
  );
  return (await categoryViews(ctx.db, [category]))[0]!;
}

/** DELETE …/categories/:id: administrators; its articles stay, without a category. */
export async function deleteCategory(ctx: AccountCtx, slug: string, id: string): Promise<void> {
  requireAdministrator(ctx);
  const portal = await findPortal(ctx.db, ctx.account.id, slug);
  const category = await findCategory(ctx, portal, id);
  await transactionally(ctx, (tx) =>
    tx.deleteFrom('categories').where('account_id', '=', ctx.account.id).where('id', '=', category.id).execute(),
  );
}

/**
 * POST …/reorder: administrators; `positions_hash` sets each listed row's position in one
 * statement. Ids of another portal (or account) are left alone.
 */
export async function reorder(
  ctx: AccountCtx,
  table: 'categories' | 'articles',
  slug: string,
  { positions_hash }: ReorderBody,
): Promise<void> {
  requireAdministrator(ctx);
  const portal = await findPortal(ctx.db, ctx.account.id, slug);
  const pairs = Object.entries(positions_hash)
    .map(([rawId, position]) => [parseId(rawId), position] as const)
    .filter((pair): pair is readonly [number, number] => pair[0] !== undefined);
  if (pairs.length === 0) return;
  await transactionally(ctx, (tx) =>
    sql`
      update ${sql.table(table)} as t set position = v.position, updated_at = now()
        from unnest(${pairs.map((p) => p[0])}::bigint[], ${pairs.map((p) => p[1])}::int[]) as v(id, position)
       where t.id = v.id and t.account_id = ${ctx.account.id} and t.portal_id = ${portal.id}`.execute(tx),
  );
}
