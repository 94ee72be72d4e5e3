// One draw of a sampled rollout: a delta from a Gaussian head's predicted bivariate normal, shared by
// Predictor.forecast (batches of windows) and the live stepper so both sample the same way.
import type { DecodedStep } from '../encode/decodeHead.ts';

/**
 * Writes μ + L·z into out (dx, dy metres): L the Cholesky factor of the step's covariance
 * [[sxx, sxy], [sxy, syy]] (rounding below zero clamped to 0), z two standard normals from gauss.
 */
export function sampleDelta(step: DecodedStep, gauss: () => number, out: Float64Array): void {
  const l11 = Math.sqrt(Math.max(step.sxx, 0));
  const l21 = l11 > 0 ? step.sxy / l11 : 0;
  const l22 = Math.sqrt(Math.max(step.syy - l21 * l21, 0));
  const z1 = gauss();
  const z2 = gauss();
  out[0] = step.dxM + l11 * z1;
  out[1] = step.dyM + l21 * z1 + l22 * z2;
}
