// The shape of an evaluation: what `whereto eval --json` prints and the report writers read, plus
// the per-window detail behind it. Types only; src/eval/evaluate.ts fills them.
import type { ErrorSummary, GaussianSummary } from './metrics.ts';

/** One forecaster's errors: per-horizon stats, ADE and FDE in metres (and Gaussian scores when it has σ). */
export type ModelScores = ErrorSummary & Partial<GaussianSummary>;

export interface EvalResult {
  windows: number;
  horizon: number;
  stepSeconds: number;
  /** 'model' (the trained network), then the baselines 'cv', 'last', 'kalman'. */
  models: Record<string, ModelScores>;
}

/** Per-window detail for windows.csv: n windows, every forecaster's H predicted points and errors. */
export interface WindowDetail {
  n: number;
  H: number;
  trackId: string[];
  /** Index in the resampled track of the last observed point, and its time (Unix seconds). */
  endIndex: Int32Array;
  endTime: Float64Array;
  /** Per forecaster: predicted lat, lon and error (metres), each (n, H) row-major. */
  predictions: Record<string, { lat: Float64Array; lon: Float64Array; errorM: Float64Array }>;
}
