// The model's head output back in metres, world frame: the inverse of the window's frame
// (windowFrame.ts) and of the target scale (encodeTarget.ts). Not the sampling of rollouts.
import type { WindowFrame } from './windowFrame.ts';

/** A decoded head output in metres, world frame: the mean delta and, for a Gaussian head, its covariance. */
export interface DecodedStep {
  dxM: number;
  dyM: number;
  /** Covariance of the delta (m²); zero for a mean head. */
  sxx: number;
  syy: number;
  sxy: number;
}

/**
 * Head output o (2 or 5 numbers) → metres: steps·base + μ·targetStd·scale rotated back by +θ (steps:
 * 1 for a next delta, k for a direct head's displacement after k steps); for the Gaussian head
 * [μx, μy, log σx, log σy, ρ̂] the covariance R·Σ·Rᵀ with σ = exp(·)·targetStd·scale and ρ = tanh ρ̂.
 */
export function decodeHead(
  o: ArrayLike<number>,
  offset: number,
  O: number,
  frame: WindowFrame,
  targetStd: number,
  out: DecodedStep,
  steps = 1,
): void {
  const { cos, sin } = frame;
  const k = targetStd * frame.scale;
  const mx = o[offset] * k;
  const my = o[offset + 1] * k;
  out.dxM = steps * frame.baseX + (mx * cos - my * sin);
  out.dyM = steps * frame.baseY + (mx * sin + my * cos);
  if (O < 5) {
    out.sxx = out.syy = out.sxy = 0;
    return;
  }
  const sx = Math.exp(o[offset + 2]) * k;
  const sy = Math.exp(o[offset + 3]) * k;
  const rho = Math.tanh(o[offset + 4]);
  const a = sx * sx;
  const d = sy * sy;
  const c = rho * sx * sy;
  // Σ = R [[a, c], [c, d]] Rᵀ with R = [[cos, −sin], [sin, cos]]
  out.sxx = cos * cos * a - 2 * cos * sin * c + sin * sin * d;
  out.syy = sin * sin * a + 2 * cos * sin * c + cos * cos * d;
  out.sxy = cos * sin * (a - d) + (cos * cos - sin * sin) * c;
}
