import { describe, expect, it } from 'vitest';
import { trigramWindows } from './substring.js';

describe('trigramWindows', () => {
  it('takes each three-letter-or-digit window once, ignoring case, and skips windows with separators', () => {
    expect(trigramWindows('person12@')).toEqual(['per', 'ers', 'rso', 'son', 'on1', 'n12']);
    expect(trigramWindows('AbcABC')).toEqual(['Abc', 'bcA', 'cAB']);
    expect(trigramWindows('a.b-c')).toEqual([]);
    expect(trigramWindows('ab')).toEqual([]);
    expect(trigramWindows('Öga ürt')).toEqual(['Öga', 'ürt']);
  });

  it('keeps at most 16, spread over the whole text', () => {
    const windows = trigramWindows('abcdefghijklmnopqrstuvwxyz0123456789');
    expect(windows).toHaveLength(16);
    expect(windows[0]).toBe('abc');
    expect(windows.at(-1)).toBe('789');
  });
});
