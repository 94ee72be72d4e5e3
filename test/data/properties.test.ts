// Property tests: whatever the bytes, readTracks either returns a result whose counts add up
// (accepted + merged + rejected = rows) or throws ReadError, and chunk boundaries change nothing.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ReadError } from '../../src/data/readError.ts';
import { readTracks } from '../../src/data/readTracks.ts';
import { FORMAT_NAMES, type FormatName, type ReadResult } from '../../src/data/track.ts';

const fixture = (p: string, lines: number) =>
  readFileSync(new URL(`../fixtures/in/${p}`, import.meta.url), 'utf8').split('\n').slice(0, lines).join('\n');

const SAMPLES = {
  'points.csv': fixture('porto/porto_train_points_head.csv', 60),
  'raw.csv': fixture('porto/porto_train_raw_head.csv', 4),
  'run.gpx': fixture('togeojson/run.gpx', 80),
  'car.plt': fixture('derived/around-visnjan-with-car.plt', 30),
  'run.geojson': fixture('derived/run.geojson', 60),
};

async function* chunks(text: string, sizes: number[]): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let i = 0;
  for (let k = 0; i < bytes.length; k++) {
    const n = sizes[k % sizes.length];
    yield bytes.subarray(i, i + n);
    i += n;
  }
}

/** Resolves to the result or the ReadError; fails the property on any other throw. */
async function outcome(p: Promise<ReadResult>): Promise<ReadResult | ReadError> {
  try {
    const r = await p;
    expect(r.accepted + r.merged + r.rejectedCount).toBe(r.rows);
    expect(r.tracks.reduce((s, t) => s + t.t.length, 0)).toBe(r.accepted);
    for (const row of r.rejected) expect(row.line).toBeGreaterThanOrEqual(1);
    return r;
  } catch (e) {
    if (!(e instanceof ReadError)) throw e;
    return e;
  }
}

/** A mutation of text: delete, insert a troublesome character, or cut it short. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), s: fc.constantFrom(',', ';', '"', '\n', '\r', '<', '>', '{', '[', 'x', '9', '-', '.', 'NaN', '\u0000', 'é', '\t') }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
);

function mangle(text: string, ms: { kind: 'delete' | 'insert' | 'cut'; at: number; len?: number; s?: string }[]): string {
  let t = text;
  for (const m of ms) {
    const at = t.length ? m.at % t.length : 0;
    if (m.kind === 'delete') t = t.slice(0, at) + t.slice(at + (m.len ?? 1));
    else if (m.kind === 'insert') t = t.slice(0, at) + m.s + t.slice(at);
    else t = t.slice(0, at);
  }
  return t;
}

describe('readTracks() on random and mangled input', () => {
  it('random text, in any format, resolves with consistent counts or throws ReadError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), fc.option(fc.constantFrom(...FORMAT_NAMES)), async (text, format) => {
        await outcome(readTracks('random', text, { format: (format ?? undefined) as FormatName | undefined }));
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes resolve with consistent counts or throw ReadError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        await outcome(readTracks('bytes', (async function* () { yield bytes; })()));
      }),
      { numRuns: 200 },
    );
  });

  it('mangled real files: counts add up, and cutting the bytes into other chunks gives the identical result', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(SAMPLES) as (keyof typeof SAMPLES)[])),
        fc.array(mutation, { maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 }),
        async (name, ms, sizes) => {
          const text = mangle(SAMPLES[name], ms);
          const whole = await outcome(readTracks(name, text));
          const pieces = await outcome(readTracks(name, chunks(text, sizes)));
          if (whole instanceof ReadError) expect(pieces).toBeInstanceOf(ReadError);
          else expect(pieces).toEqual(whole);
        },
      ),
      { numRuns: 250 },
    );
  });
});

describe('delimited text: the quote-free fast path reads exactly as papaparse does', () => {
  const FIELDS = {
    coordinate: ['41.15', '-8.6', '-0', '0', '90', '-180.0', '91', '180.5', '1e1', ' 41.1', '41.1 ', '41,15', 'NaN', 'Infinity', '', 'abc', '5.', '.5', '-', '1.2.3', '12345678901234567'],
    time: ['2013-07-01T10:00:00Z', '2013-07-01T10:00:00', '2013-07-01 10:00:05', '2013-07-01T10:00:00.5Z', '20x3-07-01T10:00:00Z', '2013-02-30T00:00:00', '2013-07-01T24:00:00', ' 2013-07-01T10:00:00Z', '1372672800', '1372672800000', '+1372672800', '-5', '1372672800.5', '1372672800.', '.5', '1.2.3', '', 'T', 'soon'],
    id: ['trip1', 'trip1', 'trip2', 'trip10', ' trip1', 'trip1 ', '', '7'],
  };
  const HEADERS = [
    { header: ['track_id', 'timestamp', 'lat', 'lon'], kinds: ['id', 'time', 'coordinate', 'coordinate'] },
    { header: ['lat', 'lon', 'time'], kinds: ['coordinate', 'coordinate', 'time'] },
    { header: ['latitude', 'longitude', 'tracked_at', 'user_id', 'note'], kinds: ['coordinate', 'coordinate', 'time', 'id', 'id'] },
  ] as const;
  const layout = fc.record({
    h: fc.constantFrom(0, 1, 2),
    delimiter: fc.constantFrom(',', ';', '\t'),
    newline: fc.constantFrom('\n', '\r\n'),
    rows: fc.array(
      fc.record({ picks: fc.array(fc.nat(), { minLength: 5, maxLength: 5 }), fieldCount: fc.integer({ min: -2, max: 1 }), blank: fc.boolean() }),
      { maxLength: 40 },
    ),
    sizes: fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 4 }),
  });

  it('same tracks, counts, lines and reasons as the same text read through papaparse (a quoted header)', async () => {
    await fc.assert(
      fc.asyncProperty(layout, async ({ h, delimiter, newline, rows, sizes }) => {
        const { header, kinds } = HEADERS[h];
        const lines = rows.map(({ picks, fieldCount, blank }) => {
          if (blank) return '';
          const fields = kinds.map((k, i) => FIELDS[k][picks[i] % FIELDS[k].length]);
          return fields.slice(0, Math.max(1, fields.length + Math.min(0, fieldCount))).concat(fieldCount > 0 ? ['x'] : []).join(delimiter);
        });
        const body = lines.join(newline) + newline;
        const plain = header.join(delimiter) + newline + body;
        // A quote anywhere in a chunk sends it through papaparse's parser; `"lat"` reads as lat.
        const quoted = `"${header[0]}"` + delimiter + header.slice(1).join(delimiter) + newline + body;
        const fast = await outcome(readTracks('t.csv', chunks(plain, sizes)));
        const papa = await outcome(readTracks('t.csv', quoted));
        expect(fast).toEqual(papa);
        if (fast instanceof ReadError) expect(fast.message).toBe((papa as ReadError).message);
      }),
      { numRuns: 400 },
    );
  });
});

describe('delimited text larger than one chunk', () => {
  it('reads 300 KB of mixed rows in 1,000-byte chunks exactly as papaparse reads the whole text', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 12_000; i++) {
      const t = `2013-07-01T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`;
      const kind = i % 97 === 0 ? 'bare' : i % 89 === 0 ? 'short' : i % 83 === 0 ? 'bad' : 'good';
      if (kind === 'bare') for (let k = 0; k < 40; k++) lines.push(`no delimiter here ${k}`);
      else if (kind === 'short') lines.push(`trip${i >> 9},${t}`);
      else if (kind === 'bad') lines.push(`trip${i >> 9},${t},4x.1,-8.6`);
      else lines.push(`trip${i >> 9},${t},${(41 + i * 1e-5).toFixed(6)},-8.6`);
    }
    const body = lines.join('\n') + '\n';
    const fast = await outcome(readTracks('big.csv', chunks('track_id,timestamp,lat,lon\n' + body, [1000])));
    const papa = await outcome(readTracks('big.csv', '"track_id",timestamp,lat,lon\n' + body));
    expect(fast).toEqual(papa);
    expect((fast as ReadResult).rejectedCount).toBeGreaterThan(5000);
  });
});

describe('parseCoordinate() fast decimal path', () => {
  it('reads any decimal text exactly as Number() does', async () => {
    const { parseCoordinate } = await import('../../src/data/parseCoordinate.ts');
    fc.assert(
      fc.property(fc.double({ min: -90, max: 90, noNaN: true }), fc.integer({ min: 0, max: 14 }), (v, digits) => {
        const text = v.toFixed(digits);
        expect(parseCoordinate(text, 'latitude')).toBe(Number(text));
      }),
      { numRuns: 5000 },
    );
    expect(parseCoordinate('-0.5', 'latitude')).toBe(-0.5);
    expect(parseCoordinate('12.', 'latitude')).toBe(12);
    expect(parseCoordinate('.5', 'latitude')).toBe(0.5);
    expect(parseCoordinate('1e1', 'latitude')).toBe(10);
    expect(parseCoordinate('1.2.3', 'latitude')).toBe("latitude '1.2.3' is not a number");
    expect(parseCoordinate('-', 'latitude')).toBe("latitude '-' is not a number");
  });
});
