// What the map and the sidebar show at the slider: the observed window, the true future, the
// model's and constant velocity's next K points, and their errors in metres. Pure given a
// predictor; knows nothing of Leaflet or Svelte.
import {
  constantVelocity,
  distanceMeters,
  type LatLon,
  type Prediction,
  type Predictor,
  type Track,
} from '../engine.ts';
import { sliderWindow, type SliderWindow } from './sliderWindow.ts';

export interface PredictionView {
  track: Track;
  window: SliderWindow;
  /** Points observedStart..endIndex. */
  observed: LatLon[];
  /** Points endIndex..futureEnd (starts at the last observed point so the dashed line joins). */
  truth: LatLon[];
  model: Prediction | null;
  cv: Prediction;
  /** Error of predicted point k against the true point endIndex + 1 + k, metres (only where both exist). */
  modelErrorsM: number[];
  cvErrorsM: number[];
  modelError?: string;
}

function pointsOf(track: Track, from: number, to: number): LatLon[] {
  const out: LatLon[] = [];
  for (let i = from; i <= to; i++) out.push({ lat: track.lat[i], lon: track.lon[i] });
  return out;
}

/** Distances between predicted points and the true future, step by step (metres). */
export function errorsMeters(pred: readonly LatLon[], truthAfterEnd: readonly LatLon[]): number[] {
  const n = Math.min(pred.length, truthAfterEnd.length);
  const out: number[] = [];
  for (let k = 0; k < n; k++) out.push(distanceMeters(pred[k], truthAfterEnd[k]));
  return out;
}

/**
 * The view at `endIndex` of `track` with `horizon` predicted steps. `live` (from the live
 * stepper, already computed for this endIndex) replaces the model's windowed prediction.
 */
export function predictionView(
  track: Track,
  endIndex: number,
  horizon: number,
  predictor: Predictor | null,
  live: Prediction | null = null,
): PredictionView {
  const window = sliderWindow(track.t.length, endIndex, predictor?.encoder.window ?? 10, horizon);
  const truth = pointsOf(track, window.endIndex, window.futureEnd);
  const after = truth.slice(1);
  let model: Prediction | null = live;
  let modelError: string | undefined;
  if (!model && predictor) {
    try {
      model = predictor.predictTrack(track, window.endIndex, horizon);
    } catch (err) {
      modelError = err instanceof Error ? err.message : String(err);
    }
  }
  const cv = constantVelocity(track, window.endIndex, horizon);
  return {
    track,
    window,
    observed: pointsOf(track, window.observedStart, window.endIndex),
    truth,
    model,
    cv,
    modelErrorsM: model ? errorsMeters(model.points, after) : [],
    cvErrorsM: errorsMeters(cv.points, after),
    modelError,
  };
}
