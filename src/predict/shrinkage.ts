// Shrinkage toward constant velocity: per horizon k the model's displacement P_k after k steps is
// replaced by C_k + α_k·(P_k − C_k), C_k = k·d_W the constant-velocity displacement (d_W the last
// observed delta), α_k ∈ [0, 1] fitted on the validation split after training (train/fitShrinkage.ts)
// and stored in the model file. α = 0 is constant velocity, α = 1 the model as trained. Applied by
// the Predictor's forecast and the live stepper, so eval, predict and the app all use it.
// Since version 3 α may also depend on the window (bands): windows are binned by v, their recent step
// length (RMS of the last 3 deltas, metres: the cv-residual frame's scale without its floor), and each
// band has its own α_k, so walkers (v of 10–20 m at 15 s) and taxis (≈ 100 m) each keep as much of
// the network's correction as the validation windows of their speed earned.

import { DEFAULT_FRAME_STEPS } from '../encode/encoderSettings.ts';
import { recentStepM } from '../encode/windowFrame.ts';

/** The model file's `shrinkage` section. */
export interface Shrinkage {
  /** α_k for k = 1 … horizon (beyond the horizon α_horizon), over all the windows; used for every window when there are no bands. */
  alpha: number[];
  horizon: number;
  fittedOn: 'validation';
  /** Validation windows α was fitted on. */
  windows: number;
  /** Mean error (metres, local plane) at each step on those windows: constant velocity, the model, the shrunk model (as applied: by band when there are bands). */
  cvErrorM: number[];
  modelErrorM: number[];
  shrunkErrorM: number[];
  /** α per band of recent step length (version 3); absent: `alpha` for every window. */
  bands?: ShrinkageBands;
}

/** α per band of the window's recent step length (encode/windowFrame.ts recentStepM over BAND_STEPS deltas). */
export interface ShrinkageBands {
  by: 'recentStepM';
  /** Ascending upper edges in metres of every band but the last: band b holds edges[b−1] ≤ v < edges[b]. */
  edges: number[];
  /** α_k per band (bands × horizon; beyond the horizon α_horizon). */
  alpha: number[][];
  /** Validation windows per band. */
  windows: number[];
}

/** Deltas the bands' recent step length is taken over: the cv-residual frame's, so both measure speed alike. */
export const BAND_STEPS = DEFAULT_FRAME_STEPS;

/** The band of a recent step length v: the number of edges at or below it. */
export function bandOf(edges: readonly number[], v: number): number {
  let b = 0;
  while (b < edges.length && v >= edges[b]) b++;
  return b;
}

/** The α_k a window gets: its band's when the shrinkage has bands, else the one α per step. */
export function alphaFor(
  sh: Shrinkage,
  d: ArrayLike<number>,
  o: number,
  W: number,
  first = 0,
): readonly number[] {
  if (!sh.bands) return sh.alpha;
  return sh.bands.alpha[bandOf(sh.bands.edges, recentStepM(d, o, W, BAND_STEPS, first))];
}

/**
 * Shrinks one rollout in place: its deltas dx[first + k·stride], dy[first + k·stride] (k < steps,
 * metres) become those of the displacements C_k + α_k·(P_k − C_k), C_k = k·(cvDx, cvDy).
 */
export function shrinkTowardCv(
  dx: Float64Array,
  dy: Float64Array,
  first: number,
  stride: number,
  steps: number,
  cvDx: number,
  cvDy: number,
  alpha: readonly number[],
): void {
  let px = 0; // the model's displacement P_k
  let py = 0;
  let prevX = 0; // the shrunk displacement after k − 1 steps
  let prevY = 0;
  for (let k = 1; k <= steps; k++) {
    const i = first + (k - 1) * stride;
    px += dx[i];
    py += dy[i];
    const a = alpha[Math.min(k, alpha.length) - 1];
    const sx = k * cvDx + a * (px - k * cvDx);
    const sy = k * cvDy + a * (py - k * cvDy);
    dx[i] = sx - prevX;
    dy[i] = sy - prevY;
    prevX = sx;
    prevY = sy;
  }
}

/** Shrinks every rollout of a forecast (B windows × steps) in place; past (B,W,2) metres gives each window's last delta and band. */
export function shrinkForecast(
  dxM: Float64Array,
  dyM: Float64Array,
  past: ArrayLike<number>,
  B: number,
  W: number,
  steps: number,
  sh: Shrinkage,
): void {
  for (let b = 0; b < B; b++) {
    const last = (b * W + W - 1) * 2;
    const alpha = alphaFor(sh, past, b * W * 2, W);
    shrinkTowardCv(dxM, dyM, b * steps, 1, steps, past[last], past[last + 1], alpha);
  }
}

/**
 * The shrinkage in one line: "α 0.89, 0.92, 0.94, 0.94, 0.95 (4,506 validation windows); by recent
 * step: 14 bands, step-1 α 0.12 below 2.8 m … 0.98 from 256 m".
 */
export function shrinkageSummary(sh: Shrinkage): string {
  const two = (a: readonly number[]) => a.map((x) => x.toFixed(2)).join(', ');
  let text = `α ${two(sh.alpha)} (${sh.windows.toLocaleString('en')} validation windows)`;
  const b = sh.bands;
  if (b) {
    const first = b.alpha[0][0].toFixed(2);
    const last = b.alpha[b.alpha.length - 1][0].toFixed(2);
    const m = (x: number) => `${Number(x.toPrecision(3))} m`;
    text += `; by recent step: ${b.alpha.length} bands, step-1 α ${first} below ${m(b.edges[0])} … ${last} from ${m(b.edges[b.edges.length - 1])}`;
  }
  return text;
}
