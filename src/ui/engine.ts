// The app's one seam to the engine: the types and functions the UI uses from src/data, src/geo,
// src/predict and src/model, re-exported from one place so components never reach further.
// Also constant velocity as a lat/lon Prediction, built from the same deltas the evaluator uses.
import type { Track } from '../data/track.ts';
import { baselinePrediction } from '../predict/baselinePrediction.ts';
import type { Prediction } from '../predict/prediction.ts';

export { readTracks, prepareTracks, ReadError, FORMAT_NAMES } from '../data/index.ts';
export type { Track, RejectedRow, ReadResult, CleanReport, FormatName } from '../data/index.ts';
export { distanceMeters, localProjection, type LatLon } from '../geo/index.ts';
export { Predictor } from '../predict/predictor.ts';
export type { Prediction } from '../predict/prediction.ts';
export { parseModelFile, type ModelFile } from '../model/modelFile.ts';

/** File extensions the loader reads, for the file button's `accept` hint (any file can still be tried). */
export const acceptedExtensions = ['.csv', '.txt', '.tsv', '.gpx', '.geojson', '.json', '.plt'];

/**
 * Constant velocity from points <= endIndex: the last observed delta (metres, on the plane tangent
 * at the previous point, as src/encode defines deltas) repeated `steps` times and decoded to lat/lon.
 */
export function constantVelocity(track: Track, endIndex: number, steps: number): Prediction {
  return baselinePrediction('cv', track, endIndex, steps, 1);
}
