// The frame of one window: with `align` it is rotated so its last delta points along +x (the
// accuracy probe's --align); with `scaleWindows` it is rescaled to the training data's typical step
// length, which makes one model usable at walking and driving speeds. The 'cv-residual' target has
// its own frame: rotated to the last delta's heading, scaled by the recent speed in metres, and
// based on the last delta (constant velocity), so a zero output decodes to constant velocity.
// Inputs are encoded in this frame (encodeWindow.ts) and outputs decoded back (decodeHead.ts).
import { DEFAULT_FRAME_FLOOR_M, DEFAULT_FRAME_STEPS, type EncoderSettings } from './encoderSettings.ts';

/**
 * Rotation (cos θ, sin θ), scale and base of one window: inputs = R(−θ)·delta / scale; a step's
 * target = R(−θ)·(delta − base) / (scale·targetStd). base (metres, world frame) is the last observed
 * delta for 'cv-residual', 0 for 'delta'.
 */
export interface WindowFrame {
  cos: number;
  sin: number;
  scale: number;
  baseX: number;
  baseY: number;
}

export const IDENTITY_FRAME: WindowFrame = { cos: 1, sin: 0, scale: 1, baseX: 0, baseY: 0 };

/** Below this length (metres) the last delta has no direction and the window is not rotated. */
const MIN_ALIGN_M = 1e-6;
/** A window is never scaled up by more than 1 / MIN_SCALE (a standing window stays near zero). */
const MIN_SCALE = 0.05;

/**
 * The frame of the (W,2) window at `offset`: θ = direction of its last delta (0 when standing) if
 * enc.align; scale = RMS delta length of the window / enc.targetStd, at least MIN_SCALE, if enc.scaleWindows.
 * For 'cv-residual': θ = direction of the last delta d_W (0 when |d_W| ≤ 1e-6 m), scale s =
 * max(frameFloorM, √(mean |d_j|² over the last frameSteps deltas)) metres, base = d_W.
 */
export function windowFrame(past: ArrayLike<number>, offset: number, enc: EncoderSettings): WindowFrame {
  const W = enc.window;
  if (enc.target === 'cv-residual') return cvResidualFrame(past, offset, enc);
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
  return { cos, sin, scale, baseX: 0, baseY: 0 };
}

function cvResidualFrame(past: ArrayLike<number>, offset: number, enc: EncoderSettings): WindowFrame {
  const W = enc.window;
  const last = offset + 2 * (W - 1);
  const dx = past[last];
  const dy = past[last + 1];
  const len = Math.hypot(dx, dy);
  const turned = len > MIN_ALIGN_M;
  const scale = Math.max(
    enc.frameFloorM ?? DEFAULT_FRAME_FLOOR_M,
    recentStepM(past, offset, W, enc.frameSteps ?? DEFAULT_FRAME_STEPS),
  );
  return { cos: turned ? dx / len : 1, sin: turned ? dy / len : 0, scale, baseX: dx, baseY: dy };
}

/**
 * The recent step length of the (W,2) window at `offset` (metres): the RMS of |d_j| over its last
 * `steps` deltas, counting only d_first … d_{W−1} (first > 0 where a live path's first deltas are not
 * known yet); 0 with none. The cv-residual frame's scale before its floor, and what the shrinkage
 * bands are binned by (predict/shrinkage.ts).
 */
export function recentStepM(
  past: ArrayLike<number>,
  offset: number,
  W: number,
  steps: number,
  first = 0,
): number {
  const from = Math.max(first, W - steps);
  let sq = 0;
  for (let j = from; j < W; j++) {
    const ax = past[offset + 2 * j];
    const ay = past[offset + 2 * j + 1];
    sq += ax * ax + ay * ay;
  }
  return W > from ? Math.sqrt(sq / (W - from)) : 0;
}
