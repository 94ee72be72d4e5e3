// The baselines on tracks, in the Predictor's Prediction shape (lat/lon points, σ for the Kalman
// filter), so the app can draw them beside the model. The forecasting itself is in baselines.ts.
import type { Track } from '../data/track.ts';
import { baselineForecast, type BaselineName } from './baselines.ts';
import type { Prediction } from './prediction.ts';
import { trackPrediction } from './trackPrediction.ts';

/** The next `steps` locations after point endIndex (points at or before it only), W observed deltas. */
export function baselinePrediction(
  name: BaselineName,
  track: Track,
  endIndex: number,
  steps: number,
  W = 10,
): Prediction {
  return trackPrediction(track, endIndex, W, steps, (past) => baselineForecast(name, past, W, steps));
}
