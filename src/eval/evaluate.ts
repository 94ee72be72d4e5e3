// Batch evaluation: every window of the given tracks (W observed steps, H future, at the model's
// step), the model's rollout beside the baselines (constant velocity, last position, Kalman), errors
// as great-circle distances in metres (Turf). Tracks must already be resampled at the model's step.
import type { Track } from '../data/track.ts';
import { decodeDeltas } from '../encode/trackDeltas.ts';
import { windowDeltas } from '../encode/windowDeltas.ts';
import { windowEnds } from '../encode/windowEnds.ts';
import { distanceMeters, localProjection } from '../geo/index.ts';
import type { ModelFile } from '../model/modelFile.ts';
import { baselineForecast, type BaselineName } from '../predict/baselines.ts';
import type { DeltaForecast } from '../predict/deltaForecast.ts';
import { Predictor } from '../predict/predictor.ts';
import type { EvalResult, ModelScores, WindowDetail } from './evalResult.ts';
import { summarizeErrors, summarizeGaussian } from './metrics.ts';

export interface EvalOptions {
  /** Future steps per window (default 5). */
  horizon?: number;
}

export const BASELINES: BaselineName[] = ['cv', 'last', 'kalman'];

/** The windows of an evaluation and their observed deltas: past (n, W, 2) metres. */
export interface EvalWindows {
  n: number;
  W: number;
  H: number;
  track: Int32Array;
  end: Int32Array;
  past: Float64Array;
}

/** Every window of tracks with W observed and H future steps (or only `subset` of them) and its observed deltas. */
export function evalWindows(
  tracks: Track[],
  W: number,
  H: number,
  subset?: { track: Int32Array; end: Int32Array },
): EvalWindows {
  const { track, end } = subset ?? windowEnds(tracks, W, H);
  const n = end.length;
  const past = new Float64Array(n * W * 2);
  for (let i = 0; i < n; i++) windowDeltas(tracks[track[i]], end[i], W, past, i * W * 2);
  return { n, W, H, track, end, past };
}

/**
 * Evaluates predictor (or only the baselines when null) on every window of tracks, or only on
 * `windows` (a subset of windowEnds(tracks, W, H), e.g. verdict.ts's sample). W is the predictor's
 * window, else `window`. Returns the summary (the eval --json shape) and per-window detail.
 */
export function evaluateWindows(
  predictor: Predictor | null,
  tracks: Track[],
  opts: {
    horizon: number;
    window?: number;
    stepSeconds: number;
    windows?: { track: Int32Array; end: Int32Array };
  },
): { result: EvalResult; detail: WindowDetail } {
  const W = predictor ? predictor.encoder.window : (opts.window ?? 10);
  const windows = evalWindows(tracks, W, opts.horizon, opts.windows);
  const model = predictor ? predictor.forecast(windows.past, windows.n, opts.horizon) : null;
  return scoreWindows(tracks, windows, model, opts.stepSeconds);
}

/**
 * Scores the model's forecast of `windows` (computed elsewhere, or null for baselines only) beside
 * the baselines: the summary and the per-window detail of evaluateWindows.
 */
export function scoreWindows(
  tracks: Track[],
  windows: EvalWindows,
  model: DeltaForecast | null,
  stepSeconds: number,
): { result: EvalResult; detail: WindowDetail } {
  const { n, W, H, track, end, past } = windows;
  const forecasts: Record<string, DeltaForecast> = {};
  if (model) forecasts.model = model;
  for (const name of BASELINES) forecasts[name] = batchBaseline(name, past, n, W, H);

  const detail: WindowDetail = {
    n,
    H,
    trackId: Array.from(track, (ti) => tracks[ti].id),
    endIndex: end,
    endTime: Float64Array.from(end, (e, i) => tracks[track[i]].t[e]),
    predictions: {},
  };
  const models: Record<string, ModelScores> = {};
  for (const [name, f] of Object.entries(forecasts)) {
    const lat = new Float64Array(n * H);
    const lon = new Float64Array(n * H);
    const errorM = new Float64Array(n * H);
    const ex = f.sigmaXM ? new Float64Array(n * H) : null;
    const ey = f.sigmaXM ? new Float64Array(n * H) : null;
    const deltas = new Float64Array(H * 2);
    for (let i = 0; i < n; i++) {
      const t = tracks[track[i]];
      const e = end[i];
      for (let k = 0; k < H; k++) {
        deltas[2 * k] = f.dxM[i * H + k];
        deltas[2 * k + 1] = f.dyM[i * H + k];
      }
      const pos = decodeDeltas(t.lat[e], t.lon[e], deltas, H);
      // Gaussian scores compare truth and prediction on the plane tangent at the last observed point
      const proj = ex ? localProjection({ lat: t.lat[e], lon: t.lon[e] }) : null;
      for (let k = 0; k < H; k++) {
        const j = i * H + k;
        const p = { lat: pos.lat[k], lon: pos.lon[k] };
        const truth = { lat: t.lat[e + k + 1], lon: t.lon[e + k + 1] };
        lat[j] = p.lat;
        lon[j] = p.lon;
        errorM[j] = distanceMeters(p, truth);
        if (proj && ex && ey) {
          const q = proj.toXY(truth.lat, truth.lon);
          const r = proj.toXY(p.lat, p.lon);
          ex[j] = q.xM - r.xM;
          ey[j] = q.yM - r.yM;
        }
      }
    }
    detail.predictions[name] = { lat, lon, errorM };
    models[name] = n > 0 ? summarizeErrors(errorM, n, H) : { perHorizon: [], adeM: NaN, fdeM: NaN };
    if (ex && ey && n > 0)
      Object.assign(models[name], summarizeGaussian(ex, ey, f.sigmaXM!, f.sigmaYM!, f.rho!, n, H));
  }
  return { result: { windows: n, horizon: H, stepSeconds, models }, detail };
}

function batchBaseline(
  name: BaselineName,
  past: Float64Array,
  n: number,
  W: number,
  H: number,
): DeltaForecast {
  const out: DeltaForecast = { dxM: new Float64Array(n * H), dyM: new Float64Array(n * H) };
  for (let i = 0; i < n; i++) {
    const f: DeltaForecast = baselineForecast(name, past.subarray(i * W * 2, (i + 1) * W * 2), W, H);
    out.dxM.set(f.dxM, i * H);
    out.dyM.set(f.dyM, i * H);
    if (f.sigmaXM && f.sigmaYM && f.rho) {
      // the Kalman filter's predictive σ is scored like a Gaussian head's
      out.sigmaXM ??= new Float64Array(n * H);
      out.sigmaYM ??= new Float64Array(n * H);
      out.rho ??= new Float64Array(n * H);
      out.sigmaXM.set(f.sigmaXM, i * H);
      out.sigmaYM.set(f.sigmaYM, i * H);
      out.rho.set(f.rho, i * H);
    }
  }
  return out;
}

/** The contract's evaluate(): the model file's rollout and the baselines on tracks at its step. */
export function evaluate(modelFile: ModelFile, tracks: Track[], opts: EvalOptions = {}): EvalResult {
  return evaluateWindows(Predictor.fromModelFile(modelFile), tracks, {
    horizon: opts.horizon ?? 5,
    stepSeconds: modelFile.encoder.stepSeconds,
  }).result;
}
