// Cuts tracks into model samples: W observed deltas (normalized features) → the next delta (the
// training target) and the next H deltas in metres (for evaluation). A window's inputs end at the
// point endIndex, and everything it is scored against comes after it: no future leaks into inputs.
import type { Track } from '../data/track.ts';
import type { EncoderSettings } from './encoderSettings.ts';
import { featuresFromDeltas } from './featuresFromDeltas.ts';
import { deltasInto } from './trackDeltas.ts';

export interface Windows {
  /** Number of windows. */
  n: number;
  W: number;
  X: number;
  H: number;
  /** (n, W, X) normalized input features of the observed deltas. */
  x: Float32Array;
  /** (n, 2) the next delta / targetStd. */
  y: Float32Array;
  /** (n, H, 2) the true next H deltas in metres. */
  future: Float64Array;
  /** Position of the last observed point (Float64 degrees). */
  lastLat: Float64Array;
  lastLon: Float64Array;
  /** Index into the input `tracks` array. */
  trackIndex: Int32Array;
  /** Index in the track of the last observed point: inputs use points endIndex − W … endIndex only. */
  endIndex: Int32Array;
}

/**
 * All windows of all tracks, stride 1, in track order. A track of P points has P − 1 deltas and
 * max(0, P − 1 − W − H + 1) windows. horizon H ≥ 1 (training uses H = 1; y is the first future step).
 */
export function makeWindows(tracks: Track[], enc: EncoderSettings, horizon: number): Windows {
  const W = enc.window;
  const X = enc.features.length;
  const H = Math.max(1, Math.floor(horizon));
  let total = 0;
  let longest = 0;
  for (const tr of tracks) {
    const d = tr.t.length - 1;
    total += Math.max(0, d - W - H + 1);
    longest = Math.max(longest, d);
  }
  const x = new Float32Array(total * W * X);
  const y = new Float32Array(total * 2);
  const future = new Float64Array(total * H * 2);
  const lastLat = new Float64Array(total);
  const lastLon = new Float64Array(total);
  const trackIndex = new Int32Array(total);
  const endIndex = new Int32Array(total);
  const deltas = new Float64Array(Math.max(0, longest) * 2); // (d, 2) metres, reused per track
  const feats = new Float32Array(Math.max(0, longest) * X); // (d, X)
  const invTarget = 1 / enc.targetStd;
  let w = 0;
  for (let ti = 0; ti < tracks.length; ti++) {
    const tr = tracks[ti];
    const d = tr.t.length - 1;
    if (d - W - H + 1 <= 0) continue;
    deltasInto(deltas, tr.lat, tr.lon, d + 1);
    featuresFromDeltas(feats, deltas, d, enc);
    // j = index of the last observed delta; it ends at point j + 1.
    for (let j = W - 1; j + H <= d - 1; j++, w++) {
      // Plain loops: a subarray per window would allocate millions of views.
      const from = (j - W + 1) * X;
      const to = w * W * X;
      for (let q = 0; q < W * X; q++) x[to + q] = feats[from + q];
      y[2 * w] = deltas[2 * (j + 1)] * invTarget;
      y[2 * w + 1] = deltas[2 * (j + 1) + 1] * invTarget;
      const f0 = 2 * (j + 1);
      for (let q = 0; q < 2 * H; q++) future[w * H * 2 + q] = deltas[f0 + q];
      lastLat[w] = tr.lat[j + 1];
      lastLon[w] = tr.lon[j + 1];
      trackIndex[w] = ti;
      endIndex[w] = j + 1;
    }
  }
  return { n: total, W, X, H, x, y, future, lastLat, lastLon, trackIndex, endIndex };
}
