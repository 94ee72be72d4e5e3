// Fits the encoder's normalization on the TRAINING tracks only (validation and test statistics must
// not leak into the model): one target scale in metres, and per feature the mean and standard
// deviation of the inputs exactly as the model sees them. The one fit used by training and the bench.
import type { Track } from '../data/track.ts';
import {
  DEFAULT_FRAME_FLOOR_M,
  DEFAULT_FRAME_STEPS,
  FEATURE_NAMES,
  TARGET_KINDS,
  type EncoderSettings,
} from './encoderSettings.ts';
import { encodeWindow } from './encodeWindow.ts';
import { deltasInto, trackDeltas } from './trackDeltas.ts';
import { windowEnds } from './windowEnds.ts';
import { windowFrame } from './windowFrame.ts';

/** What fitEncoder is told; it measures inputMean, inputStd and targetStd. */
export type EncoderChoice = Omit<EncoderSettings, 'inputMean' | 'inputStd' | 'targetStd'>;

/**
 * Encoder settings fitted on `trainTracks` (already resampled to stepSeconds).
 * targetStd = sqrt(mean(dx² + dy²) / 2) over every delta: the RMS delta per axis, one scale so a
 * direction keeps its angle ('cv-residual': 1, its frame's scale is already in metres). inputMean and inputStd are measured over every step of every training
 * window (W observed deltas and a next one) after its frame (align, scaleWindows) and Float32 rounding,
 * as the model sees them; a feature without spread (std exactly 0, e.g. dt on resampled data) gets
 * std 1, so it normalizes to 0 instead of dividing by zero.
 */
export function fitEncoder(trainTracks: Track[], choice: EncoderChoice): EncoderSettings {
  const { stepSeconds, window: W, features } = choice;
  if (features[0] !== 'dx' || features[1] !== 'dy')
    throw new Error("encoder features must start with 'dx', 'dy'");
  for (const f of features) if (!FEATURE_NAMES.includes(f)) throw new Error(`unknown encoder feature '${f}'`);
  if (!(stepSeconds > 0)) throw new Error(`stepSeconds must be positive; got ${stepSeconds}`);
  if (!(W >= 1 && Number.isInteger(W))) throw new Error(`window must be a whole number ≥ 1; got ${W}`);
  const target = choice.target ?? 'delta';
  if (!TARGET_KINDS.includes(target)) throw new Error(`unknown target '${String(target)}'`);
  const residual = target === 'cv-residual';
  if (residual && (choice.align || choice.scaleWindows))
    throw new Error(
      'the cv-residual target has its own frame: align and scaleWindows are for the delta target',
    );
  const frame = residual
    ? {
        frameFloorM: choice.frameFloorM ?? DEFAULT_FRAME_FLOOR_M,
        frameSteps: choice.frameSteps ?? DEFAULT_FRAME_STEPS,
      }
    : {};
  if (residual && !(frame.frameFloorM! > 0))
    throw new Error(`frameFloorM must be a positive number of metres; got ${frame.frameFloorM}`);
  if (residual && !(Number.isInteger(frame.frameSteps) && frame.frameSteps! >= 1))
    throw new Error(`frameSteps must be a whole number ≥ 1; got ${frame.frameSteps}`);
  const targetStd = residual ? 1 : rmsDeltaPerAxis(trainTracks);
  const stats = inputStats(trainTracks, { ...choice, targetStd, target, ...frame });
  return {
    stepSeconds,
    window: W,
    features: [...features],
    inputMean: stats.mean,
    inputStd: stats.std,
    targetStd,
    align: choice.align,
    scaleWindows: choice.scaleWindows,
    target,
    ...frame,
  };
}

/** sqrt(mean(dx² + dy²) / 2) metres over every delta of the tracks (1 if they never move). */
function rmsDeltaPerAxis(tracks: Track[]): number {
  let count = 0;
  let targetSq = 0;
  let longest = 0;
  for (const tr of tracks) longest = Math.max(longest, tr.t.length - 1);
  const deltas = new Float64Array(Math.max(0, longest) * 2); // (n, 2) metres, reused per track
  for (const tr of tracks) {
    const n = Math.max(0, tr.t.length - 1);
    deltasInto(deltas, tr.lat, tr.lon, n + 1);
    for (let i = 0; i < n; i++)
      targetSq += deltas[2 * i] * deltas[2 * i] + deltas[2 * i + 1] * deltas[2 * i + 1];
    count += n;
  }
  if (count === 0) throw new Error('no training deltas: every training track has fewer than two points');
  const targetStd = Math.sqrt(targetSq / count / 2);
  return targetStd > 0 ? targetStd : 1;
}

/** Mean and standard deviation of each input feature over every step of every training window (H = 1). */
function inputStats(
  tracks: Track[],
  enc: Omit<EncoderSettings, 'inputMean' | 'inputStd'>,
): { mean: number[]; std: number[] } {
  const W = enc.window;
  const X = enc.features.length;
  const raw: EncoderSettings = { ...enc, inputMean: new Array(X).fill(0), inputStd: new Array(X).fill(1) };
  const { track, end } = windowEnds(tracks, W, 1);
  const scratch = new Float64Array(W * 2);
  const x = new Float32Array(W * X); // (W,X) unnormalized inputs
  const sum = new Float64Array(X);
  const sq = new Float64Array(X);
  let ti = -1;
  let d: Float64Array = new Float64Array(0); // (P−1, 2) metres of track ti; window i observes deltas end−W … end−1
  for (let i = 0; i < end.length; i++) {
    if (track[i] !== ti) {
      ti = track[i];
      d = trackDeltas(tracks[ti]).deltas;
    }
    const o = 2 * (end[i] - W);
    encodeWindow(x, 0, d, o, raw, scratch, windowFrame(d, o, raw));
    for (let r = 0; r < W; r++)
      for (let f = 0; f < X; f++) {
        const v = x[r * X + f];
        sum[f] += v;
        sq[f] += v * v;
      }
  }
  const rows = end.length * W;
  const mean = Array.from(sum, (s) => s / rows);
  const std = Array.from(sq, (s, f) => Math.sqrt(Math.max(s / rows - mean[f] * mean[f], 0)) || 1);
  return { mean, std };
}
