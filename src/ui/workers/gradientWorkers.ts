// Data-parallel training's threads in the browser: how many the training worker may use and how it
// starts each one (a Web Worker running gradient.worker.ts). Shared memory needs a cross-origin
// isolated page (vite.config.ts sends the headers); without it training runs on one worker and
// says why. The Web Worker counterpart of src/cli/threads.ts.
import type { SpawnGradientWorker } from '../../train/threadedGradients.ts';

/** More workers than this rarely pays for a batch of 64 windows. */
const MAX_THREADS = 8;

/** The threads to train on here, and why only one when shared memory is unavailable. */
export function trainingThreads(): { threads: number; note: string } {
  const cores = Math.max(1, Math.min(navigator.hardwareConcurrency || 1, MAX_THREADS));
  if (!globalThis.crossOriginIsolated || typeof SharedArrayBuffer === 'undefined')
    return {
      threads: 1,
      note: 'on 1 thread: this page is not cross-origin isolated, so its workers cannot share memory',
    };
  return { threads: cores, note: `on ${cores} thread${cores === 1 ? '' : 's'}` };
}

/** Starts a gradient worker; a load or runtime error in it is reported as the failure. */
export const spawnGradientWebWorker: SpawnGradientWorker = (init, onFailure) => {
  const worker = new Worker(new URL('./gradient.worker.ts', import.meta.url), { type: 'module' });
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
