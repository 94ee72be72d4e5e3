// Fits the shrinkage toward constant velocity (predict/shrinkage.ts) after training, on the
// VALIDATION split: per horizon k ≤ K, α_k on the grid {0, 0.01, …, 1} minimizing the mean over the
// windows of ‖C_k + α·(P_k − C_k) − T_k‖, with C_k, P_k, T_k the displacements after k steps of
// constant velocity, the raw model and the truth, in metres (sums of the windows' deltas). α = 0
// (constant velocity) is on the grid, so on that split the shrunk model is never worse than CV.
// Then the same per band of the windows' recent step length (shrinkage.ts): bands start
// at BAND_EDGES_M and the smallest is merged into its smaller neighbour until each holds at least
// MIN_BAND_WINDOWS validation windows; α_k is fitted per band on its windows. Each band's grid holds
// α = 0 too, so the banded model is never worse than CV on the split either, and never worse than
// the one α per step.
import type { Track } from '../data/track.ts';
import { buildWindows } from '../encode/windowSet.ts';
import type { Predictor } from '../predict/predictor.ts';
import { recentStepM } from '../encode/windowFrame.ts';
import { BAND_STEPS, bandOf, type Shrinkage, type ShrinkageBands } from '../predict/shrinkage.ts';

/** The horizon α is fitted for: `whereto eval`'s 5 steps. */
export const SHRINKAGE_HORIZON = 5;
const GRID = Array.from({ length: 101 }, (_, i) => i / 100);
/** Initial upper band edges of the recent step length, metres: 2 m to 362 m, a factor √2 apart (rounded to cm). */
export const BAND_EDGES_M = Array.from({ length: 16 }, (_, i) => Math.round(200 * 2 ** (i / 2)) / 100);
/** Fewest validation windows a band is fitted on. */
export const MIN_BAND_WINDOWS = 50;

/**
 * α per horizon from displacements (n,K,2) metres: cv = C, model = P, truth = T. Returns α and the
 * mean errors of CV, the model and the shrunk model at each step.
 */
export function fitAlpha(
  cv: Float64Array,
  model: Float64Array,
  truth: Float64Array,
  n: number,
  K: number,
): Omit<Shrinkage, 'horizon' | 'fittedOn' | 'windows'> {
  const fit: Omit<Shrinkage, 'horizon' | 'fittedOn' | 'windows'> = {
    alpha: [],
    cvErrorM: [],
    modelErrorM: [],
    shrunkErrorM: [],
  };
  const meanError = (k: number, a: number): number => {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const j = 2 * (i * K + k);
      const cx = cv[j];
      const cy = cv[j + 1];
      total += Math.hypot(cx + a * (model[j] - cx) - truth[j], cy + a * (model[j + 1] - cy) - truth[j + 1]);
    }
    return total / n;
  };
  for (let k = 0; k < K; k++) {
    let best = 0;
    let bestError = Infinity;
    for (const a of GRID) {
      const e = meanError(k, a);
      if (e < bestError) [best, bestError] = [a, e];
    }
    fit.alpha.push(best);
    fit.cvErrorM.push(meanError(k, 0));
    fit.modelErrorM.push(meanError(k, 1));
    fit.shrunkErrorM.push(bestError);
  }
  return fit;
}

/** The rows i of displacements (n,K,2) with keep[i], as a new (m,K,2) array. */
function rows(a: Float64Array, K: number, keep: readonly number[]): Float64Array {
  const out = new Float64Array(keep.length * K * 2);
  keep.forEach((i, r) => out.set(a.subarray(i * K * 2, (i + 1) * K * 2), r * K * 2));
  return out;
}

/**
 * Bands of the recent step lengths v (one per window): BAND_EDGES_M, the band with the
 * fewest windows merged into its smaller neighbour (by dropping the edge between them) until every
 * band has at least minWindows; then α per band (fitAlpha on its windows). Null when one band is left.
 */
export function fitBands(
  v: Float64Array,
  cv: Float64Array,
  model: Float64Array,
  truth: Float64Array,
  K: number,
  minWindows = MIN_BAND_WINDOWS,
): { bands: ShrinkageBands; shrunkErrorM: number[] } | null {
  const n = v.length;
  const edges = [...BAND_EDGES_M];
  const counts = (): number[] => {
    const c = new Array<number>(edges.length + 1).fill(0);
    for (const x of v) c[bandOf(edges, x)]++;
    return c;
  };
  for (let c = counts(); edges.length > 0 && Math.min(...c) < minWindows; c = counts()) {
    const b = c.indexOf(Math.min(...c));
    // merge band b with its neighbour holding fewer windows: drop the edge between them
    const left = b > 0 ? c[b - 1] : Infinity;
    const right = b < edges.length ? c[b + 1] : Infinity;
    edges.splice(left <= right ? b - 1 : b, 1);
  }
  if (edges.length === 0) return null;
  const members: number[][] = Array.from({ length: edges.length + 1 }, () => []);
  for (let i = 0; i < n; i++) members[bandOf(edges, v[i])].push(i);
  const alpha: number[][] = [];
  const shrunkSum = new Array<number>(K).fill(0);
  for (const m of members) {
    const fit = fitAlpha(rows(cv, K, m), rows(model, K, m), rows(truth, K, m), m.length, K);
    alpha.push(fit.alpha);
    fit.shrunkErrorM.forEach((x, k) => (shrunkSum[k] += x * m.length));
  }
  return {
    bands: { by: 'recentStepM', edges, alpha, windows: members.map((m) => m.length) },
    shrunkErrorM: shrunkSum.map((x) => x / n),
  };
}

/** The shrinkage of predictor's raw rollouts fitted on every window of `valTracks` (null: no window has K future points). */
export function fitShrinkage(
  predictor: Predictor,
  valTracks: Track[],
  K = SHRINKAGE_HORIZON,
): Shrinkage | null {
  const W = predictor.encoder.window;
  const set = buildWindows(valTracks, predictor.encoder, K);
  const n = set.n;
  if (n === 0) return null;
  const f = predictor.forecast(set.pastM, n, K, { shrink: false, samples: 0 });
  const cv = new Float64Array(n * K * 2);
  const model = new Float64Array(n * K * 2);
  const truth = new Float64Array(n * K * 2);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    v[i] = recentStepM(set.pastM, i * W * 2, W, BAND_STEPS);
    const last = (i * W + W - 1) * 2;
    let mx = 0;
    let my = 0;
    let tx = 0;
    let ty = 0;
    for (let k = 0; k < K; k++) {
      const j = 2 * (i * K + k);
      mx += f.dxM[i * K + k];
      my += f.dyM[i * K + k];
      tx += set.targetM[j];
      ty += set.targetM[j + 1];
      cv[j] = (k + 1) * set.pastM[last];
      cv[j + 1] = (k + 1) * set.pastM[last + 1];
      model[j] = mx;
      model[j + 1] = my;
      truth[j] = tx;
      truth[j + 1] = ty;
    }
  }
  const one = fitAlpha(cv, model, truth, n, K);
  const banded = fitBands(v, cv, model, truth, K);
  return {
    ...one,
    ...(banded ? { shrunkErrorM: banded.shrunkErrorM, bands: banded.bands } : {}),
    horizon: K,
    fittedOn: 'validation',
    windows: n,
  };
}
