// Specs for the downloadable list of rejected rows (src/ui/lib/rejectedCsv.ts).
import { describe, expect, it } from 'vitest';
import { rejectedCsv } from '../../src/ui/lib/rejectedCsv.ts';

describe('rejectedCsv()', () => {
  it('writes a header and one line per rejected row', () => {
    expect(rejectedCsv([{ file: 'a.csv', line: 4, reason: 'latitude is not a number' }])).toBe(
      'file,line,reason\na.csv,4,latitude is not a number\n',
    );
  });

  it('quotes commas, quotes and newlines (RFC 4180)', () => {
    expect(rejectedCsv([{ file: 'x,y.csv', line: 2, reason: 'value "95" out of range\nsee docs' }])).toBe(
      'file,line,reason\n"x,y.csv",2,"value ""95"" out of range\nsee docs"\n',
    );
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(rejectedCsv([{ file: '=HYPERLINK("x")', line: 1, reason: '-1' }])).toBe(
      `file,line,reason\n"'=HYPERLINK(""x"")",1,'-1\n`,
    );
  });
});
