// Shrinkage toward constant velocity: per horizon k the model's displacement P_k after k steps is
// replaced by C_k + α_k·(P_k − C_k), C_k = k·d_W the constant-velocity displacement (d_W the last
// observed delta), α_k ∈ [0, 1] fitted on the validation split after training (train/fitShrinkage.ts)
// and stored in the model file. α = 0 is constant velocity, α = 1 the model as trained. Applied by
// the Predictor's forecast and the live stepper, so eval, predict and the app all use it.

/** The model file's `shrinkage` section. */
export interface Shrinkage {
  /** α_k for k = 1 … horizon; beyond the horizon α_horizon. */
  alpha: number[];
  horizon: number;
  fittedOn: 'validation';
  /** Validation windows α was fitted on. */
  windows: number;
  /** Mean error (metres, local plane) at each step on those windows: constant velocity, the model, the shrunk model. */
  cvErrorM: number[];
  modelErrorM: number[];
  shrunkErrorM: number[];
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

/** Shrinks every rollout of a forecast (B windows × steps) in place; past (B,W,2) metres gives each window's last delta. */
export function shrinkForecast(
  dxM: Float64Array,
  dyM: Float64Array,
  past: ArrayLike<number>,
  B: number,
  W: number,
  steps: number,
  alpha: readonly number[],
): void {
  for (let b = 0; b < B; b++) {
    const last = (b * W + W - 1) * 2;
    shrinkTowardCv(dxM, dyM, b * steps, 1, steps, past[last], past[last + 1], alpha);
  }
}
