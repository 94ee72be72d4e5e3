// Fits the encoder's normalization on the TRAINING tracks only (validation and test statistics must
// not leak into the model): per-feature mean and standard deviation, and one target scale in metres.
import type { Track } from '../data/track.ts';
import {
  DEFAULT_FEATURES,
  FEATURE_NAMES,
  type EncoderSettings,
  type FeatureName,
} from './encoderSettings.ts';
import { rawFeature } from './featuresFromDeltas.ts';
import { deltasInto } from './trackDeltas.ts';

/**
 * Encoder settings fitted on `trainTracks` (already resampled to stepSeconds). A feature with no spread
 * (e.g. dt on resampled data) gets std 1 so it normalizes to 0 instead of dividing by zero.
 * targetStd = sqrt(mean(dx² + dy²) / 2): the RMS delta per axis, one scale so a direction keeps its angle.
 */
export function fitEncoder(
  trainTracks: Track[],
  opts: { stepSeconds: number; window: number; features?: FeatureName[] },
): EncoderSettings {
  const features = [...(opts.features ?? DEFAULT_FEATURES)];
  if (features[0] !== 'dx' || features[1] !== 'dy')
    throw new Error("encoder features must start with 'dx', 'dy'");
  for (const f of features) if (!FEATURE_NAMES.includes(f)) throw new Error(`unknown encoder feature '${f}'`);
  if (!(opts.stepSeconds > 0)) throw new Error(`stepSeconds must be positive; got ${opts.stepSeconds}`);
  if (!(opts.window >= 1 && Number.isInteger(opts.window)))
    throw new Error(`window must be a whole number ≥ 1; got ${opts.window}`);
  const X = features.length;
  const sum = new Float64Array(X);
  const sumSq = new Float64Array(X);
  let count = 0;
  let targetSq = 0;
  let longest = 0;
  for (const tr of trainTracks) longest = Math.max(longest, tr.t.length - 1);
  const deltas = new Float64Array(Math.max(0, longest) * 2); // (n, 2) metres, reused per track
  for (const tr of trainTracks) {
    const n = Math.max(0, tr.t.length - 1);
    deltasInto(deltas, tr.lat, tr.lon, n + 1);
    for (let i = 0; i < n; i++) {
      const dx = deltas[2 * i];
      const dy = deltas[2 * i + 1];
      targetSq += dx * dx + dy * dy;
      // Features 0 and 1 are always dx and dy (checked above).
      sum[0] += dx;
      sumSq[0] += dx * dx;
      sum[1] += dy;
      sumSq[1] += dy * dy;
      for (let f = 2; f < X; f++) {
        const v = rawFeature(features[f], dx, dy, opts.stepSeconds);
        sum[f] += v;
        sumSq[f] += v * v;
      }
    }
    count += n;
  }
  if (count === 0) throw new Error('no training deltas: every training track has fewer than two points');
  const inputMean: number[] = [];
  const inputStd: number[] = [];
  for (let f = 0; f < X; f++) {
    const mean = sum[f] / count;
    const std = Math.sqrt(Math.max(0, sumSq[f] / count - mean * mean));
    inputMean.push(mean);
    inputStd.push(std > 1e-9 * Math.max(1, Math.abs(mean)) ? std : 1);
  }
  const targetStd = Math.sqrt(targetSq / count / 2);
  return {
    stepSeconds: opts.stepSeconds,
    window: opts.window,
    features,
    inputMean,
    inputStd,
    targetStd: targetStd > 0 ? targetStd : 1,
  };
}
