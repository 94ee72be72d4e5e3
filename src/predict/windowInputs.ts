// Turns observed deltas (metres, east/north) into the model's normalized inputs and its outputs back
// into metres, the ONE place training windows and predictions are encoded, so they always match.
// With `align`, each window is rotated so its last delta points along +x and outputs are rotated
// back (the accuracy probe's --align). No model, no geography beyond the deltas here.
import { featuresFromDeltas } from '../encode/featuresFromDeltas.ts';
import type { EncoderSettings } from '../encode/encoderSettings.ts';
import type { ModelEncoder } from '../model/modelFile.ts';

/** Below this length (metres) the last delta has no direction and the window is not rotated. */
const MIN_ALIGN_M = 1e-6;

/** cos θ, sin θ of the direction of the last delta of a (W,2) window at `offset`; (1, 0) when standing. */
export function windowRotation(
  past: ArrayLike<number>,
  offset: number,
  W: number,
): { cos: number; sin: number } {
  const dx = past[offset + 2 * (W - 1)];
  const dy = past[offset + 2 * (W - 1) + 1];
  const len = Math.hypot(dx, dy);
  return len > MIN_ALIGN_M ? { cos: dx / len, sin: dy / len } : { cos: 1, sin: 0 };
}

/** The encoder settings featuresFromDeltas expects, from the model file's encoder section. */
export function encoderSettings(enc: ModelEncoder): EncoderSettings {
  return enc as unknown as EncoderSettings; // same fields; the model file adds `align`
}

/**
 * Writes the normalized inputs of window b, (W,X), into x at b·W·X from raw deltas past (W,2)
 * metres at `pastOffset`; rotates them by −θ first when enc.align. `scratch` holds W·2 numbers.
 */
export function encodeWindow(
  x: Float32Array,
  b: number,
  past: ArrayLike<number>,
  pastOffset: number,
  enc: ModelEncoder,
  scratch: Float64Array,
  rotation: { cos: number; sin: number },
): void {
  const W = enc.window;
  const X = enc.features.length;
  const { cos, sin } = rotation;
  for (let j = 0; j < W; j++) {
    const dx = past[pastOffset + 2 * j];
    const dy = past[pastOffset + 2 * j + 1];
    scratch[2 * j] = dx * cos + dy * sin;
    scratch[2 * j + 1] = -dx * sin + dy * cos;
  }
  featuresFromDeltas(x.subarray(b * W * X, (b + 1) * W * X), scratch, W, encoderSettings(enc));
}

/** A world-frame delta (metres) in the rotated frame and divided by targetStd: the training target. */
export function encodeTarget(
  dxM: number,
  dyM: number,
  rotation: { cos: number; sin: number },
  targetStd: number,
): [number, number] {
  const { cos, sin } = rotation;
  return [(dxM * cos + dyM * sin) / targetStd, (-dxM * sin + dyM * cos) / targetStd];
}

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
 * Head output o (2 or 5 numbers) → metres: μ·targetStd rotated back by +θ; for the Gaussian head
 * [μx, μy, log σx, log σy, ρ̂] the covariance R·diag-with-ρ·Rᵀ with σ = exp(·)·targetStd and ρ = tanh ρ̂.
 */
export function decodeHead(
  o: ArrayLike<number>,
  offset: number,
  O: number,
  rotation: { cos: number; sin: number },
  targetStd: number,
  out: DecodedStep,
): void {
  const { cos, sin } = rotation;
  const mx = o[offset] * targetStd;
  const my = o[offset + 1] * targetStd;
  out.dxM = mx * cos - my * sin;
  out.dyM = mx * sin + my * cos;
  if (O < 5) {
    out.sxx = out.syy = out.sxy = 0;
    return;
  }
  const sx = Math.exp(o[offset + 2]) * targetStd;
  const sy = Math.exp(o[offset + 3]) * targetStd;
  const rho = Math.tanh(o[offset + 4]);
  const a = sx * sx;
  const d = sy * sy;
  const c = rho * sx * sy;
  // Σ = R [[a, c], [c, d]] Rᵀ with R = [[cos, −sin], [sin, cos]]
  out.sxx = cos * cos * a - 2 * cos * sin * c + sin * sin * d;
  out.syy = sin * sin * a + 2 * cos * sin * c + cos * cos * d;
  out.sxy = cos * sin * (a - d) + (cos * cos - sin * sin) * c;
}
