// One gradient worker of in-browser data-parallel training: the training worker starts N−1 of
// these (threads.ts) and posts each its GradientWorkerInit, with the shared buffers. From
// then on it serves the training worker through shared memory (src/train/gradientWorker.ts),
// blocked in Atomics.wait between batches, until it is told to stop or terminated.
import { runGradientWorker, type GradientWorkerInit } from '../engine.ts';

self.onmessage = (event: MessageEvent<GradientWorkerInit>) => {
  runGradientWorker(event.data);
};
