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
