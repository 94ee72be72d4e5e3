// trainOnTracks' data side: window augmentation (rotation, mirror, speed) and the split by start time.
// Training itself is covered end to end by test/cli/commands.test.ts; the loop by test/train/fit.test.ts.
import { describe, expect, it } from 'vitest';
import type { Track } from '../../src/data/track.ts';
import { mulberry32 } from '../../src/encode/splitByTrack.ts';
import { augmentWindows } from '../../src/train/augmentWindows.ts';
import { splitByTime } from '../../src/train/splitByTime.ts';
import { trainOnTracks } from '../../src/train/trainOnTracks.ts';
import { expectClose } from '../helpers.ts';

const W = 3;
// two windows of W deltas (metres) and their targets
const past = Float64Array.from([10, 0, 10, 2, 9, 4, /* window 2 */ -3, 5, -2, 6, 0, 8]);
const target = Float64Array.from([8, 6, 1, 9]);

function run(aug: Parameters<typeof augmentWindows>[4], seed = 1) {
  const p = new Float64Array(past.length);
  const t = new Float64Array(target.length);
  augmentWindows(past, target, 2, W, aug, mulberry32(seed), p, t);
  return { p, t };
}

/** Deltas of window i (inputs then target) as [dx, dy] pairs. */
function pairs(p: Float64Array, t: Float64Array, i: number): [number, number][] {
  const out: [number, number][] = [];
  for (let j = 0; j < W; j++) out.push([p[(i * W + j) * 2], p[(i * W + j) * 2 + 1]]);
  out.push([t[2 * i], t[2 * i + 1]]);
  return out;
}

describe('augmentWindows()', () => {
  it('with nothing on, copies the windows unchanged', () => {
    const { p, t } = run({ rotate: false, mirror: false, speedMin: 1, speedMax: 1 });
    expect(Array.from(p)).toEqual(Array.from(past));
    expect(Array.from(t)).toEqual(Array.from(target));
  });

  it('rotation turns every delta of a window, target included, by one angle and keeps lengths', () => {
    const { p, t } = run({ rotate: true, mirror: false, speedMin: 1, speedMax: 1 });
    for (let i = 0; i < 2; i++) {
      const before = pairs(past, target, i);
      const after = pairs(p, t, i);
      const angle = (d: [number, number]) => Math.atan2(d[1], d[0]);
      const turn = angle(after[0]) - angle(before[0]);
      before.forEach((d, j) => {
        expectClose(Math.hypot(...after[j]), Math.hypot(...d), 1e-9, `length ${i}.${j}`);
        const dAngle = angle(after[j]) - angle(d) - turn;
        expectClose(Math.cos(dAngle), 1, 1e-9, `same turn for delta ${i}.${j}`);
      });
    }
    // different windows get different angles
    const a0 = Math.atan2(p[1], p[0]) - Math.atan2(past[1], past[0]);
    const a1 = Math.atan2(p[W * 2 + 1], p[W * 2]) - Math.atan2(past[W * 2 + 1], past[W * 2]);
    expect(Math.abs(Math.cos(a0 - a1) - 1)).toBeGreaterThan(1e-6);
  });

  it('speed scaling multiplies a whole window by one factor inside [min, max]', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { p, t } = run({ rotate: false, mirror: false, speedMin: 0.2, speedMax: 1.5 }, seed);
      for (let i = 0; i < 2; i++) {
        const s = t[2 * i] / target[2 * i];
        expect(s).toBeGreaterThanOrEqual(0.2);
        expect(s).toBeLessThanOrEqual(1.5);
        const want = pairs(past, target, i).map(([x, y]) => [x * s, y * s]);
        expectClose(pairs(p, t, i).flat(), want.flat(), 1e-9, `window ${i}, seed ${seed}`);
      }
    }
  });

  it('mirroring flips y of a whole window (a left turn becomes a right turn) about half the time', () => {
    let flipped = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const { p, t } = run({ rotate: false, mirror: true, speedMin: 1, speedMax: 1 }, seed);
      const m = t[1] === -target[1];
      if (m) flipped++;
      const want = pairs(past, target, 0).map(([x, y]) => [x, m ? -y : y]);
      expectClose(pairs(p, t, 0).flat(), want.flat(), 0, `seed ${seed}`);
    }
    expect(flipped).toBeGreaterThan(70);
    expect(flipped).toBeLessThan(130);
  });
});

function track(id: string, t0: number, points = 20): Track {
  const n = points;
  return {
    id,
    file: 'f.csv',
    lat: Float64Array.from({ length: n }, (_, i) => 41.15 + i * 0.0005 + Number(id.length) * 1e-6),
    lon: Float64Array.from({ length: n }, (_, i) => -8.61 + i * 0.0003 * Math.sin(i / 3)),
    t: Float64Array.from({ length: n }, (_, i) => t0 + 15 * i),
  };
}

describe('splitByTime()', () => {
  it('puts the oldest source tracks in training, then validation, the newest in test', () => {
    const tracks = [50, 10, 40, 20, 30, 60, 70, 80, 90, 0].map((h, i) => track(`t${i}`, h * 3600));
    const s = splitByTime(tracks, { val: 0.2, test: 0.3 });
    const starts = (ts: Track[]) => ts.map((t) => t.t[0] / 3600).sort((a, b) => a - b);
    expect(starts(s.train)).toEqual([0, 10, 20, 30, 40]);
    expect(starts(s.val)).toEqual([50, 60]);
    expect(starts(s.test)).toEqual([70, 80, 90]);
  });

  it('keeps the pieces of one recording together, dated by the earliest piece', () => {
    const a1 = { ...track('a1', 100), sourceId: 'a' };
    const a2 = { ...track('a2', 5000), sourceId: 'a' };
    const b = track('b', 3000);
    const s = splitByTime([a2, b, a1], { val: 0, test: 0.5 });
    expect(s.test.map((t) => t.id)).toEqual(['b']);
    expect(s.train.map((t) => t.id)).toEqual(['a2', 'a1']);
  });
});

describe('trainOnTracks() with augmentation and the time split', () => {
  const tracks = Array.from({ length: 10 }, (_, i) => track(`trip${i}`, 1.7e9 + i * 600, 30));
  const opts = {
    hidden: 4,
    window: 4,
    epochs: 2,
    batch: 16,
    seed: 2,
    patience: 0,
    augmentRotate: true,
    augmentMirror: true,
    augmentSpeedMin: 0.2,
    augmentSpeedMax: 1.5,
    splitBy: 'time' as const,
    valFraction: 0.2,
    testFraction: 0.3,
  };
  const now = () => new Date(0);

  it('is deterministic in its seed and records the split', async () => {
    const a = (await trainOnTracks(tracks, opts, { now })).modelFile;
    const b = (await trainOnTracks(tracks, opts, { now })).modelFile;
    expect(b.weights.data).toBe(a.weights.data);
    expect(a.training.data.testSourceIds).toEqual(['trip7', 'trip8', 'trip9']);
    expect(a.training.data.valSourceIds).toEqual(['trip5', 'trip6']);
    expect(a.training.data.testStartsFrom).toBe(new Date((1.7e9 + 7 * 600) * 1000).toISOString());
    const off = (await trainOnTracks(tracks, { ...opts, augmentRotate: false }, { now })).modelFile;
    expect(off.weights.data).not.toBe(a.weights.data);
  });

  it('rejects speed factors that are not 0 < min ≤ max', async () => {
    await expect(trainOnTracks(tracks, { ...opts, augmentSpeedMin: 0 })).rejects.toThrow(/speed factors/);
    await expect(trainOnTracks(tracks, { ...opts, augmentSpeedMin: 2, augmentSpeedMax: 1 })).rejects.toThrow(
      /speed factors/,
    );
  });
});
