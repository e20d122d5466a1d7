import { Kysely, PostgresDialect, type RawBuilder } from 'kysely';
import { describe, expect, it } from 'vitest';
import { compileFilter, type CustomAttributeSpec, type FilterCondition } from './compile.js';
import { AUTOMATION_CONDITIONS, CONTACT_FILTERS, CONVERSATION_FILTERS } from './keys.js';

// compile() never touches the pool: a stub is enough to turn expressions into SQL text
const db = new Kysely<Record<string, never>>({ dialect: new PostgresDialect({ pool: {} as never }) });
const TODAY = new Date('2026-11-25T12:00:00Z');
const customs: CustomAttributeSpec[] = [
  { attribute_key: 'plan', display_type: 'list' },
  { attribute_key: 'ltv', display_type: 'number' },
  { attribute_key: 'signed_up', display_type: 'date' },
  { attribute_key: 'vip', display_type: 'checkbox' },
];

function compiled(conditions: FilterCondition[], entity = CONTACT_FILTERS) {
  const { sql, parameters } = (compileFilter(entity, conditions, customs, TODAY) as RawBuilder<unknown>).compile(db);
  return { sql: sql.replace(/\s+/g, ' ').trim(), parameters };
}

function errorOf(conditions: FilterCondition[], entity = CONTACT_FILTERS) {
  try {
    compileFilter(entity, conditions, customs, TODAY);
  } catch (error) {
    return error as { status: number; body: unknown };
  }
  throw new Error('expected the filter to be refused');
}

describe('compileFilter', () => {
  it('matches everything for an empty payload', () => {
    expect(compiled([]).sql).toBe('true');
  });

  it('compares contact text case-insensitively, with several values', () => {
    expect(compiled([{ attribute_key: 'email', filter_operator: 'equal_to', values: ['A@X.com', 'b@x.com'] }])).toEqual(
      { sql: '((lower("contacts"."email") in ($1, $2)))', parameters: ['a@x.com', 'b@x.com'] },
    );
    expect(compiled([{ attribute_key: 'name', filter_operator: 'not_equal_to', values: 'Jane' }])).toEqual({
      sql: '((lower("contacts"."name") not in ($1)))',
      parameters: ['jane'],
    });
  });

  it('normalises phone numbers to one leading +', () => {
    expect(
      compiled([{ attribute_key: 'phone_number', filter_operator: 'equal_to', values: ['15551234567'] }]).parameters,
    ).toEqual(['+15551234567']);
    expect(
      compiled([{ attribute_key: 'phone_number', filter_operator: 'starts_with', values: ['1555'] }]).parameters,
    ).toEqual([['+1555%']]);
  });

  it('asks the trigram-indexed search document too for substrings of its columns, not for negations or other keys', () => {
    expect(compiled([{ attribute_key: 'email', filter_operator: 'contains', values: ['Ann@', '50%'] }])).toEqual({
      sql: `((((coalesce(contacts.name, '') || chr(31) || coalesce(contacts.email, '') || chr(31) || coalesce(contacts.phone_number, '') || chr(31) || coalesce(contacts.identifier, '')) ilike any($1::text[]) and (lower("contacts"."email"))::text like any(array(select lower(p) from unnest($2::text[]) as p)))))`,
      parameters: [
        ['%Ann@%', '%50\\%%'],
        ['%Ann@%', '%50\\%%'],
      ],
    });
    expect(
      compiled([{ attribute_key: 'email', filter_operator: 'does_not_contain', values: ['x'] }]).sql,
    ).not.toContain('chr(31)');
    expect(compiled([{ attribute_key: 'city', filter_operator: 'contains', values: ['x'] }]).sql).not.toContain(
      'chr(31)',
    );
    expect(
      compiled([{ attribute_key: 'display_id', filter_operator: 'contains', values: ['1'] }], CONVERSATION_FILTERS).sql,
    ).not.toContain('chr(31)');
  });

  it('asks the search document for each trigram of a value on its own, so the index skips common ones', () => {
    const doc = `(coalesce(contacts.name, '') || chr(31) || coalesce(contacts.email, '') || chr(31) || coalesce(contacts.phone_number, '') || chr(31) || coalesce(contacts.identifier, ''))`;
    const { sql, parameters } = compiled([
      { attribute_key: 'email', filter_operator: 'contains', values: ['Son12@', 'x.io'] },
    ]);
    // "Son12@": son, on1, n12 (a window with "@" is no trigram of letters); "x.io": none, so both
    // values fall back to the one pattern a value
    expect(parameters).toEqual([
      ['%Son12@%', '%x.io%'],
      ['%Son12@%', '%x.io%'],
    ]);
    expect(sql).toContain(`${doc} ilike any($1::text[])`);
    const single = compiled([{ attribute_key: 'email', filter_operator: 'contains', values: ['Son12@', 'ann'] }]);
    expect(single).toEqual({
      // the windows as literals, so even a generic plan knows how rare they are
      sql: `(((((${doc} ilike '%Son%' and ${doc} ilike '%on1%' and ${doc} ilike '%n12%') or (${doc} ilike '%ann%')) and (lower("contacts"."email"))::text like any(array(select lower(p) from unnest($1::text[]) as p)))))`,
      parameters: [['%Son12@%', '%ann%']],
    });
  });

  it('compiles contains with escaped wildcards, and does_not_contain as its negation', () => {
    expect(compiled([{ attribute_key: 'city', filter_operator: 'contains', values: ['50%_off', 'Rome'] }])).toEqual({
      sql: '(((lower(("contacts"."additional_attributes" ->> $1)))::text like any(array(select lower(p) from unnest($2::text[]) as p))))',
      parameters: ['city', ['%50\\%\\_off%', '%Rome%']],
    });
    expect(compiled([{ attribute_key: 'email', filter_operator: 'does_not_contain', values: ['spam'] }]).sql).toBe(
      '((not (lower("contacts"."email"))::text like any(array(select lower(p) from unnest($1::text[]) as p))))',
    );
  });

  it('filters labels by tag name with exists subqueries', () => {
    const { sql, parameters } = compiled([
      { attribute_key: 'labels', filter_operator: 'equal_to', values: ['vip', 'lead'] },
    ]);
    expect(sql).toContain(
      'exists (select 1 from taggings where taggings.taggable_type = $1 and taggings.taggable_id = "contacts"."id" and taggings.name = any($2::text[]))',
    );
    expect(parameters).toEqual(['Contact', ['vip', 'lead']]);
    expect(compiled([{ attribute_key: 'labels', filter_operator: 'is_not_present', values: [] }]).sql).toMatch(
      /^\(\(not exists \(select 1 from taggings/,
    );
  });

  it('compares dates as dates, and days_before as strictly before today minus N', () => {
    expect(
      compiled([{ attribute_key: 'created_at', filter_operator: 'is_greater_than', values: ['2024-01-01'] }]),
    ).toEqual({ sql: '((("contacts"."created_at")::date > $1::date))', parameters: ['2024-01-01'] });
    expect(compiled([{ attribute_key: 'last_activity_at', filter_operator: 'days_before', values: ['3'] }])).toEqual({
      sql: '((("contacts"."last_activity_at")::date < $1::date))',
      parameters: ['2026-11-22'],
    });
  });

  it('reads booleans and casts custom attributes by their type', () => {
    expect(compiled([{ attribute_key: 'blocked', filter_operator: 'equal_to', values: ['true'] }]).parameters).toEqual([
      true,
    ]);
    expect(compiled([{ attribute_key: 'ltv', filter_operator: 'is_greater_than', values: ['100.25'] }])).toEqual({
      sql: '((confab_to_numeric(("contacts"."custom_attributes" ->> $1)) > $2::numeric))',
      parameters: ['ltv', '100.25'],
    });
    expect(compiled([{ attribute_key: 'plan', filter_operator: 'not_equal_to', values: ['Pro'] }]).sql).toBe(
      '(((lower(("contacts"."custom_attributes" ->> $1)) not in ($2) or lower(("contacts"."custom_attributes" ->> $3)) is null)))',
    );
    expect(compiled([{ attribute_key: 'vip', filter_operator: 'equal_to', values: [true] }]).parameters).toEqual([
      'vip',
      true,
    ]);
  });

  it('chains with AND binding tighter than OR, ignoring a trailing operator', () => {
    const { sql } = compiled([
      { attribute_key: 'name', filter_operator: 'equal_to', values: ['a'], query_operator: 'and' },
      { attribute_key: 'email', filter_operator: 'equal_to', values: ['b'], query_operator: 'OR' },
      { attribute_key: 'identifier', filter_operator: 'equal_to', values: ['c'], query_operator: 'AND' },
    ]);
    expect(sql).toBe(
      '((lower("contacts"."name") in ($1) and lower("contacts"."email") in ($2)) or (lower("contacts"."identifier") in ($3)))',
    );
  });

  it('maps conversation enums and accepts several ids', () => {
    expect(
      compiled(
        [{ attribute_key: 'status', filter_operator: 'equal_to', values: ['open', 'pending'] }],
        CONVERSATION_FILTERS,
      ),
    ).toEqual({ sql: '(("conversations"."status" in ($1, $2)))', parameters: [0, 2] });
    expect(
      compiled([{ attribute_key: 'assignee_id', filter_operator: 'is_not_present' }], CONVERSATION_FILTERS).sql,
    ).toBe('(("conversations"."assignee_id" is null))');
  });

  it("refuses bad payloads with Chatwoot's 422 messages", () => {
    expect(errorOf([{ attribute_key: 'shoe_size', filter_operator: 'equal_to', values: ['9'] }]).body).toEqual({
      error:
        'Invalid attribute key - [shoe_size]. The key should be one of [name,phone_number,email,identifier,country_code,city,company,labels,created_at,last_activity_at,blocked] or a custom attribute defined in the account.',
    });
    expect(errorOf([{ attribute_key: 'country_code', filter_operator: 'eq', values: ['US'] }]).body).toEqual({
      error: 'Invalid operator. The allowed operators for country_code are [equal_to,not_equal_to].',
    });
    expect(errorOf([{ attribute_key: 'country_code', filter_operator: 'equal_to', values: [] }]).body).toEqual({
      error: 'Invalid value. The values provided for country_code are invalid',
    });
    expect(
      errorOf([{ attribute_key: 'name', filter_operator: 'equal_to', values: ['a'], query_operator: 'XOR' }]).body,
    ).toEqual({ error: 'Query operator must be either "AND" or "OR".' });
    expect(
      errorOf([
        { attribute_key: 'name', filter_operator: 'equal_to', values: ['a'] },
        { attribute_key: 'email', filter_operator: 'equal_to', values: ['b'] },
      ]).body,
    ).toEqual({ error: 'Query operator must be either "AND" or "OR".' });
    for (const bad of [
      {
        attribute_key: 'created_at',
        filter_operator: 'is_greater_than',
        values: ["2024-01-01'; drop table contacts;--"],
      },
      { attribute_key: 'ltv', filter_operator: 'is_less_than', values: ['lots'] },
      { attribute_key: 'blocked', filter_operator: 'equal_to', values: ['maybe'] },
      { attribute_key: 'last_activity_at', filter_operator: 'days_before', values: ['-1'] },
    ]) {
      const error = errorOf([bad]);
      expect(error.status).toBe(422);
      expect((error.body as { error: string }).error).toMatch(/^Invalid value\./);
    }
    expect(
      errorOf([{ attribute_key: 'status', filter_operator: 'equal_to', values: ['archived'] }], CONVERSATION_FILTERS)
        .status,
    ).toBe(422);
    expect(errorOf([{ attribute_key: 'vip', filter_operator: 'contains', values: ['x'] }]).body).toEqual({
      error: 'Invalid operator. The allowed operators for vip are [equal_to,not_equal_to].',
    });
  });
});

describe('compileFilter for automation conditions', () => {
  const automationCustoms: CustomAttributeSpec[] = [
    { attribute_key: 'tier', display_type: 'number', model: 'conversation_attribute' },
    { attribute_key: 'tier', display_type: 'text', model: 'contact_attribute' },
  ];
  const automation = (conditions: FilterCondition[], changedAttributes?: Record<string, [unknown, unknown]>) => {
    const { sql, parameters } = (
      compileFilter(AUTOMATION_CONDITIONS, conditions, automationCustoms, TODAY, {
        ...(changedAttributes ? { changedAttributes } : {}),
      }) as RawBuilder<unknown>
    ).compile(db);
    return { sql: sql.replace(/\s+/g, ' ').trim(), parameters };
  };

  it('reads contact and message keys from their joined tables', () => {
    expect(
      automation([
        { attribute_key: 'email', filter_operator: 'contains', values: ['@acme'], query_operator: 'AND' },
        { attribute_key: 'content', filter_operator: 'equal_to', values: ['Refund'], query_operator: 'OR' },
        { attribute_key: 'message_type', filter_operator: 'equal_to', values: ['incoming'] },
      ]),
    ).toEqual({
      sql: '(((lower("contacts"."email"))::text like any(array(select lower(p) from unnest($1::text[]) as p)) and lower("messages"."content") in ($2)) or ("messages"."message_type" in ($3)))',
      parameters: [['%@acme%'], 'refund', 0],
    });
  });

  it("reads a custom attribute of the model the condition names (the contact's by default, as Chatwoot)", () => {
    expect(
      automation([
        {
          attribute_key: 'tier',
          filter_operator: 'is_greater_than',
          values: ['5'],
          custom_attribute_type: 'conversation_attribute',
        },
      ]).sql,
    ).toBe('((confab_to_numeric(("conversations"."custom_attributes" ->> $1)) > $2::numeric))');
    expect(
      automation([
        {
          attribute_key: 'tier',
          filter_operator: 'equal_to',
          values: ['Gold'],
          custom_attribute_type: '',
        },
      ]),
    ).toEqual({ sql: '((lower(("contacts"."custom_attributes" ->> $1)) in ($2)))', parameters: ['tier', 'gold'] });
  });

  it('checks attribute_changed against the event changes, and refuses it without them', () => {
    const changed = {
      attribute_key: 'status',
      filter_operator: 'attribute_changed',
      values: { from: ['open'], to: ['resolved'] },
    };
    expect(automation([changed], { status: ['open', 'resolved'] }).sql).toBe('((true))');
    expect(automation([changed], { status: ['pending', 'resolved'] }).sql).toBe('((false))');
    expect(automation([changed], { priority: [null, 'high'] }).sql).toBe('((false))');
    expect(() => automation([changed])).toThrow(/Invalid operator/);
  });
});
