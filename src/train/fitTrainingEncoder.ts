// The encoder (input normalization and target scale) of a training run, fitted on the training split
// only so validation and test never leak into it. Not the encoding itself (src/predict/windowInputs.ts).
import type { Track } from '../data/track.ts';
import { fitEncoder } from '../encode/fitEncoder.ts';
import type { ModelEncoder } from '../model/modelFile.ts';
import type { TrainOptions } from './trainOptions.ts';
import { buildWindows } from './windowSet.ts';

/**
 * The target scale comes from fitEncoder; the input mean and standard deviation are measured on the
 * windows exactly as the model sees them (after any alignment and window scaling), one per feature.
 */
export function fitTrainingEncoder(trainTracks: Track[], o: TrainOptions): ModelEncoder {
  const fitted = fitEncoder(trainTracks, {
    stepSeconds: o.stepSeconds,
    window: o.window,
    features: o.features,
  });
  const base: ModelEncoder = {
    ...fitted,
    features: [...o.features],
    align: o.align,
    scaleWindows: o.scaleWindows,
  } as ModelEncoder;
  const stats = featureStats(trainTracks, base);
  return {
    stepSeconds: o.stepSeconds,
    window: o.window,
    features: [...o.features],
    inputMean: stats.mean,
    inputStd: stats.std,
    targetStd: fitted.targetStd,
    align: o.align,
    scaleWindows: o.scaleWindows,
  };
}

/** Mean and standard deviation of each input feature over every step of every training window. */
function featureStats(tracks: Track[], enc: ModelEncoder): { mean: number[]; std: number[] } {
  const X = enc.features.length;
  const raw = { ...enc, inputMean: new Array(X).fill(0), inputStd: new Array(X).fill(1) };
  const set = buildWindows(tracks, raw);
  const sum = new Float64Array(X);
  const sq = new Float64Array(X);
  const rows = set.x.length / X;
  for (let r = 0; r < rows; r++)
    for (let f = 0; f < X; f++) {
      const v = set.x[r * X + f];
      sum[f] += v;
      sq[f] += v * v;
    }
  const mean = Array.from(sum, (s) => s / rows);
  const std = Array.from(sq, (s, f) => Math.sqrt(Math.max(s / rows - mean[f] * mean[f], 0)) || 1);
  return { mean, std };
}
