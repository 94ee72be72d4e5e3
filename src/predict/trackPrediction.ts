// A forecast of deltas turned into a Prediction on a track: the W deltas observed up to point
// endIndex go in, the forecast deltas come out as lat/lon points from that point, with σ and ρ when
// the forecaster gives them. Shared by the model (Predictor) and the baselines; no forecasting here.
import type { Track } from '../data/track.ts';
import { decodeDeltas } from '../encode/trackDeltas.ts';
import { windowDeltas } from '../encode/windowDeltas.ts';
import type { DeltaForecast } from './deltaForecast.ts';
import type { Prediction } from './prediction.ts';

/**
 * The next `steps` locations after point endIndex (points at or before it only): `forecast` gets the
 * last W deltas (W,2) in metres and returns `steps` deltas, decoded from the point at endIndex.
 */
export function trackPrediction(
  track: Track,
  endIndex: number,
  W: number,
  steps: number,
  forecast: (past: Float64Array) => DeltaForecast,
): Prediction {
  const past = new Float64Array(W * 2);
  windowDeltas(track, endIndex, W, past, 0);
  const f = forecast(past);
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
