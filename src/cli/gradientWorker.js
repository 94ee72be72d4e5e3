// The entry of one gradient worker thread of `whereto train --threads N`: registers tsx the way
// bin.js does, so the worker runs the same TypeScript sources, then serves the training thread
// (src/train/gradientWorker.ts) until it is told to stop or terminated.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runGradientWorker } = await import('../train/gradientWorker.ts');
runGradientWorker(workerData);
