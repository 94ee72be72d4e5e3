// Specs for training-time window augmentation: rotation, mirror and speed factor, each applied to a
// whole window (observed deltas and target) at once. Its use between epochs is in trainOnTracks.test.ts.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/encode/splitByTrack.ts';
import { augmentWindows } from '../../src/train/augmentWindows.ts';
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
