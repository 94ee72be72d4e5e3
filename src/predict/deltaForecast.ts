// What every forecaster returns (the model's rollouts, the baselines): predicted deltas in metres in
// the local tangent plane (x east, y north) and, when known, the spread of each predicted POSITION.
// Turning deltas into lat/lon is the caller's job (trackPrediction.ts, eval/evaluate.ts).

/** Predicted future steps, metres, (B, steps) flat: dxM[k], dyM[k] is the displacement from step k to k + 1. */
export interface DeltaForecast {
  dxM: Float64Array;
  dyM: Float64Array;
  /** Standard deviations (metres) and correlation of each predicted position (cumulative), if known. */
  sigmaXM?: Float64Array;
  sigmaYM?: Float64Array;
  rho?: Float64Array;
}

/** |ρ| stays below 1 so a bivariate normal built from (σx, σy, ρ) is never degenerate. */
const MAX_RHO = 0.999999;

/**
 * Writes position covariance [[cxx, cxy], [cxy, cyy]] (m²) as σx = √cxx, σy = √cyy (metres) and
 * ρ = cxy / (σx σy), clamped to ±MAX_RHO (0 when either σ is 0), at index i of f's σ and ρ arrays.
 */
export function setPositionSpread(f: DeltaForecast, i: number, cxx: number, cyy: number, cxy: number): void {
  const sx = Math.sqrt(cxx);
  const sy = Math.sqrt(cyy);
  f.sigmaXM![i] = sx;
  f.sigmaYM![i] = sy;
  f.rho![i] = sx > 0 && sy > 0 ? Math.max(-MAX_RHO, Math.min(MAX_RHO, cxy / (sx * sy))) : 0;
}
