// Data-parallel training's threads in Node: starts each gradient worker as a worker_threads Worker
// (entry gradientWorker.js) and turns its death into the failure the training loop reports. The
// engine side (src/train/threadedGradients.ts) knows nothing of Node; this is its Node adapter.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { GradientWorkerHandle, SpawnGradientWorker } from '../train/threadedGradients.ts';

/** More threads than this rarely pays for a batch of 64 windows; the user can still ask for more. */
const DEFAULT_MAX_THREADS = 8;

/** The default --threads: the cores this process may use, at most DEFAULT_MAX_THREADS. */
export function defaultThreads(): number {
  return Math.min(availableParallelism(), DEFAULT_MAX_THREADS);
}

/** Starts a gradient worker thread (gradientWorker.js). */
export const spawnGradientThread: SpawnGradientWorker = (init, onFailure) =>
  watchThread(new Worker(new URL('./gradientWorker.js', import.meta.url), { workerData: init }), onFailure);

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
