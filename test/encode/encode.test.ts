// The encoder: deltas in metres decode back to the same positions, normalization is measured on the
// windows as the model sees them, windows never mix tracks or splits, and a window's inputs end at
// its end index. That training fits on the training split only is trainOnTracks.test.ts's job.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareTracks } from '../../src/data/prepareTracks.ts';
import { readTracks } from '../../src/data/readTracks.ts';
import type { Track } from '../../src/data/track.ts';
import { fitEncoder, type EncoderChoice } from '../../src/encode/fitEncoder.ts';
import { splitByTrack } from '../../src/encode/splitByTrack.ts';
import { decodeDeltas, trackDeltas } from '../../src/encode/trackDeltas.ts';
import { windowEnds } from '../../src/encode/windowEnds.ts';
import { buildWindows } from '../../src/encode/windowSet.ts';
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

const PLAIN: EncoderChoice = { stepSeconds: 15, window: 4, features: ['dx', 'dy'], align: false };

describe('fitEncoder()', () => {
  it('normalized training inputs have mean 0 and std 1 as the model sees them (aligned); a constant feature (dt) gets std 1, not NaN', () => {
    const choice: EncoderChoice = {
      stepSeconds: 15,
      window: 5,
      features: ['dx', 'dy', 'speed', 'sinHeading', 'cosHeading', 'dt'],
      align: true,
    };
    const enc = fitEncoder(tracks, choice);
    expect(enc.inputStd[5]).toBe(1);
    const { x } = buildWindows(tracks, enc);
    const n = x.length / 6;
    for (let f = 0; f < 5; f++) {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        s += x[i * 6 + f];
        s2 += x[i * 6 + f] ** 2;
      }
      expectClose(s / n, 0, 1e-4, `mean of feature ${enc.features[f]}`);
      expectClose(Math.sqrt(s2 / n), 1, 1e-4, `std of feature ${enc.features[f]}`);
    }
    expect(Math.max(...Array.from(x.filter((_, i) => i % 6 === 5)).map(Math.abs))).toBe(0);
  });

  it('targetStd is the RMS delta per axis over every delta of the tracks', () => {
    const all = tracks.flatMap((t) => Array.from(trackDeltas(t).deltas));
    const rms = Math.sqrt(all.reduce((s, v) => s + v * v, 0) / all.length);
    expectClose(fitEncoder(tracks, PLAIN).targetStd, rms, 1e-9, 'targetStd');
  });
});

describe('buildWindows() and windowEnds()', () => {
  it("W observed deltas ending at the window's end index → the next delta (normalized), from one track", () => {
    const enc = fitEncoder(tracks, PLAIN);
    const w = buildWindows(tracks, enc);
    const { track, end } = windowEnds(tracks, 4, 1);
    const expected = tracks.reduce((s, t) => s + Math.max(0, t.t.length - 1 - 4), 0);
    expect([w.n, end.length, w.x.length, w.y.length]).toEqual([
      expected,
      expected,
      expected * 8,
      expected * 2,
    ]);
    for (const k of [0, Math.floor(w.n / 2), w.n - 1]) {
      const { deltas } = trackDeltas(tracks[track[k]]);
      const e = end[k];
      expectClose(w.targetM.subarray(2 * k, 2 * k + 2), deltas.subarray(2 * e, 2 * e + 2), 1e-9, 'targetM');
      expectClose(
        w.y.subarray(2 * k, 2 * k + 2),
        [deltas[2 * e] / enc.targetStd, deltas[2 * e + 1] / enc.targetStd],
        1e-5,
        'y',
      );
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

  it('a prediction at time t uses only points at or before t: changing later points changes y, never x', () => {
    const enc = fitEncoder(tracks, { ...PLAIN, window: 5 });
    const tr = tracks.find((t) => t.t.length > 30)!;
    const before = buildWindows([tr], enc);
    const k = 10;
    const e = windowEnds([tr], 5, 1).end[k];
    const altered: Track = { ...tr, lat: tr.lat.slice(), lon: tr.lon.slice() };
    for (let i = e + 1; i < tr.t.length; i++) altered.lat[i] += 0.01;
    const after = buildWindows([altered], enc);
    const X = 5 * 2;
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
    expect(fitEncoder(again.train, PLAIN)).toEqual(fitEncoder(train, PLAIN));
    const w = windowEnds(again.train, 4, 1);
    expect(w.end.length).toBeGreaterThan(100);
    for (let k = 0; k < w.end.length; k++) {
      expect(again.train[w.track[k]].lat[w.end[k]]).toBeLessThan(45);
      expect(moved.has(again.train[w.track[k]].index)).toBe(false);
    }
    const wt = windowEnds(again.test, 4, 1);
    expect(Math.min(...Array.from(wt.end, (e, k) => again.test[wt.track[k]].lat[e]))).toBeGreaterThan(55);
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
