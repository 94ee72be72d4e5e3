// The encoder: deltas in metres decode back to the same positions, normalization comes from the
// training split only, windows never mix tracks or splits, and a window's inputs end at endIndex.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareTracks } from '../../src/data/prepareTracks.ts';
import { readTracks } from '../../src/data/readTracks.ts';
import type { Track } from '../../src/data/track.ts';
import { featuresFromDeltas } from '../../src/encode/featuresFromDeltas.ts';
import { fitEncoder } from '../../src/encode/fitEncoder.ts';
import { makeWindows } from '../../src/encode/makeWindows.ts';
import { splitByTrack } from '../../src/encode/splitByTrack.ts';
import { decodeDeltas, trackDeltas } from '../../src/encode/trackDeltas.ts';
import { distanceMeters } from '../../src/geo/distanceMeters.ts';
import { expectClose } from '../helpers.ts';

let tracks: Track[];
beforeAll(async () => {
  const text = readFileSync(
    new URL('../fixtures/in/porto/porto_train_points_head.csv', import.meta.url),
    'utf8',
  );
  tracks = prepareTracks((await readTracks('points.csv', text)).tracks).tracks;
});

describe('trackDeltas() and decodeDeltas()', () => {
  it('deltas are metres east/north whose length is the great-circle step, and decode back within a millimetre', () => {
    for (const tr of tracks) {
      const { origin, deltas } = trackDeltas(tr);
      const n = tr.t.length - 1;
      expect(origin).toEqual({ lat: tr.lat[0], lon: tr.lon[0] });
      for (let i = 0; i < n; i++) {
        const step = distanceMeters(
          { lat: tr.lat[i], lon: tr.lon[i] },
          { lat: tr.lat[i + 1], lon: tr.lon[i + 1] },
        );
        expectClose(Math.hypot(deltas[2 * i], deltas[2 * i + 1]), step, 1e-6, `${tr.id} step ${i}`);
      }
      const back = decodeDeltas(tr.lat[0], tr.lon[0], deltas, n);
      for (let i = 0; i < n; i++)
        expect(
          distanceMeters({ lat: back.lat[i], lon: back.lon[i] }, { lat: tr.lat[i + 1], lon: tr.lon[i + 1] }),
        ).toBeLessThan(1e-3);
    }
  });
});

describe('fitEncoder()', () => {
  it('fits on the training tracks only: changing the test tracks changes nothing', () => {
    const { train, test } = splitByTrack(tracks, { val: 0.1, test: 0.2 }, 7);
    const enc = fitEncoder(train, { stepSeconds: 15, window: 5, features: ['dx', 'dy', 'speed'] });
    const doubled = test.map((t) => ({ ...t, lat: t.lat.map((v, i) => v + i * 0.01) }));
    expect(fitEncoder(train, { stepSeconds: 15, window: 5, features: ['dx', 'dy', 'speed'] })).toEqual(enc);
    expect(
      fitEncoder([...train, ...doubled], { stepSeconds: 15, window: 5, features: ['dx', 'dy', 'speed'] }),
    ).not.toEqual(enc);
  });

  it('normalized training inputs have mean 0 and std 1; a constant feature (dt) gets std 1, not NaN', () => {
    const enc = fitEncoder(tracks, {
      stepSeconds: 15,
      window: 5,
      features: ['dx', 'dy', 'speed', 'sinHeading', 'cosHeading', 'dt'],
    });
    expect(enc.inputStd[5]).toBe(1);
    const all = tracks.flatMap((t) => Array.from(trackDeltas(t).deltas));
    const n = all.length / 2;
    const out = new Float32Array(n * 6);
    featuresFromDeltas(out, all, n, enc);
    for (let f = 0; f < 5; f++) {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        s += out[i * 6 + f];
        s2 += out[i * 6 + f] ** 2;
      }
      expectClose(s / n, 0, 1e-4, `mean of feature ${enc.features[f]}`);
      expectClose(Math.sqrt(s2 / n), 1, 1e-4, `std of feature ${enc.features[f]}`);
    }
    expect(Math.max(...Array.from(out.filter((_, i) => i % 6 === 5)).map(Math.abs))).toBe(0);
  });
});

describe('makeWindows()', () => {
  it('W observed deltas → the next delta (normalized) and the next H deltas in metres, from one track', () => {
    const enc = fitEncoder(tracks, { stepSeconds: 15, window: 4 });
    const w = makeWindows(tracks, enc, 3);
    const expected = tracks.reduce((s, t) => s + Math.max(0, t.t.length - 1 - 4 - 3 + 1), 0);
    expect(w.n).toBe(expected);
    expect([w.W, w.X, w.H, w.x.length, w.y.length, w.future.length]).toEqual([
      4,
      2,
      3,
      expected * 8,
      expected * 2,
      expected * 6,
    ]);
    for (const k of [0, Math.floor(w.n / 2), w.n - 1]) {
      const tr = tracks[w.trackIndex[k]];
      const e = w.endIndex[k];
      const { deltas } = trackDeltas(tr);
      expect([w.lastLat[k], w.lastLon[k]]).toEqual([tr.lat[e], tr.lon[e]]);
      expectClose(
        w.y.subarray(2 * k, 2 * k + 2),
        [deltas[2 * e] / enc.targetStd, deltas[2 * e + 1] / enc.targetStd],
        1e-5,
        'y',
      );
      expectClose(w.future.subarray(6 * k, 6 * k + 6), deltas.subarray(2 * e, 2 * e + 6), 1e-9, 'future');
      const lastInput = [
        (deltas[2 * (e - 1)] - enc.inputMean[0]) / enc.inputStd[0],
        (deltas[2 * (e - 1) + 1] - enc.inputMean[1]) / enc.inputStd[1],
      ];
      expectClose(
        w.x.subarray(k * 8 + 6, k * 8 + 8),
        lastInput,
        1e-5,
        'last observed delta ends at endIndex',
      );
    }
  });

  it('a prediction at time t uses only points at or before t: changing later points changes y and future, never x', () => {
    const enc = fitEncoder(tracks, { stepSeconds: 15, window: 5 });
    const tr = tracks.find((t) => t.t.length > 30)!;
    const before = makeWindows([tr], enc, 2);
    const k = 10;
    const e = before.endIndex[k];
    const altered: Track = { ...tr, lat: tr.lat.slice(), lon: tr.lon.slice() };
    for (let i = e + 1; i < tr.t.length; i++) altered.lat[i] += 0.01;
    const after = makeWindows([altered], enc, 2);
    const X = before.W * before.X;
    for (let j = 0; j <= k; j++)
      expect(after.x.subarray(j * X, (j + 1) * X)).toEqual(before.x.subarray(j * X, (j + 1) * X));
    expect(after.y.subarray(2 * k, 2 * k + 2)).not.toEqual(before.y.subarray(2 * k, 2 * k + 2));
    expect(after.x.subarray((k + 1) * X, (k + 2) * X)).not.toEqual(
      before.x.subarray((k + 1) * X, (k + 2) * X),
    );
  });
});

describe('splitByTrack()', () => {
  it('is seeded, complete and disjoint, and keeps the pieces of one recording together', () => {
    const a = splitByTrack(tracks, { val: 0.15, test: 0.2 }, 42);
    expect(splitByTrack(tracks, { val: 0.15, test: 0.2 }, 42)).toEqual(a);
    expect(splitByTrack(tracks, { val: 0.15, test: 0.2 }, 43)).not.toEqual(a);
    const ids = (xs: Track[]) => new Set(xs.map((t) => t.sourceId));
    expect(a.train.length + a.val.length + a.test.length).toBe(tracks.length);
    for (const id of ids(a.test)) expect(ids(a.train).has(id) || ids(a.val).has(id)).toBe(false);
    for (const id of ids(a.val)) expect(ids(a.train).has(id)).toBe(false);
    expect(
      tracks.some((t) => t.id !== t.sourceId),
      'the fixture has split recordings',
    ).toBe(true);
  });

  it('no window of a test track reaches training: test tracks moved 20° north never show up in training windows', () => {
    const marked = tracks.map((t, i) => ({ ...t, index: i }));
    const { train, test } = splitByTrack(marked, { val: 0, test: 0.25 }, 1);
    const moved = new Set(test.map((t) => t.index));
    // Mark the test tracks (the split is by sourceId, so the marking cannot move a track across).
    const all = marked.map((t) => (moved.has(t.index) ? { ...t, lat: t.lat.map((v) => v + 20) } : t));
    const again = splitByTrack(all, { val: 0, test: 0.25 }, 1);
    expect(again.test.map((t) => t.index)).toEqual(test.map((t) => t.index));
    const enc = fitEncoder(again.train, { stepSeconds: 15, window: 4 });
    expect(enc).toEqual(fitEncoder(train, { stepSeconds: 15, window: 4 }));
    const w = makeWindows(again.train, enc, 1);
    expect(w.n).toBeGreaterThan(100);
    for (let k = 0; k < w.n; k++) {
      expect(w.lastLat[k]).toBeLessThan(45);
      expect(moved.has(again.train[w.trackIndex[k]].index)).toBe(false);
    }
    const wt = makeWindows(again.test, enc, 1);
    expect(Math.min(...Array.from(wt.lastLat))).toBeGreaterThan(55);
  });
});

describe('deltasInto()', () => {
  it('equals localProjection.toXY at the previous point for short, long and near-antipodal steps', async () => {
    const { deltasInto } = await import('../../src/encode/trackDeltas.ts');
    const { localProjection } = await import('../../src/geo/localProjection.ts');
    const lat = [41.15, 41.1501, 41.3, 45, -44.9, 60, 60.0000001];
    const lon = [-8.61, -8.6101, -8.4, 0, 179.9, -120, -120.0000002];
    const out = new Float64Array(2 * (lat.length - 1));
    deltasInto(out, lat, lon, lat.length);
    for (let i = 0; i + 1 < lat.length; i++) {
      const xy = localProjection({ lat: lat[i], lon: lon[i] }).toXY(lat[i + 1], lon[i + 1]);
      expectClose(
        [out[2 * i], out[2 * i + 1]],
        [xy.xM, xy.yM],
        1e-6 * Math.max(1, Math.hypot(xy.xM, xy.yM) / 1000),
        `step ${i}`,
      );
    }
  });
});
