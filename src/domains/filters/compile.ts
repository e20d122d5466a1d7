import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { AppError } from '../../core/errors.js';
import type { CustomAttributeModel, DataType, EntitySpec, KeySpec, Operator } from './keys.js';
import { escapeLike, trigramCandidates } from './substring.js';

/**
 * Compiles Chatwoot's filter payload (`[{attribute_key, filter_operator, values, query_operator}]`)
 * into one SQL boolean expression over the entity's table. Pure: the account's custom attribute
 * definitions and "today" are passed in. Used by contacts and conversations filters and by
 * automation rule conditions (which add `attribute_changed`, checked against the event's changes).
 *
 * Where Chatwoot's behaviour is an accident we keep the intent and say so:
 * - conditions chain like Chatwoot's string concatenation, so AND binds tighter than OR;
 *   a trailing query_operator on the last condition is ignored (Chatwoot answers 500);
 * - `equal_to` accepts several values (IN) for every entity (Chatwoot's contacts use the first);
 * - `starts_with` is a prefix match (Chatwoot compares for equality by accident);
 * - LIKE wildcards in values are matched literally.
 */
export interface FilterCondition {
  attribute_key?: unknown;
  filter_operator?: unknown;
  values?: unknown;
  query_operator?: unknown;
  /** Automation conditions: conversation_attribute (default) or contact_attribute. */
  custom_attribute_type?: unknown;
}

export type CustomAttributeType = 'text' | 'number' | 'currency' | 'percent' | 'link' | 'date' | 'list' | 'checkbox';

export interface CustomAttributeSpec {
  attribute_key: string;
  display_type: CustomAttributeType;
  /** Whose attribute it is, for entities with customTables (automation conditions). */
  model?: CustomAttributeModel;
}

/** What an automation event changed: attribute → [previous, current], as Chatwoot's changed_attributes. */
export type ChangedAttributes = Readonly<Record<string, readonly [unknown, unknown]>>;

export interface CompileOptions {
  /** Automation rules: the event's changes; `attribute_changed` conditions are refused without them. */
  changedAttributes?: ChangedAttributes;
}

/** Chatwoot's CustomExceptions::CustomFilter::* render as 422 {"error": message}. */
const filterError = (message: string) => new AppError('unprocessable', 422, { error: message });

export const invalidAttribute = (key: string, entity: EntitySpec) =>
  filterError(
    `Invalid attribute key - [${key}]. The key should be one of [${Object.keys(entity.keys).join(',')}] or a custom attribute defined in the account.`,
  );
const invalidOperator = (key: string, allowed: readonly string[]) =>
  filterError(`Invalid operator. The allowed operators for ${key} are [${allowed.join(',')}].`);
const invalidQueryOperator = () => filterError('Query operator must be either "AND" or "OR".');
const invalidValue = (key: string) => filterError(`Invalid value. The values provided for ${key} are invalid`);

const CUSTOM_OPERATORS: Record<CustomAttributeType, readonly Operator[]> = {
  text: ['equal_to', 'not_equal_to', 'contains', 'does_not_contain', 'is_present', 'is_not_present'],
  link: ['equal_to', 'not_equal_to', 'contains', 'does_not_contain', 'is_present', 'is_not_present'],
  list: ['equal_to', 'not_equal_to', 'is_present', 'is_not_present'],
  number: ['equal_to', 'not_equal_to', 'is_greater_than', 'is_less_than', 'is_present', 'is_not_present'],
  currency: ['equal_to', 'not_equal_to', 'is_greater_than', 'is_less_than', 'is_present', 'is_not_present'],
  percent: ['equal_to', 'not_equal_to', 'is_greater_than', 'is_less_than', 'is_present', 'is_not_present'],
  date: ['equal_to', 'not_equal_to', 'is_greater_than', 'is_less_than', 'days_before', 'is_present', 'is_not_present'],
  checkbox: ['equal_to', 'not_equal_to'],
};

/** What one condition compares: an SQL expression, its data type, and how to read values. */
interface Target {
  expr: RawBuilder<unknown>;
  dataType: DataType;
  operators: readonly Operator[];
  enumValues?: Readonly<Record<string, number>>;
  custom: boolean;
}

function customDataType(type: CustomAttributeType): DataType {
  if (type === 'number' || type === 'currency' || type === 'percent') return 'number';
  if (type === 'date') return 'date';
  if (type === 'checkbox') return 'boolean';
  return 'text_case_insensitive';
}

/** The custom attributes map's key: the attribute key, prefixed by its model where the entity has several. */
const customKey = (entity: EntitySpec, key: string, model: CustomAttributeModel | undefined) =>
  entity.customTables ? `${model ?? entity.customDefault ?? 'conversation_attribute'}:${key}` : key;

/** The condition's custom_attribute_type, or the entity's default when it names neither model. */
function customModelOf(entity: EntitySpec, condition: FilterCondition): CustomAttributeModel {
  const type = condition.custom_attribute_type;
  if (type === 'contact_attribute' || type === 'conversation_attribute') return type;
  return entity.customDefault ?? 'conversation_attribute';
}

function targetFor(
  entity: EntitySpec,
  key: string,
  customs: Map<string, CustomAttributeSpec>,
  condition: FilterCondition,
): Target | undefined {
  const spec: KeySpec | undefined = Object.hasOwn(entity.keys, key) ? entity.keys[key] : undefined;
  if (spec) {
    const table = spec.source.table ?? entity.table;
    const raw =
      'column' in spec.source
        ? sql.ref(`${table}.${spec.source.column}`)
        : sql`(${sql.ref(`${table}.additional_attributes`)} ->> ${spec.source.additional})`;
    return {
      expr: shape(raw, spec.dataType),
      dataType: spec.dataType,
      operators: spec.operators,
      enumValues: spec.enumValues,
      custom: false,
    };
  }
  const model = customModelOf(entity, condition);
  const custom = customs.get(customKey(entity, key, model));
  if (!custom) return undefined;
  const dataType = customDataType(custom.display_type);
  const table = entity.customTables ? entity.customTables[model] : entity.table;
  const raw = sql`(${sql.ref(`${table}.custom_attributes`)} ->> ${key})`;
  // stored values that do not read as the attribute's type match nothing (0009_safe_casts.sql)
  const cast =
    dataType === 'number'
      ? sql`confab_to_numeric(${raw})`
      : dataType === 'boolean'
        ? sql`confab_to_boolean(${raw})`
        : dataType === 'date'
          ? sql`confab_to_date(${raw})`
          : raw;
  return { expr: shape(cast, dataType), dataType, operators: CUSTOM_OPERATORS[custom.display_type], custom: true };
}

function shape(expr: RawBuilder<unknown>, dataType: DataType): RawBuilder<unknown> {
  if (dataType === 'text_case_insensitive') return sql`lower(${expr})`;
  if (dataType === 'date') return sql`(${expr})::date`;
  return expr;
}

function valueList(values: unknown): unknown[] {
  if (values === undefined || values === null) return [];
  return (Array.isArray(values) ? values : [values]).filter(
    (v) => v !== null && v !== undefined && !(typeof v === 'string' && v.trim() === ''),
  );
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;
/** Longest numeric text compared with a custom attribute (PostgreSQL's numeric takes far more). */
const MAX_NUMBER_TEXT = 1_000;

/** A real calendar day of the years 0001-9999 (PostgreSQL refuses "2024-02-30" and year 0). */
function calendarDay(text: string): string | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  const real =
    year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? text.slice(0, 10) : undefined;
}

/** Reads one value as the target's data type; undefined when it cannot be read. */
function readValue(target: Target, key: string, value: unknown): unknown {
  switch (target.dataType) {
    case 'number': {
      const text = String(value).trim();
      if (text.length > MAX_NUMBER_TEXT || !/^-?\d+(\.\d+)?$/.test(text)) return undefined;
      if (target.custom) return text;
      // standard number keys are id columns (bigint): a value past them is no id at all
      const number = Number(text);
      return Number.isSafeInteger(number) ? number : undefined;
    }
    case 'boolean':
      if (value === true || value === 'true' || value === 1 || value === '1') return true;
      if (value === false || value === 'false' || value === 0 || value === '0') return false;
      return undefined;
    case 'date':
      return calendarDay(String(value).trim());
    case 'labels':
      return String(value);
    case 'text':
      if (target.enumValues)
        return Object.hasOwn(target.enumValues, String(value)) ? target.enumValues[String(value)] : undefined;
      return String(value);
    default: {
      const text = String(value).toLowerCase();
      // Chatwoot normalises phone numbers to one leading "+"
      return key === 'phone_number' && !target.custom ? `+${text.replace(/\+/g, '').trim()}` : text;
    }
  }
}

function compileCondition(
  entity: EntitySpec,
  condition: FilterCondition,
  customs: Map<string, CustomAttributeSpec>,
  today: Date,
  options: CompileOptions,
): RawBuilder<SqlBool> {
  const key = String(condition.attribute_key ?? '');
  const operator = String(condition.filter_operator ?? '') as Operator;
  if (operator === 'attribute_changed' && options.changedAttributes) {
    return attributeChanged(key, condition.values, options.changedAttributes);
  }
  const standard = Object.hasOwn(entity.keys, key) ? entity.keys[key] : undefined;
  if (standard && !standard.operators.includes(operator)) throw invalidOperator(key, standard.operators);
  const presence = operator === 'is_present' || operator === 'is_not_present';
  const raw = valueList(condition.values);
  if (!presence && raw.length === 0) throw invalidValue(key);
  const target = targetFor(entity, key, customs, condition);
  if (!target) throw invalidAttribute(key, entity);
  if (!target.operators.includes(operator)) throw invalidOperator(key, target.operators);

  if (target.dataType === 'labels') {
    const tagged = (
      names?: string[],
    ) => sql<SqlBool>`exists (select 1 from taggings where taggings.taggable_type = ${entity.taggableType}
      and taggings.taggable_id = ${sql.ref(`${entity.table}.id`)}${names ? sql` and taggings.name = any(${names}::text[])` : sql``})`;
    if (operator === 'is_present') return tagged();
    if (operator === 'is_not_present') return sql<SqlBool>`not ${tagged()}`;
    const names = raw.map(String);
    return operator === 'equal_to' ? tagged(names) : sql<SqlBool>`not ${tagged(names)}`;
  }
  if (operator === 'is_present') return sql<SqlBool>`${target.expr} is not null`;
  if (operator === 'is_not_present') return sql<SqlBool>`${target.expr} is null`;

  if (operator === 'contains' || operator === 'does_not_contain' || operator === 'starts_with') {
    const patterns = raw.map((v) => {
      const text = escapeLike(String(v).trim());
      return operator === 'starts_with'
        ? `${text.startsWith('\\+') || key !== 'phone_number' ? text : `+${text}`}%`
        : `%${text}%`;
    });
    // a lower()ed column against lower()ed patterns: ILIKE would lower both sides again for every
    // row and every pattern (the patterns once per statement here, an InitPlan), and rules read a
    // message's content this way many times a message
    const match =
      target.dataType === 'text_case_insensitive'
        ? sql<SqlBool>`(${target.expr})::text like any(array(select lower(p) from unnest(${patterns}::text[]) as p))`
        : sql<SqlBool>`(${target.expr})::text ilike any(${patterns}::text[])`;
    if (operator === 'does_not_contain') return sql<SqlBool>`not ${match}`;
    const indexed = !target.custom && entity.substringIndex?.keys.includes(key) ? entity.substringIndex : undefined;
    if (!indexed) return match;
    // the column's lowered text lies inside the lowered document (ILIKE lowers both sides), so a
    // row that matches also holds each value's trigrams anywhere in the document: same rows,
    // index-found, one condition a trigram (substring.ts says why)
    const candidates = raw.map((v) => trigramCandidates(indexed.document, String(v).trim()));
    if (candidates.every((c) => c !== undefined)) {
      return sql<SqlBool>`((${sql.join(candidates, sql` or `)}) and ${match})`;
    }
    const anywhere = patterns.map((p) => (p.startsWith('%') ? p : `%${p}`));
    return sql<SqlBool>`(${indexed.document} ilike any(${anywhere}::text[]) and ${match})`;
  }

  if (operator === 'days_before') {
    const days = Number(String(raw[0]).trim());
    const before = new Date(today.getTime() - days * 86_400_000);
    // a day before year 1 is out of PostgreSQL's (and Date's) range
    if (!Number.isInteger(days) || days < 0 || !(before.getUTCFullYear() >= 1)) throw invalidValue(key);
    const day = before.toISOString().slice(0, 10);
    return sql<SqlBool>`${target.expr} < ${day}::date`;
  }

  const values = raw.map((v) => readValue(target, key, v));
  if (values.some((v) => v === undefined)) throw invalidValue(key);
  if (operator === 'is_greater_than' || operator === 'is_less_than') {
    const cast = target.dataType === 'date' ? sql`${values[0]}::date` : sql`${values[0]}::numeric`;
    return operator === 'is_greater_than'
      ? sql<SqlBool>`${target.expr} > ${cast}`
      : sql<SqlBool>`${target.expr} < ${cast}`;
  }
  const list = sql.join(values.map((v) => (target.dataType === 'date' ? sql`${v}::date` : sql`${v}`)));
  if (operator === 'equal_to') return sql<SqlBool>`${target.expr} in (${list})`;
  // custom attributes count "not set" as "not equal", as Chatwoot's custom attribute filter does
  return target.custom
    ? sql<SqlBool>`(${target.expr} not in (${list}) or ${target.expr} is null)`
    : sql<SqlBool>`${target.expr} not in (${list})`;
}

/**
 * ConditionsFilterService's attribute_changed: true when the event changed `key` from one of
 * `values.from` to one of `values.to` (compared as text: names for status and priority, ids as
 * digits); false when it did not change it (Chatwoot raises on the missing change and answers
 * "no match"). A constant, so it chains with AND/OR like any other condition.
 */
function attributeChanged(key: string, values: unknown, changes: ChangedAttributes): RawBuilder<SqlBool> {
  const bounds = typeof values === 'object' && values !== null && !Array.isArray(values) ? values : {};
  const list = (raw: unknown) => (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((v) => String(v));
  const from = list((bounds as Record<string, unknown>).from);
  const to = list((bounds as Record<string, unknown>).to);
  const change = Object.hasOwn(changes, key) ? changes[key] : undefined;
  const matched =
    change !== undefined && from.includes(String(change[0] ?? '')) && to.includes(String(change[1] ?? ''));
  return matched ? sql<SqlBool>`true` : sql<SqlBool>`false`;
}

/** Compiles the whole payload; an empty payload matches everything. */
export function compileFilter(
  entity: EntitySpec,
  conditions: FilterCondition[],
  customAttributes: CustomAttributeSpec[],
  today: Date = new Date(),
  options: CompileOptions = {},
): RawBuilder<SqlBool> {
  conditions.forEach((condition, index) => {
    const op = condition.query_operator;
    const last = index === conditions.length - 1;
    if (op === undefined || op === null || op === '') {
      if (!last) throw invalidQueryOperator();
    } else if (typeof op !== 'string' || !['AND', 'OR'].includes(op.toUpperCase())) {
      throw invalidQueryOperator();
    }
  });
  if (conditions.length === 0) return sql<SqlBool>`true`;
  const customs = new Map(customAttributes.map((c) => [customKey(entity, c.attribute_key, c.model), c]));
  // AND binds tighter than OR: split into OR-separated groups of AND-ed conditions
  const groups: RawBuilder<SqlBool>[][] = [[]];
  conditions.forEach((condition, index) => {
    groups.at(-1)!.push(compileCondition(entity, condition, customs, today, options));
    const op = String(condition.query_operator ?? '').toUpperCase();
    if (op === 'OR' && index < conditions.length - 1) groups.push([]);
  });
  const ors = groups.map((group) => sql<SqlBool>`(${sql.join(group, sql` and `)})`);
  return sql<SqlBool>`(${sql.join(ors, sql` or `)})`;
}
