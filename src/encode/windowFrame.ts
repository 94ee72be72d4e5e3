// The frame of one window: with `align` it is rotated so its last delta points along +x (the
// accuracy probe's --align); with `scaleWindows` it is rescaled to the training data's typical step
// length, which makes one model usable at walking and driving speeds. Inputs are encoded in this
// frame (encodeWindow.ts) and outputs decoded back through its inverse (decodeHead.ts).
import type { EncoderSettings } from './encoderSettings.ts';

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
export function windowFrame(past: ArrayLike<number>, offset: number, enc: EncoderSettings): WindowFrame {
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
