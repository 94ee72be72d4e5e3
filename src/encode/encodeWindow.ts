// Turns the observed deltas of one window (metres, east/north) into the model's normalized inputs:
// the ONE place training windows and predictions are encoded, so they always match. The deltas are
// expressed in the window's frame (windowFrame.ts) first. No model, no geography beyond the deltas.
import type { EncoderSettings } from './encoderSettings.ts';
import { featuresFromDeltas } from './featuresFromDeltas.ts';
import type { WindowFrame } from './windowFrame.ts';

/**
 * Writes the normalized inputs of window b, (W,X), into x at b·W·X from raw deltas past (W,2)
 * metres at `pastOffset`, expressed in the window's frame first. `scratch` holds W·2 numbers.
 */
export function encodeWindow(
  x: Float32Array,
  b: number,
  past: ArrayLike<number>,
  pastOffset: number,
  enc: EncoderSettings,
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
  featuresFromDeltas(x.subarray(b * W * X, (b + 1) * W * X), scratch, W, enc);
}
