// The browser's threads, as src/cli/threads.ts is the command line's: how many to use; whether the
// training worker can split batches across them (shared memory needs a cross-origin isolated page;
// vite.config.ts sends the headers) and how it starts each (gradient.worker.ts), else it trains
// alone and says why; and how the evaluation worker forecasts a slice of windows in another
// (forecast.worker.ts, plain messages, so that works in any page).
import type {
  DeltaForecast,
  ForecastSliceRequest,
  ParallelOptions,
  RunForecastSlice,
  SpawnGradientWorker,
} from '../engine.ts';

/** More workers than this rarely pays for a batch of 64 windows. */
const MAX_THREADS = 8;

/** The threads to use here: the cores, at most MAX_THREADS. */
export function coresToUse(): number {
  const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(cores, MAX_THREADS));
}

/** What to train on, here: `wanted` threads where memory can be shared, else one; and a note saying which. */
export function trainingThreads(wanted: number): { parallel?: ParallelOptions; note: string } {
  if (wanted <= 1) return { note: 'on 1 thread' };
  if (!globalThis.crossOriginIsolated || typeof SharedArrayBuffer === 'undefined')
    return { note: 'on 1 thread (this page is not cross-origin isolated, so workers cannot share memory)' };
  return { parallel: { threads: wanted, spawn: spawnGradientWebWorker }, note: `on ${wanted} threads` };
}

/** Starts a gradient worker; a load or runtime error in it is reported as the failure. */
export const spawnGradientWebWorker: SpawnGradientWorker = (init, onFailure) => {
  const worker = new Worker(new URL('./gradient.worker.ts', import.meta.url), {
    type: 'module',
    name: `gradient ${init.index}`,
  });
  let terminated = false;
  worker.onerror = (e) => {
    e.preventDefault();
    if (!terminated) onFailure(e.message || 'the worker could not be loaded');
  };
  worker.onmessageerror = () => {
    if (!terminated) onFailure('the worker could not read its start message');
  };
  worker.postMessage(init);
  return {
    terminate: () => {
      terminated = true;
      worker.terminate();
    },
  };
};

/** Forecasts one slice of an evaluation's windows in a Web Worker of its own. */
export const runForecastSliceInWebWorker: RunForecastSlice = (req: ForecastSliceRequest) =>
  new Promise<DeltaForecast>((resolve, reject) => {
    const worker = new Worker(new URL('./forecast.worker.ts', import.meta.url), {
      type: 'module',
      name: `forecast from ${req.firstWindow}`,
    });
    worker.onmessage = (e: MessageEvent<DeltaForecast>) => {
      worker.terminate();
      resolve(e.data);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      reject(new Error(`the forecast worker for windows from ${req.firstWindow} failed: ${e.message}`));
    };
    worker.postMessage(req);
  });
