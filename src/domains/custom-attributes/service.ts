import { ANY_PLAN } from '../../core/db/prepared.js';
import type { CustomAttributeDefinition } from '../../core/db/schema.js';
import { recordNotFound, validationFailed, type FieldError } from '../../core/errors.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { isBlank } from '../../core/http/values.js';
import { ATTRIBUTE_MODELS, DISPLAY_TYPES } from '../../serializers/custom-attribute-definition.js';
import type { CustomAttributeSpec } from '../filters/compile.js';
import { takenAs } from '../../core/db/unique.js';
import type { Db } from '../../core/db/kysely.js';
import type { DefinitionFields } from './schemas.js';

/** Keys that would shadow standard attributes (custom_attribute_definition.rb STANDARD_ATTRIBUTES). */
const STANDARD_KEYS: Record<number, readonly string[]> = {
  0: [
    'status',
    'priority',
    'assignee_id',
    'inbox_id',
    'team_id',
    'display_id',
    'campaign_id',
    'labels',
    'browser_language',
    'country_code',
    'referer',
    'created_at',
    'last_activity_at',
  ],
  1: [
    'name',
    'email',
    'phone_number',
    'identifier',
    'country_code',
    'city',
    'company_name',
    'created_at',
    'last_activity_at',
    'referer',
    'blocked',
  ],
};
const KEY_FORMAT = /^[\p{L}\p{N}_.-]+$/u;

const enumIndex = (names: readonly string[], value: string | number | undefined) =>
  value === undefined ? undefined : typeof value === 'number' ? value : names.indexOf(value);
const inEnum = (names: readonly string[], index: number) =>
  Number.isInteger(index) && index >= 0 && index < names.length;

function definitionColumns(fields: DefinitionFields, creating: boolean) {
  const errors: FieldError[] = [];
  const model = enumIndex(ATTRIBUTE_MODELS, fields.attribute_model);
  const displayType = enumIndex(DISPLAY_TYPES, fields.attribute_display_type);
  const key = fields.attribute_key?.trim();
  // the schema takes names and in-range numbers; this also catches what its coercion let through
  if (model !== undefined && !inEnum(ATTRIBUTE_MODELS, model))
    errors.push({ attribute: 'attribute_model', message: 'is not included in the list' });
  if (displayType !== undefined && !inEnum(DISPLAY_TYPES, displayType))
    errors.push({ attribute: 'attribute_display_type', message: 'is not included in the list' });
  if ((creating || fields.attribute_display_name !== undefined) && isBlank(fields.attribute_display_name))
    errors.push({ attribute: 'attribute_display_name', message: "can't be blank" });
  if ((creating || fields.attribute_key !== undefined) && isBlank(key))
    errors.push({ attribute: 'attribute_key', message: "can't be blank" });
  else if (key !== undefined && !KEY_FORMAT.test(key))
    errors.push({
      attribute: 'attribute_key',
      message: 'must only contain letters, numbers, underscores, hyphens, and dots',
    });
  if (
    creating &&
    key &&
    STANDARD_KEYS[model !== undefined && inEnum(ATTRIBUTE_MODELS, model) ? model : 0]!.includes(key)
  ) {
    errors.push({
      attribute: 'attribute_key',
      message: 'The provided key is not allowed as it might conflict with default attributes.',
    });
  }
  if (errors.length) throw validationFailed(errors);
  return {
    ...(fields.attribute_display_name !== undefined && {
      attribute_display_name: fields.attribute_display_name.trim(),
    }),
    ...(key !== undefined && { attribute_key: key }),
    ...(fields.attribute_description !== undefined && { attribute_description: fields.attribute_description }),
    ...(displayType !== undefined && { attribute_display_type: displayType }),
    ...(model !== undefined && { attribute_model: model }),
    ...(fields.regex_pattern !== undefined && { regex_pattern: fields.regex_pattern }),
    ...(fields.regex_cue !== undefined && { regex_cue: fields.regex_cue }),
    ...(fields.default_value !== undefined && { default_value: fields.default_value }),
    ...(fields.attribute_values !== undefined && { attribute_values: JSON.stringify(fields.attribute_values) }),
  };
}

async function fetchDefinition(ctx: AccountCtx, rawId: string): Promise<CustomAttributeDefinition> {
  const id = parseId(rawId);
  const row =
    id === undefined
      ? undefined
      : await ctx.db
          .selectFrom('custom_attribute_definitions')
          .selectAll()
          .where('account_id', '=', ctx.account.id)
          .where('id', '=', id)
          .executeTakeFirst();
  if (!row) throw recordNotFound();
  return row;
}

/** GET: all models, or one by name or number (attribute_model=contact_attribute | 1). */
export async function listDefinitions(
  ctx: AccountCtx,
  model: string | undefined,
): Promise<CustomAttributeDefinition[]> {
  let query = ctx.db.selectFrom('custom_attribute_definitions').selectAll().where('account_id', '=', ctx.account.id);
  if (model) {
    const index = /^\d+$/.test(model)
      ? Number(model)
      : ATTRIBUTE_MODELS.indexOf(model as (typeof ATTRIBUTE_MODELS)[number]);
    // a number past the enum names no model (and past smallint, none PostgreSQL could compare)
    if (!inEnum(ATTRIBUTE_MODELS, index)) return [];
    query = query.where('attribute_model', '=', index);
  }
  return query.orderBy('id').execute();
}

export const getDefinition = fetchDefinition;

export async function createDefinition(ctx: AccountCtx, fields: DefinitionFields): Promise<CustomAttributeDefinition> {
  requireAdministrator(ctx);
  const columns = definitionColumns(fields, true);
  return takenAs('attribute_key', () =>
    ctx.db
      .insertInto('custom_attribute_definitions')
      .values({
        account_id: ctx.account.id,
        attribute_display_name: columns.attribute_display_name!,
        attribute_key: columns.attribute_key!,
        ...columns,
      })
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

export async function patchDefinition(
  ctx: AccountCtx,
  rawId: string,
  fields: DefinitionFields,
): Promise<CustomAttributeDefinition> {
  const row = await fetchDefinition(ctx, rawId);
  requireAdministrator(ctx);
  const columns = definitionColumns(fields, false);
  return takenAs('attribute_key', () =>
    ctx.db
      .updateTable('custom_attribute_definitions')
      .set({ ...columns, updated_at: new Date() })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

export async function removeDefinition(ctx: AccountCtx, rawId: string): Promise<void> {
  const row = await fetchDefinition(ctx, rawId);
  requireAdministrator(ctx);
  await ctx.db.deleteFrom('custom_attribute_definitions').where('id', '=', row.id).execute();
}

/** The account's definitions for one model, in the shape the filter compiler takes. */
export async function filterableAttributes(db: Db, accountId: number, model: number): Promise<CustomAttributeSpec[]> {
  const rows = await db
    .selectFrom('custom_attribute_definitions')
    .modifyFront(ANY_PLAN)
    .select(['attribute_key', 'attribute_display_type'])
    .where('account_id', '=', accountId)
    .where('attribute_model', '=', model)
    .execute();
  return rows.map((row) => ({
    attribute_key: row.attribute_key,
    display_type: DISPLAY_TYPES[row.attribute_display_type] ?? 'text',
  }));
}
