// Training and validation windows as one flat set: the encoded model inputs and targets plus the raw
// deltas and frames kept to re-encode augmented draws and to decode predictions back to metres.
// Not the evaluation windows (src/eval rolls the Predictor over windowEnds instead).
import type { Track } from '../data/track.ts';
import { encodeTarget } from './encodeTarget.ts';
import type { EncoderSettings } from './encoderSettings.ts';
import { encodeWindow } from './encodeWindow.ts';
import { trackDeltas } from './trackDeltas.ts';
import { windowEnds } from './windowEnds.ts';
import { windowFrame, type WindowFrame } from './windowFrame.ts';

/**
 * Training windows: inputs x (n,W,X), normalized targets y (n,2H), the raw target deltas and each
 * window's frame. H = 1 for a one-step head; H = K for a direct head, whose target k (1…K) is the
 * displacement after k steps (encodeTarget's `steps`).
 */
export interface WindowSet {
  n: number;
  /** Future steps per window. */
  H: number;
  x: Float32Array;
  y: Float32Array;
  targetM: Float64Array; // (n,H,2) true next H deltas, metres, world frame
  frames: WindowFrame[];
  /** (n,W,2) observed deltas, metres, world frame (kept for per-epoch augmentation). */
  pastM: Float64Array;
}

/** Every full window (W observed deltas and the next H) of every track, encoded with enc. */
export function buildWindows(tracks: Track[], enc: EncoderSettings, H = 1): WindowSet {
  const W = enc.window;
  const X = enc.features.length;
  const { track, end } = windowEnds(tracks, W, H);
  const n = end.length;
  const set: WindowSet = {
    n,
    H,
    x: new Float32Array(n * W * X),
    y: new Float32Array(n * 2 * H),
    targetM: new Float64Array(n * 2 * H),
    frames: new Array<WindowFrame>(n),
    pastM: new Float64Array(n * W * 2),
  };
  // Each track's deltas once, then windows are slices: window i observes deltas end−W … end−1
  // and its targets are deltas end … end+H−1 (the same numbers windowDeltas gives, without W-fold projections).
  let ti = -1;
  let d: Float64Array = new Float64Array(0); // (P−1, 2) metres of track ti
  for (let i = 0; i < n; i++) {
    if (track[i] !== ti) {
      ti = track[i];
      d = trackDeltas(tracks[ti]).deltas;
    }
    const e = end[i];
    set.pastM.set(d.subarray(2 * (e - W), 2 * e), i * W * 2);
    set.targetM.set(d.subarray(2 * e, 2 * (e + H)), 2 * H * i);
  }
  encodeSet(set, set.pastM, set.targetM, enc);
  return set;
}

/** Encodes windows from (n,W,2) deltas and (n,H,2) targets in metres into set.x, set.y and the frames. */
export function encodeSet(
  set: WindowSet,
  pastM: Float64Array,
  targetM: Float64Array,
  enc: EncoderSettings,
): void {
  const W = enc.window;
  const H = set.H;
  const scratch = new Float64Array(W * 2);
  for (let i = 0; i < set.n; i++) {
    const frame = windowFrame(pastM, i * W * 2, enc);
    encodeWindow(set.x, i, pastM, i * W * 2, enc, scratch, frame);
    let sx = 0;
    let sy = 0;
    for (let k = 0; k < H; k++) {
      sx += targetM[2 * (H * i + k)];
      sy += targetM[2 * (H * i + k) + 1];
      const [ya, yb] = encodeTarget(sx, sy, frame, enc.targetStd, k + 1);
      set.y[2 * (H * i + k)] = ya;
      set.y[2 * (H * i + k) + 1] = yb;
    }
    set.frames[i] = frame;
  }
}
