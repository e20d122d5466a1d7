import { describe, expect, it } from 'vitest';
import { spreadsheetCsv, spreadsheetSafe } from './spreadsheet.js';

describe('spreadsheet-safe CSV', () => {
  it('neutralises cells a spreadsheet would run as formulas, and only those', () => {
    for (const formula of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\t=1', '\r=1'])
      expect(spreadsheetSafe(formula)).toBe(`'${formula}`);
    for (const plain of ['plain', '1=1', 'a-b', 'mail@example.com', '42']) expect(spreadsheetSafe(plain)).toBe(plain);
    expect(spreadsheetSafe(null)).toBe('');
    expect(spreadsheetSafe(-5)).toBe('-5');
    expect(spreadsheetSafe('-5')).toBe("'-5");
  });

  it('quotes as RFC 4180 and escapes the header too', () => {
    expect(spreadsheetCsv(['name', '=x'], [['a,b', 'say "hi"']])).toBe(`name,'=x\n"a,b","say ""hi"""\n`);
  });
});
