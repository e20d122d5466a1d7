import { Type } from 'typebox';

/** Rails' `head :ok`: status 200 and no body. */
export const EmptyBody = Type.String({ maxLength: 0, description: 'Empty body' });

type StringOptions = Parameters<typeof Type.String>[0];
type IntegerOptions = Parameters<typeof Type.Integer>[0];

/**
 * `string | null` as a JSON Schema type array rather than anyOf: with type coercion on, ajv
 * would otherwise turn a JSON null into "" while trying the string branch first.
 */
export const NullableString = (options: StringOptions = {}) =>
  Type.Unsafe<string | null>({ ...options, type: ['string', 'null'] });

export const NullableInteger = (options: IntegerOptions = {}) =>
  Type.Unsafe<number | null>({ ...options, type: ['integer', 'null'] });

/**
 * The bounds of every request value, declared once: a value PostgreSQL would refuse (an integer
 * past its column's range, a string too long for a btree index entry, ~2,700 bytes) is a schema
 * failure, so a 422 before any query runs, never a 500 from the database.
 */
export const LIMITS = {
  /**
   * Ids are bigint columns; a JSON number is exact only up to 2^53 - 1, so that is the largest id
   * taken (PostgreSQL's int8 goes further, JavaScript does not).
   */
  id: Number.MAX_SAFE_INTEGER,
  /** Pages: with the largest page size (100) the offset stays far inside int8 and exact in JavaScript. */
  page: 1_000_000,
  /**
   * Names, titles, codes, keys, emails, phone numbers, identifiers: the strings that are indexed.
   * 255 characters are at most 1,020 bytes of UTF-8, under the btree limit even beside other columns.
   */
  short: 255,
  /** URLs (webhook and avatar URLs, bot endpoints). */
  url: 2_048,
  /** Descriptions, signatures, greetings: text that is shown but never indexed. */
  text: 10_000,
  /** Message content, as Chatwoot's Message validates it. */
  long: 150_000,
  /**
   * Text stored unindexed whose tighter limit a service checks with Chatwoot's own error shape
   * (message content): bounded by the default request body limit, so no larger than a body.
   */
  body: 1_048_576,
  /** Search terms (substring matches; never stored). */
  search: 1_000,
  /**
   * Unix seconds: years 0001 to 9999. PostgreSQL's timestamptz starts at 4713 BC and JavaScript's
   * Date at 271,821 BC, but a time before year 1 or after 9999 is never a real snooze or filter.
   */
  epochMin: -62_135_596_800,
  epochMax: 253_402_300_799,
} as const;

/**
 * An id (a bigint column), as far as a JSON number holds it exactly. Zero and negative ids are
 * accepted and find nothing (404 or "must exist"), as Rails' `find` answers them.
 */
export const Id = (options: IntegerOptions = {}) =>
  Type.Integer({ minimum: -LIMITS.id, maximum: LIMITS.id, ...options });
export const NullableId = (options: IntegerOptions = {}) =>
  NullableInteger({ minimum: -LIMITS.id, maximum: LIMITS.id, ...options });

/**
 * An id as Rails takes it: a JSON number, or text it casts (`"12"`; anything else finds nothing,
 * as parseId decides). The number is bounded like Id, the text by length.
 */
export const IdOrText = (options: { description?: string } = {}) =>
  Type.Unsafe<number | string>({
    type: ['integer', 'string'],
    minimum: -LIMITS.id,
    maximum: LIMITS.id,
    maxLength: LIMITS.short,
    ...options,
  });
export const NullableIdOrText = (options: { description?: string } = {}) =>
  Type.Unsafe<number | string | null>({
    type: ['integer', 'string', 'null'],
    minimum: -LIMITS.id,
    maximum: LIMITS.id,
    maxLength: LIMITS.short,
    ...options,
  });

/** A page number (1-based). */
export const Page = (options: IntegerOptions = {}) => Type.Integer({ minimum: 1, maximum: LIMITS.page, ...options });

/** Unix seconds, as a number or its text (Rails' `DateTime.strptime(value, '%s')`); see epochDate. */
export const EpochSeconds = (options: { description?: string } = {}) =>
  Type.Unsafe<number | string>({
    type: ['integer', 'string'],
    minimum: LIMITS.epochMin,
    maximum: LIMITS.epochMax,
    maxLength: LIMITS.short,
    ...options,
  });
export const NullableEpochSeconds = (options: { description?: string } = {}) =>
  Type.Unsafe<number | string | null>({
    type: ['integer', 'string', 'null'],
    minimum: LIMITS.epochMin,
    maximum: LIMITS.epochMax,
    maxLength: LIMITS.short,
    ...options,
  });

/**
 * A scalar Rails reads as text: a string, or a number taken as its text (`"name": 42`). The
 * number is bounded like an id (past it JSON numbers are not exact), the text by `maxLength`.
 */
export const NullableScalar = (options: { maxLength?: number; description?: string } = {}) =>
  Type.Unsafe<string | number | null>({
    type: ['string', 'number', 'null'],
    minimum: -LIMITS.id,
    maximum: LIMITS.id,
    maxLength: LIMITS.short,
    ...options,
  });

export const ShortText = (options: StringOptions = {}) => Type.String({ maxLength: LIMITS.short, ...options });
export const NullableShortText = (options: StringOptions = {}) =>
  NullableString({ maxLength: LIMITS.short, ...options });
export const Url = (options: StringOptions = {}) => Type.String({ maxLength: LIMITS.url, ...options });
export const NullableUrl = (options: StringOptions = {}) => NullableString({ maxLength: LIMITS.url, ...options });
export const Text = (options: StringOptions = {}) => Type.String({ maxLength: LIMITS.text, ...options });
export const NullableText = (options: StringOptions = {}) => NullableString({ maxLength: LIMITS.text, ...options });
export const LongText = (options: StringOptions = {}) => Type.String({ maxLength: LIMITS.long, ...options });
export const NullableLongText = (options: StringOptions = {}) => NullableString({ maxLength: LIMITS.long, ...options });
export const SearchText = (options: StringOptions = {}) => Type.String({ maxLength: LIMITS.search, ...options });

/**
 * Free JSON stored as jsonb (custom and additional attributes, settings). Keys are short texts;
 * values are any JSON, bounded by the body limit and the parser's nesting limit (http/input-guards.ts).
 */
export const Attributes = (options: { description?: string } = {}) =>
  Type.Record(Type.String(), Type.Unknown(), { ...options, propertyNames: { maxLength: LIMITS.short } });
