import type { Label } from '../../core/db/schema.js';
import { recordNotFound, validationFailed, type FieldError } from '../../core/errors.js';
import { performerOf, requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { isBlank } from '../../core/http/values.js';
import { takenAs } from '../../core/db/unique.js';
import { transactionally } from '../../core/events/bus.js';
import { invalidateCacheKey } from '../../core/realtime/cache-keys.js';
import type { LabelFields } from './schemas.js';

/** label.rb: letters or digits first, then letters, digits, "_" or "-"; at least two characters. */
const TITLE_FORMAT = /^[\p{L}\p{N}]+[\p{L}\p{N}_-]+$/u;

function labelColumns(fields: LabelFields, creating: boolean) {
  const errors: FieldError[] = [];
  const title = fields.title?.trim().toLowerCase();
  if ((creating || fields.title !== undefined) && isBlank(title))
    errors.push({ attribute: 'title', message: 'must not be blank' });
  else if (title !== undefined && (!TITLE_FORMAT.test(title) || title.length > 255))
    errors.push({ attribute: 'title', message: 'is invalid' });
  if (errors.length) throw validationFailed(errors);
  return {
    ...(title !== undefined && { title }),
    ...(fields.description !== undefined && { description: fields.description }),
    ...(fields.color !== undefined && { color: fields.color }),
    ...(fields.show_on_sidebar !== undefined && { show_on_sidebar: fields.show_on_sidebar }),
  };
}

async function fetchLabel(ctx: AccountCtx, rawId: string): Promise<Label> {
  const id = parseId(rawId);
  const label =
    id === undefined
      ? undefined
      : await ctx.db
          .selectFrom('labels')
          .selectAll()
          .where('account_id', '=', ctx.account.id)
          .where('id', '=', id)
          .executeTakeFirst();
  if (!label) throw recordNotFound();
  return label;
}

export async function listLabels(ctx: AccountCtx): Promise<Label[]> {
  return ctx.db.selectFrom('labels').selectAll().where('account_id', '=', ctx.account.id).orderBy('title').execute();
}

export async function getLabel(ctx: AccountCtx, rawId: string): Promise<Label> {
  const label = await fetchLabel(ctx, rawId);
  requireAdministrator(ctx);
  return label;
}

export async function createLabel(ctx: AccountCtx, fields: LabelFields): Promise<Label> {
  requireAdministrator(ctx);
  const columns = labelColumns(fields, true);
  return takenAs('title', () =>
    transactionally(ctx, async (tx, batch) => {
      const label = await tx
        .insertInto('labels')
        .values({ account_id: ctx.account.id, title: columns.title!, ...columns })
        .returningAll()
        .executeTakeFirstOrThrow();
      await invalidateCacheKey({ tx, batch }, { accountId: ctx.account.id, key: 'label', performer: performerOf(ctx) });
      return label;
    }),
  );
}

/** Renaming a label renames it on every contact and conversation that carries it (Labels::UpdateJob). */
export async function patchLabel(ctx: AccountCtx, rawId: string, fields: LabelFields): Promise<Label> {
  const label = await fetchLabel(ctx, rawId);
  requireAdministrator(ctx);
  const columns = labelColumns(fields, false);
  return takenAs('title', () =>
    transactionally(ctx, async (tx, batch) => {
      const updated = await tx
        .updateTable('labels')
        .set({ ...columns, updated_at: new Date() })
        .where('id', '=', label.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (updated.title !== label.title) {
        await tx
          .updateTable('taggings')
          .set({ name: updated.title })
          .where('account_id', '=', ctx.account.id)
          .where('name', '=', label.title)
          .execute();
      }
      await invalidateCacheKey({ tx, batch }, { accountId: ctx.account.id, key: 'label', performer: performerOf(ctx) });
      return updated;
    }),
  );
}

/** Deleting a label takes it off every contact and conversation too. */
export async function removeLabel(ctx: AccountCtx, rawId: string): Promise<void> {
  const label = await fetchLabel(ctx, rawId);
  requireAdministrator(ctx);
  await transactionally(ctx, async (tx, batch) => {
    await tx.deleteFrom('taggings').where('account_id', '=', ctx.account.id).where('name', '=', label.title).execute();
    await tx.deleteFrom('labels').where('id', '=', label.id).execute();
    await invalidateCacheKey({ tx, batch }, { accountId: ctx.account.id, key: 'label', performer: performerOf(ctx) });
  });
}
