import { describe, expect, it } from 'vitest';
import { jsonTooDeep, MAX_JSON_DEPTH, nonFiniteNumberAt } from './input-guards.js';

const nested = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}${close.repeat(depth)}`;

describe('jsonTooDeep', () => {
  it("allows the json gem's 100 levels and refuses the 101st, arrays and objects alike", () => {
    expect(jsonTooDeep(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonTooDeep(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonTooDeep(`${'{"a":'.repeat(101)}1${'}'.repeat(101)}`)).toBe(true);
    expect(jsonTooDeep(`${'[{"a":'.repeat(50)}1${'}]'.repeat(50)}`)).toBe(false);
  });

  it('counts depth, not brackets: siblings do not add up', () => {
    expect(jsonTooDeep(`[${Array(500).fill('[1]').join(',')}]`)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonTooDeep(JSON.stringify({ a: '['.repeat(500) }))).toBe(false);
    expect(jsonTooDeep(JSON.stringify({ a: `\\"${'{'.repeat(500)}` }))).toBe(false);
    expect(jsonTooDeep(`["\\\\", ${nested(101)}]`)).toBe(true);
  });
});

describe('nonFiniteNumberAt', () => {
  it('finds a non-finite number in nested input and names its path', () => {
    expect(nonFiniteNumberAt({ page: Number.POSITIVE_INFINITY })).toBe('page');
    expect(nonFiniteNumberAt({ profile: { account_id: Number.NEGATIVE_INFINITY } })).toBe('profile/account_id');
    expect(nonFiniteNumberAt({ user_ids: [1, Number.NaN] })).toBe('user_ids/1');
    expect(nonFiniteNumberAt({ page: 2, q: 'Infinity', list: [1e308] })).toBeUndefined();
  });

  it('walks plain data only (uploads and other objects are not entered)', () => {
    class Upload {
      size = Number.POSITIVE_INFINITY;
    }
    expect(nonFiniteNumberAt({ file: new Upload() })).toBeUndefined();
    const cyclic: Record<string, unknown> = { a: new Upload() };
    cyclic.self = new Upload();
    expect(nonFiniteNumberAt(cyclic)).toBeUndefined();
  });
});
