// The baselines on tracks, in the Predictor's Prediction shape (lat/lon points, σ for the Kalman
// filter), so the app can draw them beside the model. The forecasting itself is in baselines.ts.
import type { Track } from '../data/track.ts';
import { decodeDeltas } from '../encode/trackDeltas.ts';
import { baselineForecast, type BaselineName } from './baselines.ts';
import type { Prediction } from './predictor.ts';
import { windowDeltas } from './windowDeltas.ts';

/** The next `steps` locations after point endIndex (points at or before it only), W observed deltas. */
export function baselinePrediction(
  name: BaselineName,
  track: Track,
  endIndex: number,
  steps: number,
  W = 10,
): Prediction {
  const past = new Float64Array(W * 2);
  windowDeltas(track, endIndex, W, past, 0);
  const f = baselineForecast(name, past, W, steps);
  const deltas = new Float64Array(steps * 2);
  for (let k = 0; k < steps; k++) {
    deltas[2 * k] = f.dxM[k];
    deltas[2 * k + 1] = f.dyM[k];
  }
  const pos = decodeDeltas(track.lat[endIndex], track.lon[endIndex], deltas, steps);
  const p: Prediction = { points: Array.from(pos.lat, (lat, k) => ({ lat, lon: pos.lon[k] })) };
  if (f.sigmaXM && f.sigmaYM && f.rho) {
    p.sigmaXM = Array.from(f.sigmaXM);
    p.sigmaYM = Array.from(f.sigmaYM);
    p.rho = Array.from(f.rho);
  }
  return p;
}
