// Shared test helpers: one closeness check for numbers and array-likes (with a label and the first
// offending index in the failure message), seeded standard normals, a synthetic track builder and a
// shrinkage section.
import { expect } from 'vitest';
import type { Track } from '../src/data/track.ts';
import type { Shrinkage, ShrinkageBands } from '../src/predict/shrinkage.ts';
import { seededNormal } from '../src/model/random.ts';

/** Asserts |actual − expected| ≤ tol element-wise (numbers or array-likes of equal length). */
export function expectClose(
  actual: number | ArrayLike<number>,
  expected: number | ArrayLike<number>,
  tol: number,
  label = 'value',
): void {
  if (typeof actual === 'number' || typeof expected === 'number') {
    const a = Number(actual);
    const e = Number(expected);
    if (!(Math.abs(a - e) <= tol))
      expect.fail(`${label}: got ${a}, expected ${e} (|diff| ${Math.abs(a - e)} > ${tol})`);
    return;
  }
  if (actual.length !== expected.length)
    expect.fail(`${label}: length ${actual.length}, expected ${expected.length}`);
  let worst = -1;
  let worstDiff = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= worstDiff) || Number.isNaN(d)) {
      worstDiff = Number.isNaN(d) ? Infinity : d;
      worst = i;
    }
  }
  if (worst >= 0 && !(worstDiff <= tol))
    expect.fail(
      `${label}[${worst}]: got ${actual[worst]}, expected ${expected[worst]} (|diff| ${worstDiff} > ${tol})`,
    );
}

/** n standard normal draws × scale from seededNormal(seed): the same seed gives the same array. */
export function randn(n: number, seed: number, scale = 1): Float64Array {
  const r = seededNormal(seed);
  return Float64Array.from({ length: n }, () => r() * scale);
}

/**
 * A synthetic track of n points stepSeconds apart (default 15 s) from t0 (default 1.4e9 s), point i at
 * (lat(i), lon(i)) degrees; file defaults to 'synthetic'.
 */
export function makeTrack(
  id: string,
  n: number,
  lat: (i: number) => number,
  lon: (i: number) => number,
  opts: { t0?: number; stepSeconds?: number; file?: string } = {},
): Track {
  const t0 = opts.t0 ?? 1.4e9;
  const step = opts.stepSeconds ?? 15;
  return {
    id,
    file: opts.file ?? 'synthetic',
    lat: Float64Array.from({ length: n }, (_, i) => lat(i)),
    lon: Float64Array.from({ length: n }, (_, i) => lon(i)),
    t: Float64Array.from({ length: n }, (_, i) => t0 + step * i),
  };
}

/**
 * A wandering track of n points 15 s apart near Porto: each step ≈ 40 m, its heading turning by a
 * seeded normal with σ `turn` radians (seed also sets the start heading and time).
 */
export function wanderingTrack(id: string, seed: number, n: number, turn: number): Track {
  const turns = randn(n, seed, turn);
  let heading = seed;
  const lat = [41.15];
  const lon = [-8.61];
  for (let i = 1; i < n; i++) {
    heading += turns[i];
    lat.push(lat[i - 1] + 0.0003 * Math.cos(heading));
    lon.push(lon[i - 1] + 0.0004 * Math.sin(heading));
  }
  return makeTrack(
    id,
    n,
    (i) => lat[i],
    (i) => lon[i],
    { t0: 1.7e9 + seed * 7200 },
  );
}

/**
 * A model file's shrinkage section with α per step `alpha` and, when given, bands by recent step
 * length (edges in metres, one α row per band, 50 windows each); the error curves are placeholders.
 */
export function shrinkageOf(alpha: number[], bands?: { edges: number[]; alpha: number[][] }): Shrinkage {
  const K = alpha.length;
  const sh: Shrinkage = {
    alpha,
    horizon: K,
    fittedOn: 'validation',
    windows: bands ? 50 * bands.alpha.length : 100,
    cvErrorM: Array.from({ length: K }, (_, k) => 10 * (k + 1)),
    modelErrorM: Array.from({ length: K }, (_, k) => 9 * (k + 1)),
    shrunkErrorM: Array.from({ length: K }, (_, k) => 8.5 * (k + 1)),
  };
  if (bands) {
    const b: ShrinkageBands = { by: 'recentStepM', ...bands, windows: bands.alpha.map(() => 50) };
    sh.bands = b;
  }
  return sh;
}
