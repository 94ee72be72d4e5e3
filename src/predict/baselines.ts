// Baselines the model must beat, all on deltas in metres in a local tangent plane (x east, y north):
// last position (stand still), constant velocity (repeat the last delta) and a constant-velocity
// Kalman filter with its predictive uncertainty. Turning deltas into lat/lon is the caller's job.
import type { DeltaForecast } from './deltaForecast.ts';

export type BaselineName = 'last' | 'cv' | 'kalman';

/** Stay at the last observed position: every future delta is zero. */
export function lastPositionForecast(_past: ArrayLike<number>, _n: number, steps: number): DeltaForecast {
  return { dxM: new Float64Array(steps), dyM: new Float64Array(steps) };
}

/** Constant velocity: repeat the last observed delta (past is (n, 2) metres, n ≥ 1). */
export function constantVelocityForecast(past: ArrayLike<number>, n: number, steps: number): DeltaForecast {
  const dx = n > 0 ? past[2 * (n - 1)] : 0;
  const dy = n > 0 ? past[2 * (n - 1) + 1] : 0;
  return { dxM: new Float64Array(steps).fill(dx), dyM: new Float64Array(steps).fill(dy) };
}

export interface KalmanSettings {
  /** White-noise acceleration, metres per step² (standard deviation). */
  accelStdM: number;
  /** Position measurement noise, metres (standard deviation). */
  measurementStdM: number;
}

/**
 * Chosen by a grid (σa 3–60 m/step², σz 1–30 m) on the TRAINING split of the bundled Porto sample at
 * 15 s steps (seed 1, 70 % of trips), lowest 1-step error; only the ratio σa/σz matters much there.
 * On that data no setting beats plain constant velocity: 15 s taxi deltas are not noisy, so smoothing
 * only delays turns.
 */
export const DEFAULT_KALMAN: KalmanSettings = { accelStdM: 20, measurementStdM: 5 };

/**
 * Constant-velocity Kalman filter, one step per time unit, state (position, velocity) per axis with
 * the discrete white-noise-acceleration model: F = [[1,1],[0,1]], Q = σa²·[[¼,½],[½,1]], H = [1,0]
 * (Bar-Shalom, Li & Kirubarajan 2001, §6.3.2). The axes are independent, so each is its own 2×2
 * filter and ρ = 0. The filter runs over the observed positions (the cumulative sum of past, starting
 * at 0) and is then propagated; the forecast deltas are measured from the last OBSERVED position, and
 * σ is the propagated position standard deviation.
 */
export function kalmanForecast(
  past: ArrayLike<number>,
  n: number,
  steps: number,
  settings: KalmanSettings = DEFAULT_KALMAN,
): DeltaForecast {
  const q = settings.accelStdM * settings.accelStdM;
  const r = settings.measurementStdM * settings.measurementStdM;
  const out: DeltaForecast = {
    dxM: new Float64Array(steps),
    dyM: new Float64Array(steps),
    sigmaXM: new Float64Array(steps),
    sigmaYM: new Float64Array(steps),
    rho: new Float64Array(steps),
  };
  for (let axis = 0; axis < 2; axis++) {
    // state p (position), v (velocity); covariance [[a, b], [b, c]]
    let p = 0;
    let v = n > 0 ? past[axis] : 0;
    let a = r;
    let b = 0;
    let c = r + q;
    let observed = 0;
    for (let i = 0; i < n; i++) {
      observed += past[2 * i + axis];
      // predict
      p += v;
      const a1 = a + 2 * b + c + q / 4;
      const b1 = b + c + q / 2;
      const c1 = c + q;
      // update with the measured position
      const s = a1 + r;
      const k0 = a1 / s;
      const k1 = b1 / s;
      const innovation = observed - p;
      p += k0 * innovation;
      v += k1 * innovation;
      a = (1 - k0) * a1;
      b = (1 - k0) * b1;
      c = c1 - k1 * b1;
    }
    const d = axis === 0 ? out.dxM : out.dyM;
    const sigma = axis === 0 ? out.sigmaXM! : out.sigmaYM!;
    let prev = observed;
    for (let k = 0; k < steps; k++) {
      p += v;
      const a1 = a + 2 * b + c + q / 4;
      const b1 = b + c + q / 2;
      c = c + q;
      a = a1;
      b = b1;
      d[k] = p - prev;
      prev = p;
      sigma[k] = Math.sqrt(a);
    }
  }
  return out;
}

/** The baseline forecaster by name. */
export function baselineForecast(
  name: BaselineName,
  past: ArrayLike<number>,
  n: number,
  steps: number,
): DeltaForecast {
  if (name === 'last') return lastPositionForecast(past, n, steps);
  if (name === 'cv') return constantVelocityForecast(past, n, steps);
  return kalmanForecast(past, n, steps);
}
