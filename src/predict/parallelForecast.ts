// Batch prediction across threads: the windows of a forecast are split into contiguous slices that
// start at multiples of the forecast's chunk (forecastChunkWindows), so every slice makes the model
// calls the whole forecast would and the merged result is one thread's to the last bit. This thread
// forecasts slice 0; each other slice is a request a worker answers with forecastSlice(). How a
// request reaches a worker (worker_threads, a Web Worker) is the caller's: see RunForecastSlice.
import type { EncoderSettings } from '../encode/encoderSettings.ts';
import { createModel } from '../model/model.ts';
import type { ModelArchitecture } from '../model/modelFile.ts';
import { sliceRows } from '../train/gradientShare.ts';
import type { DeltaForecast } from './deltaForecast.ts';
import { forecastChunkWindows, Predictor, type ForecastOptions } from './predictor.ts';
import type { Shrinkage } from './shrinkage.ts';

/** One slice of a forecast: everything a worker needs, structured-cloneable. */
export interface ForecastSliceRequest {
  architecture: ModelArchitecture;
  weights: Float32Array;
  /** An ensemble's further members' weights (empty for one network). */
  members: Float32Array[];
  encoder: EncoderSettings;
  shrinkage: Shrinkage | null;
  /** false = the raw network rollout (ForecastOptions.shrink). */
  shrink: boolean;
  /** (B, W, 2) observed deltas in metres of this slice's windows. */
  past: Float64Array;
  B: number;
  steps: number;
  samples: number;
  seed: number;
  /** Index of the slice's first window in the whole forecast. */
  firstWindow: number;
}

/** Answers a request in a worker; rejects if the worker fails or dies. */
export type RunForecastSlice = (req: ForecastSliceRequest) => Promise<DeltaForecast>;

export interface ParallelForecastOptions {
  threads: number;
  run: RunForecastSlice;
  /**
   * Model rows × steps a thread must have before another thread is started (starting one costs about
   * as much as this many rows; default 65,536). Tests lower it to force threads on small inputs.
   */
  minWorkPerThread?: number;
}

const DEFAULT_MIN_WORK_PER_THREAD = 65536;

/** The worker's side: the forecast of one slice. */
export function forecastSlice(req: ForecastSliceRequest): DeltaForecast {
  const build = (weights: Float32Array) => {
    const model = createModel(req.architecture);
    model.params.set(weights);
    return model;
  };
  return new Predictor(build(req.weights), req.encoder, req.shrinkage, req.members.map(build)).forecast(
    req.past,
    req.B,
    req.steps,
    {
      samples: req.samples,
      seed: req.seed,
      shrink: req.shrink,
      firstWindow: req.firstWindow,
    },
  );
}

/** predictor.forecast(past, B, steps, opts) computed on up to `threads` threads; the same numbers. */
export async function parallelForecast(
  predictor: Predictor,
  past: Float64Array,
  B: number,
  steps: number,
  opts: ForecastOptions,
  parallel: ParallelForecastOptions,
): Promise<DeltaForecast> {
  const samples = Math.max(0, Math.floor(opts.samples ?? predictor.uncertaintySamples));
  const seed = opts.seed ?? 1;
  const chunk = forecastChunkWindows(predictor.gaussian, samples);
  const chunks = Math.ceil(B / chunk);
  const work = B * steps * (predictor.gaussian && samples > 0 ? 1 + samples : 1);
  const minWork = parallel.minWorkPerThread ?? DEFAULT_MIN_WORK_PER_THREAD;
  const N = Math.max(1, Math.min(parallel.threads, chunks, Math.floor(work / minWork)));
  const W = predictor.encoder.window;
  const windows = (k: number): [number, number] => {
    const [c0, c1] = sliceRows(chunks, N, k);
    return [c0 * chunk, Math.min(c1 * chunk, B)];
  };
  const requests = Array.from({ length: N - 1 }, (_, i) => {
    const [w0, w1] = windows(i + 1);
    return parallel.run({
      architecture: predictor.architecture,
      weights: Float32Array.from(predictor.model.params),
      members: predictor.members.map((m) => Float32Array.from(m.params)),
      encoder: predictor.encoder,
      shrinkage: predictor.shrinkage,
      shrink: opts.shrink ?? true,
      past: past.slice(w0 * W * 2, w1 * W * 2),
      B: w1 - w0,
      steps,
      samples,
      seed,
      firstWindow: w0,
    });
  });
  // Every request is awaited below, so none may reject unobserved while this thread computes.
  requests.forEach((r) => r.catch(() => {}));
  const [, own] = windows(0);
  const first = predictor.forecast(past.subarray(0, own * W * 2), own, steps, {
    samples,
    seed,
    shrink: opts.shrink,
  });
  const parts = [first, ...(await Promise.all(requests))];
  const out: DeltaForecast = { dxM: new Float64Array(B * steps), dyM: new Float64Array(B * steps) };
  const keys = ['dxM', 'dyM', 'sigmaXM', 'sigmaYM', 'rho'] as const;
  parts.forEach((part, k) => {
    const [w0] = windows(k);
    for (const key of keys) {
      const values = part[key];
      if (!values) continue;
      (out[key] ??= new Float64Array(B * steps)).set(values, w0 * steps);
    }
  });
  return out;
}
