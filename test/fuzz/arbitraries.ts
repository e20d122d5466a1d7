import fc from 'fast-check';

/** A JSON Schema node as @fastify/swagger writes it into /openapi.json. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

/** Integers PostgreSQL's int4/int8 and JavaScript cannot all hold: the first 500s of issue 18. */
export const HOSTILE_INTEGERS = [
  -1,
  0,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  -(2 ** 63),
  2 ** 63,
  1e308,
  -1e308,
  1.5,
];
/** The same as text, as a Rails client may send an id ("9223372036854775808" is past int8). */
const HOSTILE_NUMERIC_TEXT = [
  '9223372036854775808',
  '-9223372036854775809',
  '2147483648',
  '-1',
  '0',
  '1e400',
  'Infinity',
  '-Infinity',
  'NaN',
  '00000000000000000000001',
  ' 1',
  '-999999999999',
  '999999999999',
  '1'.repeat(5_000),
];
/** Dates PostgreSQL refuses or JavaScript cannot hold. */
const HOSTILE_DATES = [
  '0000-01-01',
  '2024-02-30',
  '9999-12-31',
  '-0001-01-01',
  '275760-09-14',
  '2024-13-01',
  '1970-01-01T25:61:00Z',
];

/**
 * Strings longer than any btree index entry may be (~2.7 kB) and close to the body limit; built
 * once (fast-check would otherwise build, and shrink, megabyte strings character by character).
 */
const BIG = ['a'.repeat(3_000), 'é'.repeat(3_000), 'x'.repeat(100_000), 'y'.repeat(1_000_000)];
/** Text of every kind but NUL (NUL is refused by its own rule: see the error handler). */
const unicode = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replaceAll('\u0000', ''));
const bigString = fc.oneof(
  fc.constantFrom(...BIG),
  fc.string({ unit: 'binary', minLength: 2_800, maxLength: 4_000 }).map((s) => s.replaceAll('\u0000', '')),
);

/**
 * JSON nested deeper than PostgreSQL's jsonb parser or JavaScript's own JSON.stringify (about
 * 4,000 levels) can take. Kept as text: this process could not stringify it either.
 */
export class DeepJson {
  readonly text: string;
  constructor(
    readonly depth: number,
    asArray: boolean,
  ) {
    this.text = asArray ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  }
}
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}
const deep = fc.constantFrom<unknown>(
  nested(101),
  nested(300),
  new DeepJson(10_000, false),
  new DeepJson(100_000, true),
);

/** JSON text of a generated value (DeepJson spliced in as it is). */
export function toJson(value: unknown): string {
  if (value instanceof DeepJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${toJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Any JSON value, including the shapes a schema did not ask for. */
export const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_INTEGERS) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NUMERIC_TEXT, ...HOSTILE_DATES) },
  { weight: 2, arbitrary: bigString },
  { weight: 2, arbitrary: unicode },
  // rare: one too-deep value anywhere makes the whole body a 400 before anything else is looked at
  { weight: 1, arbitrary: deep },
  { weight: 2, arbitrary: fc.constantFrom(null, true, false, [], {}, '', [null], { '': '' }) },
  {
    weight: 2,
    arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v).replace(/\\u0000/g, ''))),
  },
);

export interface Hints {
  /** Ids of objects that exist, so id fields sometimes name a real one. */
  knownIds: number[];
}

const typesOf = (schema: JsonSchema): string[] =>
  Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];

/** Filter payload words (contacts, conversations, export), so that conditions reach the SQL compiler. */
const FILTER_KEYS = [
  'id',
  'name',
  'email',
  'phone_number',
  'identifier',
  'created_at',
  'last_activity_at',
  'display_id',
  'status',
  'assignee_id',
  'inbox_id',
  'labels',
  'plan_1',
  'plan_2',
  'country_code',
  'blocked',
  'priority',
];
const FILTER_OPERATORS = [
  'equal_to',
  'not_equal_to',
  'contains',
  'does_not_contain',
  'starts_with',
  'is_present',
  'is_not_present',
  'is_greater_than',
  'is_less_than',
  'days_before',
];

/** Values plausible for a field of this name, so that a request can pass validation and go deeper. */
function hinted(name: string, hints: Hints): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [];
  if (name === 'attribute_key') out.push(fc.constantFrom(...FILTER_KEYS));
  if (name === 'filter_operator') out.push(fc.constantFrom(...FILTER_OPERATORS));
  if (name === 'query_operator') out.push(fc.constantFrom('AND', 'OR', 'and'));
  if (name === 'values')
    out.push(
      fc.array(
        fc.oneof(
          fc.constantFrom(...HOSTILE_DATES, ...HOSTILE_NUMERIC_TEXT, ...HOSTILE_INTEGERS, 'open', '1', 'a@'),
          unicode,
        ),
        { maxLength: 3 },
      ),
    );
  if (/until|_at$|within/.test(name))
    out.push(fc.constantFrom(...HOSTILE_DATES, 1_700_000_000, '1700000000', -62_135_596_801, 253_402_300_800));
  if (/(^|_)ids?$|^agent_bot$/.test(name) && hints.knownIds.length) {
    out.push(fc.constantFrom(...hints.knownIds), fc.constantFrom(...hints.knownIds).map(String));
  }
  if (/email/.test(name)) out.push(fc.constantFrom('fuzz@example.com', `${'e'.repeat(3_000)}@example.com`));
  if (/url/.test(name)) out.push(fc.constantFrom('https://example.com/x', `https://example.com/${'p'.repeat(3_000)}`));
  return out;
}

/**
 * An arbitrary for a value of `schema`: mostly values of the declared type (including extreme
 * ones), sometimes any hostile JSON.
 */
export function valueFor(schema: JsonSchema, name: string, hints: Hints, depth = 0): fc.Arbitrary<unknown> {
  const typed: fc.Arbitrary<unknown>[] = [...hinted(name, hints)];
  if (schema.enum) typed.push(fc.constantFrom(...schema.enum));
  if (schema.const !== undefined) typed.push(fc.constant(schema.const));
  for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])])
    typed.push(valueFor(branch, name, hints, depth + 1));
  for (const type of typesOf(schema)) {
    switch (type) {
      case 'string':
        typed.push(
          fc.constantFrom('', 'x', 'open', 'Ünïcødé ✓'),
          unicode,
          bigString,
          fc.constantFrom(...HOSTILE_NUMERIC_TEXT),
        );
        break;
      case 'integer':
      case 'number':
        typed.push(
          fc.constantFrom(...HOSTILE_INTEGERS),
          fc.integer(),
          fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(Number),
        );
        break;
      case 'boolean':
        typed.push(fc.boolean());
        break;
      case 'null':
        typed.push(fc.constant(null));
        break;
      case 'array':
        if (depth < 4) typed.push(fc.array(valueFor(schema.items ?? {}, name, hints, depth + 1), { maxLength: 3 }));
        break;
      case 'object':
        if (depth < 4) typed.push(objectFor(schema, hints, depth + 1));
        break;
      default:
        break;
    }
  }
  if (!typed.length) return hostile; // an untyped value: anything goes
  return fc.oneof({ weight: 4, arbitrary: fc.oneof(...typed) }, { weight: 1, arbitrary: hostile });
}

/**
 * An object of the schema's properties: some of them (and now and then an undeclared one), or a
 * single one, so that one bad value is not hidden behind another's refusal.
 */
export function objectFor(schema: JsonSchema, hints: Hints, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  if (!properties.length) return fc.dictionary(fc.string({ maxLength: 10 }), hostile, { maxKeys: 3 });
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, property] of properties) record[key] = valueFor(property, key, hints, depth);
  const some = fc
    .tuple(
      fc.record(record, { requiredKeys: [] }),
      fc.option(fc.tuple(fc.string({ maxLength: 8 }), hostile), { freq: 5 }),
    )
    .map(([object, extra]) => (extra ? { ...object, [extra[0]]: extra[1] } : object));
  const one = fc
    .constantFrom(...properties.map(([key]) => key))
    .chain((key) => record[key]!.map((value) => ({ [key]: value })));
  return fc.oneof(some, one);
}
