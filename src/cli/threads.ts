// The command line's threads: starts worker_threads (entry workerThread.js) for data-parallel
// training (gradient workers) and for batch prediction (forecast slices), and turns a thread's
// death into the failure the engine reports. The engine sides (src/train/threadedGradients.ts,
// src/predict/parallelForecast.ts) know nothing of Node; this is their Node adapter.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { OptionSpec } from './args.ts';
import type { DeltaForecast } from '../predict/deltaForecast.ts';
import type { ForecastSliceRequest, RunForecastSlice } from '../predict/parallelForecast.ts';
import type { GradientWorkerHandle, SpawnGradientWorker } from '../train/threadedGradients.ts';

/** More threads than this rarely pays for a batch of 64 windows; the user can still ask for more. */
const DEFAULT_MAX_THREADS = 8;

/** The default --threads: the cores this process may use, at most DEFAULT_MAX_THREADS. */
export function defaultThreads(): number {
  return Math.min(availableParallelism(), DEFAULT_MAX_THREADS);
}

/** `--threads N`, declared once for the commands that take it. */
export const threadsOptionSpec: OptionSpec = {
  name: 'threads',
  type: 'int',
  min: 1,
  max: 256,
  default: defaultThreads(),
  arg: 'N',
  help: 'threads to use (1 = this thread only); the output is the same at any count',
};

const entry = new URL('./workerThread.js', import.meta.url);

/** Starts a gradient worker thread. */
export const spawnGradientThread: SpawnGradientWorker = (init, onFailure) =>
  watchThread(new Worker(entry, { workerData: { kind: 'gradient', init } }), onFailure);

/** The handle of a started thread: an error or an exit before terminate() is reported as a failure. */
export function watchThread(worker: Worker, onFailure: (message: string) => void): GradientWorkerHandle {
  let terminated = false;
  worker.on('error', (e) => {
    if (!terminated) onFailure(e instanceof Error ? e.message : String(e));
  });
  worker.on('exit', (code) => {
    if (!terminated) onFailure(`the thread exited (code ${code})`);
  });
  return {
    terminate: () => {
      terminated = true;
      void worker.terminate();
    },
  };
}

/** Forecasts one slice in a thread of its own; rejects with the thread's error if it fails or dies first. */
export const runForecastSliceInThread: RunForecastSlice = (req: ForecastSliceRequest) =>
  new Promise<DeltaForecast>((resolve, reject) => {
    const worker = new Worker(entry, { workerData: { kind: 'forecast', init: req } });
    const handle = watchThread(worker, (message) =>
      reject(new Error(`the forecast thread for windows from ${req.firstWindow} failed: ${message}`)),
    );
    worker.once('message', (out: DeltaForecast) => {
      handle.terminate();
      resolve(out);
    });
  });
