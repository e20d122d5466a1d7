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
