import { describe, expect, it } from 'vitest';
import {
  constantVelocityForecast,
  kalmanForecast,
  lastPositionForecast,
} from '../../src/predict/baselines.ts';
import { baselinePrediction } from '../../src/predict/baselinePrediction.ts';
import { expectClose, makeTrack } from '../helpers.ts';

// 10 deltas of (+12 m east, −5 m north): a straight track at constant speed
const straight = Float64Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 12 : -5));

describe('baselines on deltas in metres', () => {
  it('last position predicts zero displacement at every step', () => {
    const f = lastPositionForecast(straight, 10, 4);
    expectClose(f.dxM, [0, 0, 0, 0], 0);
    expectClose(f.dyM, [0, 0, 0, 0], 0);
  });

  it('constant velocity repeats the last delta, so on a straight constant-speed track its error is 0', () => {
    const f = constantVelocityForecast(straight, 10, 5);
    expectClose(f.dxM, new Array(5).fill(12), 0);
    expectClose(f.dyM, new Array(5).fill(-5), 0);
  });

  it('constant velocity uses only the LAST delta', () => {
    const turning = Float64Array.from([10, 0, 10, 0, 0, 7]);
    const f = constantVelocityForecast(turning, 3, 2);
    expectClose(f.dxM, [0, 0], 0);
    expectClose(f.dyM, [7, 7], 0);
  });

  it('the Kalman filter is exact on a straight constant-speed track and its σ grows with the horizon', () => {
    const f = kalmanForecast(straight, 10, 5);
    expectClose(f.dxM, new Array(5).fill(12), 1e-9);
    expectClose(f.dyM, new Array(5).fill(-5), 1e-9);
    for (let k = 1; k < 5; k++) expect(f.sigmaXM![k]).toBeGreaterThan(f.sigmaXM![k - 1]);
    expectClose(f.rho!, [0, 0, 0, 0, 0], 0);
  });

  it('the Kalman filter smooths: after a speed-up its velocity lies between the old and new speed', () => {
    const past = Float64Array.from([10, 0, 10, 0, 10, 0, 10, 0, 20, 0]);
    const f = kalmanForecast(past, 5, 3, { accelStdM: 2, measurementStdM: 5 });
    // beyond the first step every predicted delta is the filtered velocity
    expectClose(f.dxM[2], f.dxM[1], 1e-9);
    expect(f.dxM[1]).toBeGreaterThan(10);
    expect(f.dxM[1]).toBeLessThan(20);
  });
});

describe('baselinePrediction() on tracks', () => {
  // due east, 0.001° of longitude per step
  const n = 15;
  const track = makeTrack(
    'e',
    n,
    () => 41.15,
    (i) => -8.61 + 0.001 * i,
    { t0: 0 },
  );

  it('constant velocity continues the track exactly, from points at or before endIndex only', () => {
    const p = baselinePrediction('cv', track, 9, 3);
    p.points.forEach((pt, k) => {
      expectClose(pt.lat, 41.15, 1e-9);
      expectClose(pt.lon, -8.61 + 0.001 * (10 + k), 1e-9);
    });
    const altered = { ...track, lon: track.lon.map((v, i) => (i > 9 ? v + 1 : v)) };
    expect(baselinePrediction('cv', altered, 9, 3)).toEqual(p);
  });

  it('the Kalman filter also reports its σ; last position repeats the last point', () => {
    expect(baselinePrediction('kalman', track, 9, 2).sigmaXM).toHaveLength(2);
    expect(baselinePrediction('last', track, 9, 2).points).toEqual([
      { lat: 41.15, lon: track.lon[9] },
      { lat: 41.15, lon: track.lon[9] },
    ]);
  });
});
