// forEachRecord() spec: whatever the chunking, every record comes out once, in order, with its
// physical line, exactly as papaparse parses the whole text; quote-free lines may be taken by the
// onLine fast path instead, and chunks with quotes still go through papaparse.
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { forEachRecord, type DelimitedDialect } from '../../src/data/delimitedRows.ts';

async function* pieces(text: string, sizes: number[]): AsyncGenerator<string> {
  for (let i = 0, k = 0; i < text.length; k++) {
    const n = sizes[k % sizes.length];
    yield text.slice(i, i + n);
    i += n;
  }
}

/** Records of `text` as [line, fields joined by '|'], via forEachRecord on the given chunks. */
async function records(text: string, dialect: DelimitedDialect, sizes: number[], take: boolean): Promise<string[]> {
  const got: string[] = [];
  await forEachRecord(
    pieces(text, sizes),
    dialect,
    (fields, line) => got.push(`${line}:${fields.join('|')}`),
    (line) => got.push(`${line}:overlong`),
    take
      ? (t, start, end, line) => {
          if (!t.startsWith('take', start)) return false;
          got.push(`${line}:${t.slice(start, end).split(dialect.delimiter).join('|')}`);
          return true;
        }
      : undefined,
  );
  return got;
}

/** The same from papaparse on the whole text; without multi-line quoted fields record k is on line k + 1. */
function reference(text: string, dialect: DelimitedDialect): string[] {
  const data = Papa.parse<string[]>(text, { delimiter: dialect.delimiter, newline: dialect.newline }).data;
  return data.flatMap((f, k) => (f.length === 1 && f[0].trim() === '' ? [] : [`${k + 1}:${f.join('|')}`]));
}

describe('forEachRecord()', () => {
  it('gives every record once with its line, as papaparse does, however the text is chunked', async () => {
    const field = fc.constantFrom('a', 'take', '41.15', '', ' ', '2013-07-01T10:00:00Z', '"q"', '"x,y"', 'é', '\r');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<DelimitedDialect>(
          { delimiter: ',', newline: '\n' },
          { delimiter: ';', newline: '\r\n' },
          { delimiter: '\t', newline: '\r' },
        ),
        fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        async (dialect, rows, sizes, take, trailing) => {
          // A bare '\r' inside a field would be a line break of a '\r' file: keep those out there.
          const lines = rows.map((r) => r.filter((f) => dialect.newline !== '\r' || f !== '\r').join(dialect.delimiter));
          const text = lines.join(dialect.newline) + (trailing ? dialect.newline : '');
          expect(await records(text, dialect, sizes, take)).toEqual(reference(text, dialect));
        },
      ),
      { numRuns: 500 },
    );
  });
});
