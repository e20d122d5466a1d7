import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { CustomFilter } from '../../core/db/schema.js';
import { recordNotFound, validationFailed, type FieldError } from '../../core/errors.js';
import { actorUserId, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { FILTER_TYPES } from '../../serializers/custom-filter.js';
import type { CustomFilterFields } from './schemas.js';

/** Limits::MAX_CUSTOM_FILTERS_PER_USER, and the message config/locales/en.yml gives for it. */
export const MAX_CUSTOM_FILTERS_PER_USER = 1000;
const LIMIT_MESSAGE = `Limit reached. The maximum number of allowed custom filters for a user per account is ${MAX_CUSTOM_FILTERS_PER_USER}.`;

/** CustomFiltersController::DEFAULT_FILTER_TYPE. */
const DEFAULT_FILTER_TYPE = 0;

/** A Rails enum accepts its names or its integers; anything else would be an ArgumentError (a 500 upstream, a 422 here). */
function filterTypeValue(value: unknown): number | undefined {
  if (typeof value === 'string') {
    const index = (FILTER_TYPES as readonly string[]).indexOf(value);
    return index >= 0 ? index : undefined;
  }
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) < FILTER_TYPES.length
    ? (value as number)
    : undefined;
}

/** PostgreSQL text and jsonb cannot hold NUL (a 500 upstream); such input is refused as invalid. */
const hasNul = (value: unknown): boolean =>
  typeof value === 'string'
    ? value.includes('\0')
    : typeof value === 'object' &&
      value !== null &&
      Object.entries(value).some(([key, inner]) => key.includes('\0') || hasNul(inner));

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function customFilterColumns(fields: CustomFilterFields, creating: boolean) {
  const errors: FieldError[] = [];
  // custom_filter.rb validates nothing but the count; name is NOT NULL in the table, so only a
  // missing or null name is refused (a 500 upstream) and "" is stored, as Chatwoot stores it.
  if ((creating && fields.name === undefined) || fields.name === null)
    errors.push({ attribute: 'name', message: "can't be blank" });
  else if (hasNul(fields.name)) errors.push({ attribute: 'name', message: 'is invalid' });
  const filterType = fields.filter_type === undefined ? undefined : filterTypeValue(fields.filter_type);
  if (fields.filter_type !== undefined && filterType === undefined)
    errors.push({ attribute: 'filter_type', message: 'is not included in the list' });
  if (isPlainObject(fields.query) && hasNul(fields.query)) errors.push({ attribute: 'query', message: 'is invalid' });
  if (errors.length) throw validationFailed(errors);
  return {
    ...(typeof fields.name === 'string' && { name: fields.name }),
    ...(filterType !== undefined && { filter_type: filterType }),
    // permit(query: {}) keeps only a hash; any other value is dropped, not refused
    ...(isPlainObject(fields.query) && { query: JSON.stringify(fields.query) }),
  };
}

/**
 * custom_filter.rb validate_number_of_filters: the user's filters in the account (all types) must
 * number fewer than the limit. It runs on every save, so, as upstream, a user at the limit cannot
 * update a filter either. Locking the membership row serialises one user's concurrent writes.
 */
async function checkFilterLimit(tx: Db, ctx: AccountCtx, userId: number): Promise<void> {
  await tx
    .selectFrom('account_users')
    .select('id')
    .where('account_id', '=', ctx.account.id)
    .where('user_id', '=', userId)
    .forUpdate()
    .execute();
  const { count } = await tx
    .selectFrom('custom_filters')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('account_id', '=', ctx.account.id)
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  if (count >= MAX_CUSTOM_FILTERS_PER_USER)
    throw validationFailed([{ attribute: 'account_id', message: LIMIT_MESSAGE }]);
}

/** Only the caller's own filters in this account exist for them: anyone else's id is a 404. */
async function fetchCustomFilter(ctx: AccountCtx, rawId: string): Promise<CustomFilter> {
  const id = parseId(rawId);
  const row =
    id === undefined
      ? undefined
      : await ctx.db
          .selectFrom('custom_filters')
          .selectAll()
          .where('account_id', '=', ctx.account.id)
          .where('user_id', '=', actorUserId(ctx))
          .where('id', '=', id)
          .executeTakeFirst();
  if (!row) throw recordNotFound();
  return row;
}

/**
 * The caller's filters of one type (conversation when not given). As `where(filter_type: param)` does,
 * an integer string selects by value and an unknown name matches nothing.
 */
export async function listCustomFilters(ctx: AccountCtx, filterType: string | undefined): Promise<CustomFilter[]> {
  const value =
    filterType === undefined
      ? DEFAULT_FILTER_TYPE
      : /^\d{1,5}$/.test(filterType)
        ? Number(filterType)
        : filterTypeValue(filterType);
  if (value === undefined) return [];
  return ctx.db
    .selectFrom('custom_filters')
    .selectAll()
    .where('account_id', '=', ctx.account.id)
    .where('user_id', '=', actorUserId(ctx))
    .where('filter_type', '=', value)
    .orderBy('id')
    .execute();
}

export const getCustomFilter = fetchCustomFilter;

export async function createCustomFilter(ctx: AccountCtx, fields: CustomFilterFields): Promise<CustomFilter> {
  const userId = actorUserId(ctx);
  const columns = customFilterColumns(fields, true);
  return ctx.db.transaction().execute(async (tx) => {
    await checkFilterLimit(tx, ctx, userId);
    return tx
      .insertInto('custom_filters')
      .values({ account_id: ctx.account.id, user_id: userId, name: columns.name!, ...columns })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** `update!(permitted_payload)`: a given query replaces the stored one whole. */
export async function patchCustomFilter(
  ctx: AccountCtx,
  rawId: string,
  fields: CustomFilterFields,
): Promise<CustomFilter> {
  const row = await fetchCustomFilter(ctx, rawId);
  const columns = customFilterColumns(fields, false);
  return ctx.db.transaction().execute(async (tx) => {
    await checkFilterLimit(tx, ctx, row.user_id);
    return tx
      .updateTable('custom_filters')
      .set({ ...columns, updated_at: new Date() })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export async function removeCustomFilter(ctx: AccountCtx, rawId: string): Promise<void> {
  const row = await fetchCustomFilter(ctx, rawId);
  await ctx.db.deleteFrom('custom_filters').where('id', '=', row.id).execute();
}
