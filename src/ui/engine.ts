// The app's one seam to the engine: everything src/ui uses from src/data, src/geo, src/model,
// src/predict, src/train and src/eval, re-exported here; no other file of src/ui imports those
// folders (an ESLint rule in eslint.config.js fails the check if one does). Also constant velocity
// as a lat/lon Prediction, built from the same deltas the evaluator uses.
import type { Track } from '../data/track.ts';
import { baselinePrediction } from '../predict/baselinePrediction.ts';
import type { Prediction } from '../predict/prediction.ts';

export { readTracks, prepareTracks, ReadError, FORMAT_NAMES } from '../data/index.ts';
export type { Track, RejectedRow, ReadResult, CleanReport, FormatName } from '../data/index.ts';
export { distanceMeters, localProjection, type LatLon } from '../geo/index.ts';
export { Predictor } from '../predict/predictor.ts';
export { shrinkageSummary } from '../predict/shrinkage.ts';
export type { Prediction } from '../predict/prediction.ts';
export {
  bestEpochs,
  networkCount,
  parseModelFile,
  serializeModelFile,
  validationErrorM,
  type ModelFile,
} from '../model/modelFile.ts';
export { ensembleProblem } from '../model/architecture.ts';
export { trainOnTracks } from '../train/trainOnTracks.ts';
export type { ParallelOptions, SpawnGradientWorker } from '../train/threadedGradients.ts';
export type { GradientWorkerInit } from '../train/gradientShare.ts';
export { runGradientWorker } from '../train/gradientWorker.ts';
export { DEFAULT_TRAIN_OPTIONS, type TrainOptions } from '../train/trainOptions.ts';
export { trainOptionTable, type FormField } from '../train/trainOptionTable.ts';
export { evalWindows, scoreWindows } from '../eval/evaluate.ts';
export {
  forecastSlice,
  parallelForecast,
  type ForecastSliceRequest,
  type ParallelForecastOptions,
  type RunForecastSlice,
} from '../predict/parallelForecast.ts';
export type { DeltaForecast } from '../predict/deltaForecast.ts';
export type { EvalResult } from '../eval/evalResult.ts';
export { quickVerdict, formatRatio, type Verdict, type VerdictStep } from '../eval/verdict.ts';
export { recordedSplit } from '../eval/recordedSplit.ts';
export { csvField } from '../eval/csvField.ts';

/** File extensions the loader reads, for the file button's `accept` hint (any file can still be tried). */
export const acceptedExtensions = ['.csv', '.txt', '.tsv', '.gpx', '.geojson', '.json', '.plt'];

/**
 * Constant velocity from points <= endIndex: the last observed delta (metres, on the plane tangent
 * at the previous point, as src/encode defines deltas) repeated `steps` times and decoded to lat/lon.
 */
export function constantVelocity(track: Track, endIndex: number, steps: number): Prediction {
  return baselinePrediction('cv', track, endIndex, steps, 1);
}
