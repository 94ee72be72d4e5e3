// Golden files for every reader: each real (or layout-converted real) file in test/fixtures/in is read
// and prepared with the defaults, and the result is compared with test/fixtures/out/<name>.json.
// REGEN=1 rewrites the outputs; review the diff. Cross-format tests check that a layout change of the
// same recording reads back to the same points.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prepareTracks } from '../../src/data/prepareTracks.ts';
import { readTracks } from '../../src/data/readTracks.ts';
import type { ReadOptions, ReadResult } from '../../src/data/track.ts';
import { expectClose } from '../helpers.ts';

const root = new URL('../fixtures/', import.meta.url).pathname;

const CASES: { input: string; options?: ReadOptions }[] = [
  { input: 'porto/porto_train_raw_head.csv' },
  { input: 'porto/porto_train_points_head.csv' },
  { input: 'togeojson/run.gpx' },
  { input: 'gpxpy/around-visnjan-with-car.gpx' },
  { input: 'gpxpy/cerknicko-jezero.gpx' },
  { input: 'gpxpy/korita-zbevnica.gpx' },
  { input: 'derived/porto_semicolon_crlf_bom.csv' },
  { input: 'derived/porto_lisbon_date_time.tsv', options: { tz: 'Europe/Lisbon' } },
  { input: 'derived/porto_unix_ms.csv' },
  { input: 'derived/mangled_rows.csv' },
  { input: 'derived/run.geojson' },
  { input: 'derived/around-visnjan-points.geojson' },
  { input: 'derived/around-visnjan-multiline.geojson' },
  { input: 'derived/around-visnjan-with-car.plt' },
];

async function read(input: string, options?: ReadOptions): Promise<ReadResult> {
  return readTracks(input, createReadStream(root + 'in/' + input, { highWaterMark: 4096 }), options);
}

const iso = (s: number) => new Date(s * 1000).toISOString();
const round = (x: number) => Math.round(x * 1e9) / 1e9;

function golden(r: ReadResult) {
  const prepared = prepareTracks(r.tracks);
  return {
    file: r.file,
    format: r.format,
    rows: r.rows,
    accepted: r.accepted,
    merged: r.merged,
    rejectedCount: r.rejectedCount,
    rejected: r.rejected,
    tracks: r.tracks.map((t) => {
      const n = t.t.length;
      let latSum = 0;
      let lonSum = 0;
      let tSum = 0;
      for (let i = 0; i < n; i++) {
        latSum += t.lat[i];
        lonSum += t.lon[i];
        tSum += t.t[i] - t.t[0];
      }
      return {
        id: t.id,
        points: n,
        start: iso(t.t[0]),
        end: iso(t.t[n - 1]),
        first: { lat: t.lat[0], lon: t.lon[0] },
        last: { lat: t.lat[n - 1], lon: t.lon[n - 1] },
        sums: { lat: round(latSum), lon: round(lonSum), secondsFromStart: round(tSum) },
      };
    }),
    prepared: { ...prepared.report, tracks: prepared.tracks.map((t) => ({ id: t.id, points: t.t.length })) },
  };
}

describe('golden files: every format read from real recordings', () => {
  for (const c of CASES) {
    it(`${c.input} reads as in out/${c.input.replace(/\//g, '__')}.json`, async () => {
      const r = await read(c.input, c.options);
      expect(r.accepted + r.merged + r.rejectedCount).toBe(r.rows);
      const actual = JSON.parse(JSON.stringify(golden(r)));
      const out = `${root}out/${c.input.replace(/\//g, '__')}.json`;
      if (process.env.REGEN === '1' || !existsSync(out)) {
        if (process.env.REGEN !== '1') throw new Error(`${out} is missing; run with REGEN=1 and review it`);
        writeFileSync(out, JSON.stringify(actual, null, 2) + '\n');
      }
      expect(actual).toEqual(JSON.parse(readFileSync(out, 'utf8')));
    });
  }
});

function samePoints(a: ReadResult, b: ReadResult, label: string) {
  expect(a.tracks.map((t) => t.t.length), `${label}: points per track`).toEqual(b.tracks.map((t) => t.t.length));
  a.tracks.forEach((ta, i) => {
    const tb = b.tracks[i];
    expectClose(ta.lat, tb.lat, 1e-12, `${label} lat`);
    expectClose(ta.lon, tb.lon, 1e-12, `${label} lon`);
    expectClose(ta.t, tb.t, 1e-6, `${label} t`);
  });
}

describe('the same recording in another layout reads back to the same points', () => {
  it('semicolons + decimal commas + BOM + CRLF, tabs with Lisbon wall-clock date/time columns, Unix ms', async () => {
    const ref = await read('porto/porto_train_points_head.csv');
    const first200 = {
      ...ref,
      tracks: ref.tracks
        .map((t, i, all) => {
          const before = all.slice(0, i).reduce((s, x) => s + x.t.length, 0);
          const keep = Math.max(0, Math.min(t.t.length, 200 - before));
          return { ...t, lat: t.lat.slice(0, keep), lon: t.lon.slice(0, keep), t: t.t.slice(0, keep) };
        })
        .filter((t) => t.t.length > 0),
    };
    samePoints(await read('derived/porto_semicolon_crlf_bom.csv'), first200, 'semicolon');
    samePoints(await read('derived/porto_lisbon_date_time.tsv', { tz: 'Europe/Lisbon' }), first200, 'lisbon');
    samePoints(await read('derived/porto_unix_ms.csv'), first200, 'unix ms');
  });

  it('Lisbon wall-clock times read without --tz are one hour late (UTC assumed)', async () => {
    const utcRead = await read('derived/porto_lisbon_date_time.tsv');
    const lisbon = await read('derived/porto_lisbon_date_time.tsv', { tz: 'Europe/Lisbon' });
    expect(utcRead.tracks[0].t[0] - lisbon.tracks[0].t[0]).toBe(3600);
  });

  it('the Porto POLYLINE file and the one-row-per-point file hold the same points', async () => {
    samePoints(await read('porto/porto_train_raw_head.csv'), await read('porto/porto_train_points_head.csv'), 'porto');
  });

  it('GPX, GeoJSON (LineString + coordTimes, Points, MultiLineString + coordinateProperties) and PLT agree', async () => {
    samePoints(await read('derived/run.geojson'), await read('togeojson/run.gpx'), 'run');
    const car = await read('gpxpy/around-visnjan-with-car.gpx');
    samePoints(await read('derived/around-visnjan-points.geojson'), car, 'points');
    samePoints(await read('derived/around-visnjan-with-car.plt'), car, 'plt');
    const multi = await read('derived/around-visnjan-multiline.geojson');
    expect(multi.tracks.map((t) => t.id)).toEqual(['car/1', 'car/2']);
    expect(Array.from(multi.tracks[0].t).concat(Array.from(multi.tracks[1].t))).toEqual(Array.from(car.tracks[0].t));
  });
});
