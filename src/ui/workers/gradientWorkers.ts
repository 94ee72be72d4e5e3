// Data-parallel training's threads in the browser: how many the page asks for, whether the training
// worker can have them (shared memory needs a cross-origin isolated page; vite.config.ts sends the
// headers) and how it starts each one (a Web Worker running gradient.worker.ts). Without isolation
// training runs on the training worker alone and says why. The browser's src/cli/threads.ts.
import type { ParallelOptions, SpawnGradientWorker } from '../engine.ts';

/** More workers than this rarely pays for a batch of 64 windows. */
const MAX_THREADS = 8;

/** The threads the page asks training to use: its cores, at most MAX_THREADS. */
export function coresForTraining(): number {
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
