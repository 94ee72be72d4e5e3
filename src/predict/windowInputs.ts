// Turns observed deltas (metres, east/north) into the model's normalized inputs and its outputs back
// into metres: the ONE place training windows and predictions are encoded, so they always match.
// Each window gets a frame: with `align` it is rotated so its last delta points along +x (the
// accuracy probe's --align); with `scaleWindows` it is rescaled to the training data's typical step
// length, which makes one model usable at walking and driving speeds. Outputs go back through the
// inverse frame. No model, no geography beyond the deltas here.
import { featuresFromDeltas } from '../encode/featuresFromDeltas.ts';
import type { EncoderSettings } from '../encode/encoderSettings.ts';
import type { ModelEncoder } from '../model/modelFile.ts';

/** Rotation (cos θ, sin θ) and scale factor of one window: model units = R(−θ)·delta / scale. */
export interface WindowFrame {
  cos: number;
  sin: number;
  scale: number;
}

export const IDENTITY_FRAME: WindowFrame = { cos: 1, sin: 0, scale: 1 };

/** Below this length (metres) the last delta has no direction and the window is not rotated. */
const MIN_ALIGN_M = 1e-6;
/** A window is never scaled up by more than 1 / MIN_SCALE (a standing window stays near zero). */
const MIN_SCALE = 0.05;

/**
 * The frame of the (W,2) window at `offset`: θ = direction of its last delta (0 when standing) if
 * enc.align; scale = RMS delta length of the window / enc.targetStd, at least MIN_SCALE, if enc.scaleWindows.
 */
export function windowFrame(past: ArrayLike<number>, offset: number, enc: ModelEncoder): WindowFrame {
  const W = enc.window;
  let cos = 1;
  let sin = 0;
  if (enc.align) {
    const dx = past[offset + 2 * (W - 1)];
    const dy = past[offset + 2 * (W - 1) + 1];
    const len = Math.hypot(dx, dy);
    if (len > MIN_ALIGN_M) {
      cos = dx / len;
      sin = dy / len;
    }
  }
  let scale = 1;
  if (enc.scaleWindows) {
    let sq = 0;
    for (let j = 0; j < 2 * W; j++) sq += past[offset + j] * past[offset + j];
    scale = Math.max(MIN_SCALE, Math.sqrt(sq / W) / enc.targetStd);
  }
  return { cos, sin, scale };
}

/** The encoder settings featuresFromDeltas expects, from the model file's encoder section. */
export function encoderSettings(enc: ModelEncoder): EncoderSettings {
  return enc as unknown as EncoderSettings; // same fields; the model file adds align and scaleWindows
}

/**
 * Writes the normalized inputs of window b, (W,X), into x at b·W·X from raw deltas past (W,2)
 * metres at `pastOffset`, expressed in the window's frame first. `scratch` holds W·2 numbers.
 */
export function encodeWindow(
  x: Float32Array,
  b: number,
  past: ArrayLike<number>,
  pastOffset: number,
  enc: ModelEncoder,
  scratch: Float64Array,
  frame: WindowFrame,
): void {
  const W = enc.window;
  const X = enc.features.length;
  const c = frame.cos / frame.scale;
  const s = frame.sin / frame.scale;
  for (let j = 0; j < W; j++) {
    const dx = past[pastOffset + 2 * j];
    const dy = past[pastOffset + 2 * j + 1];
    scratch[2 * j] = dx * c + dy * s;
    scratch[2 * j + 1] = -dx * s + dy * c;
  }
  featuresFromDeltas(x.subarray(b * W * X, (b + 1) * W * X), scratch, W, encoderSettings(enc));
}

/** A world-frame delta (metres) in the window's frame, divided by targetStd: the training target. */
export function encodeTarget(
  dxM: number,
  dyM: number,
  frame: WindowFrame,
  targetStd: number,
): [number, number] {
  const k = frame.scale * targetStd;
  return [(dxM * frame.cos + dyM * frame.sin) / k, (-dxM * frame.sin + dyM * frame.cos) / k];
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
 * Head output o (2 or 5 numbers) → metres: μ·targetStd·scale rotated back by +θ; for the Gaussian head
 * [μx, μy, log σx, log σy, ρ̂] the covariance R·Σ·Rᵀ with σ = exp(·)·targetStd·scale and ρ = tanh ρ̂.
 */
export function decodeHead(
  o: ArrayLike<number>,
  offset: number,
  O: number,
  frame: WindowFrame,
  targetStd: number,
  out: DecodedStep,
): void {
  const { cos, sin } = frame;
  const k = targetStd * frame.scale;
  const mx = o[offset] * k;
  const my = o[offset + 1] * k;
  out.dxM = mx * cos - my * sin;
  out.dyM = mx * sin + my * cos;
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
