// Training and validation windows as one flat set: the encoded model inputs and targets plus the raw
// deltas and frames kept to re-encode augmented draws and to decode predictions back to metres.
// Not the evaluation windows (src/eval rolls the Predictor over windowEnds instead).
import type { Track } from '../data/track.ts';
import { encodeTarget } from './encodeTarget.ts';
import type { EncoderSettings } from './encoderSettings.ts';
import { encodeWindow } from './encodeWindow.ts';
import { trackDeltas } from './trackDeltas.ts';
import { windowEnds } from './windowEnds.ts';
import { windowFrame } from './windowFrame.ts';

/** Training windows: inputs x (n,W,X), normalized targets y (n,2), raw target deltas and rotations. */
export interface WindowSet {
  n: number;
  x: Float32Array;
  y: Float32Array;
  targetM: Float64Array; // (n,2) true next delta, metres, world frame
  cos: Float64Array;
  sin: Float64Array;
  scale: Float64Array;
  /** (n,W,2) observed deltas, metres, world frame (kept for per-epoch augmentation). */
  pastM: Float64Array;
}

/** Every full window (W observed deltas and the next one) of every track, encoded with enc. */
export function buildWindows(tracks: Track[], enc: EncoderSettings): WindowSet {
  const W = enc.window;
  const X = enc.features.length;
  const { track, end } = windowEnds(tracks, W, 1);
  const n = end.length;
  const set: WindowSet = {
    n,
    x: new Float32Array(n * W * X),
    y: new Float32Array(n * 2),
    targetM: new Float64Array(n * 2),
    cos: new Float64Array(n),
    sin: new Float64Array(n),
    scale: new Float64Array(n),
    pastM: new Float64Array(n * W * 2),
  };
  // Each track's deltas once, then windows are slices: window i observes deltas end−W … end−1
  // and its target is delta end (the same numbers windowDeltas gives, without W-fold projections).
  let ti = -1;
  let d: Float64Array = new Float64Array(0); // (P−1, 2) metres of track ti
  for (let i = 0; i < n; i++) {
    if (track[i] !== ti) {
      ti = track[i];
      d = trackDeltas(tracks[ti]).deltas;
    }
    const e = end[i];
    set.pastM.set(d.subarray(2 * (e - W), 2 * e), i * W * 2);
    set.targetM[2 * i] = d[2 * e];
    set.targetM[2 * i + 1] = d[2 * e + 1];
  }
  encodeSet(set, set.pastM, set.targetM, enc);
  return set;
}

/** Encodes windows from (n,W,2) deltas and (n,2) targets in metres into set.x, set.y and the frames. */
export function encodeSet(
  set: WindowSet,
  pastM: Float64Array,
  targetM: Float64Array,
  enc: EncoderSettings,
): void {
  const W = enc.window;
  const scratch = new Float64Array(W * 2);
  for (let i = 0; i < set.n; i++) {
    const rot = windowFrame(pastM, i * W * 2, enc);
    encodeWindow(set.x, i, pastM, i * W * 2, enc, scratch, rot);
    const [ya, yb] = encodeTarget(targetM[2 * i], targetM[2 * i + 1], rot, enc.targetStd);
    set.y[2 * i] = ya;
    set.y[2 * i + 1] = yb;
    set.cos[i] = rot.cos;
    set.sin[i] = rot.sin;
    set.scale[i] = rot.scale;
  }
}
