import { describe, expect, it } from 'vitest';
import type { Track } from '../../src/data/track.ts';
import { windowEnds } from '../../src/encode/windowEnds.ts';
import { evaluateWindows } from '../../src/eval/evaluate.ts';
import { distanceMeters } from '../../src/geo/index.ts';
import { expectClose, makeTrack } from '../helpers.ts';

// due north at a constant 0.001° of latitude (≈ 111 m) per 15 s step
function straightTrack(id: string, n: number): Track {
  return makeTrack(
    id,
    n,
    (i) => 41 + 0.001 * i,
    () => -8.6,
  );
}

describe('evaluateWindows() with the baselines', () => {
  const tracks = [straightTrack('a', 20), straightTrack('b', 8)];
  const { result, detail } = evaluateWindows(null, tracks, { horizon: 3, window: 4, stepSeconds: 15 });

  it('takes every window with W points before and H after its last observed point', () => {
    // track a: e = 4 … 16 (13 windows); track b: e = 4 only (8 points: 4 + 3 ≤ 7)
    expect(result.windows).toBe(14);
    expect(windowEnds(tracks, 4, 3).end.slice(-2)).toEqual(Int32Array.from([16, 4]));
    expect(detail.trackId.at(-1)).toBe('b');
  });

  it('on a straight constant-speed track, constant velocity and the Kalman filter are exact', () => {
    for (const name of ['cv', 'kalman'])
      for (const s of result.models[name].perHorizon) expectClose(s.meanM, 0, 1e-6, `${name} step ${s.step}`);
  });

  it("last position's error at step k is the distance travelled in k steps", () => {
    const stepM = distanceMeters({ lat: 41, lon: -8.6 }, { lat: 41.001, lon: -8.6 });
    result.models.last.perHorizon.forEach((s, k) => expectClose(s.meanM, (k + 1) * stepM, 1e-3));
    expectClose(result.models.last.adeM, 2 * stepM, 1e-3);
    expectClose(result.models.last.fdeM, 3 * stepM, 1e-3);
  });
});
