import { sql } from 'kysely';
import type { CannedResponse } from '../../core/db/schema.js';
import { recordNotFound, validationFailed, type FieldError } from '../../core/errors.js';
import type { AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { isBlank } from '../../core/http/values.js';
import { takenAs } from '../../core/db/unique.js';
import type { CannedResponseFields } from './schemas.js';

/** canned_response.rb: content and short_code presence (in that order); null means absent-and-blank, as in Rails. */
function cannedResponseColumns(fields: CannedResponseFields, creating: boolean) {
  const errors: FieldError[] = [];
  if ((creating || fields.content !== undefined) && isBlank(fields.content))
    errors.push({ attribute: 'content', message: "can't be blank" });
  if ((creating || fields.short_code !== undefined) && isBlank(fields.short_code))
    errors.push({ attribute: 'short_code', message: "can't be blank" });
  // PostgreSQL text cannot hold NUL (Rails would fail with a 500); refuse it as bad input instead
  for (const attribute of ['content', 'short_code'] as const) {
    if (fields[attribute]?.includes('\0')) errors.push({ attribute, message: 'is invalid' });
  }
  if (errors.length) throw validationFailed(errors);
  return {
    ...(fields.short_code != null && { short_code: fields.short_code }),
    ...(fields.content != null && { content: fields.content }),
  };
}

async function fetchCannedResponse(ctx: AccountCtx, rawId: string): Promise<CannedResponse> {
  const id = parseId(rawId);
  const row =
    id === undefined
      ? undefined
      : await ctx.db
          .selectFrom('canned_responses')
          .selectAll()
          .where('account_id', '=', ctx.account.id)
          .where('id', '=', id)
          .executeTakeFirst();
  if (!row) throw recordNotFound();
  return row;
}

/**
 * Every member may list. With `search`, Chatwoot keeps rows whose short code or content contains it
 * (ILIKE '%search%', wildcards in the term left live, as upstream interpolates them) and ranks them
 * by CannedResponse.order_by_search: short code starting with it 1, short code containing it 0.5,
 * content containing it 0.2.
 */
export async function listCannedResponses(ctx: AccountCtx, search: string | undefined): Promise<CannedResponse[]> {
  const base = ctx.db.selectFrom('canned_responses').selectAll().where('account_id', '=', ctx.account.id);
  if (search === undefined) return base.orderBy('id').execute();
  // no stored text can contain NUL, and PostgreSQL refuses it in a pattern
  if (search.includes('\0')) return [];
  const contains = `%${search}%`;
  const rank = sql<number>`case when short_code ilike ${`${search}%`} then 1 when short_code ilike ${contains} then 0.5 when content ilike ${contains} then 0.2 else 0 end`;
  return base
    .where((eb) => eb.or([eb('short_code', 'ilike', contains), eb('content', 'ilike', contains)]))
    .orderBy(rank, 'desc')
    .orderBy('id')
    .execute();
}

/**
 * Any member may create, update and destroy. canned_response_policy.rb reserves update? and destroy?
 * for administrators, but CannedResponsesController never calls `authorize`, and Chatwoot's own
 * request spec has an agent update and destroy a canned response with 200: we match the behaviour.
 */
export async function createCannedResponse(ctx: AccountCtx, fields: CannedResponseFields): Promise<CannedResponse> {
  const columns = cannedResponseColumns(fields, true);
  return takenAs('short_code', () =>
    ctx.db
      .insertInto('canned_responses')
      .values({ account_id: ctx.account.id, short_code: columns.short_code!, content: columns.content! })
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

export async function patchCannedResponse(
  ctx: AccountCtx,
  rawId: string,
  fields: CannedResponseFields,
): Promise<CannedResponse> {
  const row = await fetchCannedResponse(ctx, rawId);
  const columns = cannedResponseColumns(fields, false);
  return takenAs('short_code', () =>
    ctx.db
      .updateTable('canned_responses')
      .set({ ...columns, updated_at: new Date() })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

export async function removeCannedResponse(ctx: AccountCtx, rawId: string): Promise<void> {
  const row = await fetchCannedResponse(ctx, rawId);
  await ctx.db.deleteFrom('canned_responses').where('id', '=', row.id).execute();
}
