// Fits the shrinkage toward constant velocity (predict/shrinkage.ts) after training, on the
// VALIDATION split: per horizon k ≤ K, α_k on the grid {0, 0.01, …, 1} minimizing the mean over the
// windows of ‖C_k + α·(P_k − C_k) − T_k‖, with C_k, P_k, T_k the displacements after k steps of
// constant velocity, the raw model and the truth, in metres (sums of the windows' deltas). α = 0
// (constant velocity) is on the grid, so on that split the shrunk model is never worse than CV.
import type { Track } from '../data/track.ts';
import { buildWindows } from '../encode/windowSet.ts';
import type { Predictor } from '../predict/predictor.ts';
import type { Shrinkage } from '../predict/shrinkage.ts';

/** The horizon α is fitted for: `whereto eval`'s 5 steps. */
export const SHRINKAGE_HORIZON = 5;
const GRID = Array.from({ length: 101 }, (_, i) => i / 100);

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
  for (let i = 0; i < n; i++) {
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
  return { ...fitAlpha(cv, model, truth, n, K), horizon: K, fittedOn: 'validation', windows: n };
}
