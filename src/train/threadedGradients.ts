// Data-parallel gradients: each batch is split into N contiguous slices; this thread computes slice 0
// on the model being trained while N−1 workers (gradientWorker.ts) compute the others on their own
// models, all reading this step's weights from shared memory. The slices' gradients are summed in
// slice order into model.grads, so the same N gives the same numbers every run, and in float64 one
// thread's up to summation order. Commands go through Atomics on a shared control array, not
// messages. How a worker is started is the caller's (Node or the browser): see SpawnGradientWorker.
import type { FloatArray } from '../model/kernels.ts';
import type { Model } from '../model/model.ts';
import type { BatchGradient, BatchSpec, GradientComputer } from './gradients.ts';
import {
  allocateShared,
  CMD,
  COMPUTE,
  DONE,
  failureMessage,
  FORWARD,
  GEN,
  ROWS,
  sharedViews,
  sliceRows,
  STOP,
  type GradientWorkerInit,
} from './gradientShare.ts';

/** A started worker; terminate() must work at any time, even while it computes. */
export interface GradientWorkerHandle {
  terminate(): void;
}

/**
 * Starts one worker running runGradientWorker(init). `onFailure` is called if the worker dies,
 * fails to start or throws outside its loop (not after terminate()).
 */
export type SpawnGradientWorker = (
  init: GradientWorkerInit,
  onFailure: (message: string) => void,
) => GradientWorkerHandle;

export interface ParallelOptions {
  /** N: threads in all, this one included. */
  threads: number;
  spawn: SpawnGradientWorker;
}

/** How long one asynchronous wait for the workers lasts before the failure flags are looked at again. */
const WAIT_SLICE_MS = 1000;
/**
 * Where Atomics.waitAsync is missing (older Firefox), a blocking wait this long, then one turn of
 * the event loop so a dead worker's error event can arrive; never on a page's main thread.
 */
const SYNC_WAIT_MS = 50;

/** The threaded computer, which can also run batch inference across its threads. */
export interface ThreadedGradients extends GradientComputer {
  /**
   * Head outputs (rows, O) at the last step of the first `rows` rows of x, each slice on its thread:
   * model.forwardLast's numbers up to float32 rounding where a slice's edge changes the kernels' tiles.
   */
  forwardLast(rows: number): Promise<FloatArray>;
}

/** Starts N−1 workers for `model` and returns the computer that uses them with this thread. */
export function threadedGradients(
  model: Model,
  spec: BatchSpec,
  parallel: ParallelOptions,
): ThreadedGradients {
  const N = parallel.threads;
  const { T, X, Y, maxRows } = spec;
  const P = model.params.length;
  const L = model.architecture.numLayers;
  const O = model.outputSize;
  const buffers = allocateShared(model.dtype, N, { maxRows, T, X, Y, P, L, O });
  const v = sharedViews(buffers, model.dtype);
  const c = v.control;
  let failure: Error | null = null;
  let rejectFailed: (e: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => (rejectFailed = reject));
  failed.catch(() => {}); // observed through `failure` as well; never an unhandled rejection
  let closed = false;
  const fail = (index: number, message: string) => {
    if (closed || failure) return;
    // A worker that threw says why in shared memory; prefer that to how its thread ended.
    const reported = failureMessage(v);
    if (reported) ({ index, message } = reported);
    failure = new Error(`gradient worker ${index} of ${N - 1} failed: ${message}`);
    rejectFailed(failure);
  };
  const handles = Array.from({ length: N - 1 }, (_, i) => {
    const init: GradientWorkerInit = {
      architecture: model.architecture,
      dtype: model.dtype,
      loss: spec.loss,
      tbpttK: spec.tbpttK,
      threads: N,
      index: i + 1,
      maxRows,
      T,
      X,
      Y,
      P,
      buffers,
    };
    return parallel.spawn(init, (message) => fail(i + 1, message));
  });

  const waitForWorkers = async (): Promise<void> => {
    for (;;) {
      const done = Atomics.load(c, DONE);
      if (done >= N - 1) return;
      if (failure) throw failure;
      if (typeof Atomics.waitAsync === 'function') {
        const w = Atomics.waitAsync(c, DONE, done, WAIT_SLICE_MS);
        if (w.async) await Promise.race([w.value, failed]);
      } else if (Atomics.wait(c, DONE, done, SYNC_WAIT_MS) === 'timed-out')
        await new Promise((r) => setTimeout(r, 0)); // let a worker's error event in
    }
  };

  /** Runs `cmd` on `rows` rows: the workers on their slices, `own` on this thread's slice 0. */
  const run = async <R>(cmd: number, rows: number, own: (rows: number) => R): Promise<R> => {
    if (closed) throw new Error('the gradient workers were closed');
    if (failure) throw failure;
    v.weights.set(model.params);
    Atomics.store(c, ROWS, rows);
    Atomics.store(c, DONE, 0);
    Atomics.store(c, CMD, cmd);
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
    const result = own(sliceRows(rows, N, 0)[1]);
    await waitForWorkers();
    if (failureMessage(v)) fail(0, '');
    if (failure) throw failure;
    return result;
  };

  const compute = async (rows: number): Promise<BatchGradient> => {
    const res = await run(COMPUTE, rows, (own) =>
      model.lossAndGrad(v.x.subarray(0, own * T * X), v.y.subarray(0, own * Y), own, T, spec.loss, {
        tbpttK: spec.tbpttK,
        meanOverRows: rows,
      }),
    );
    const g = model.grads;
    let loss = res.loss;
    const squares = res.gradNormsByLayer.map((norms) => norms.map((n) => n * n));
    for (let k = 1; k < N; k++) {
      const [start, end] = sliceRows(rows, N, k);
      if (end === start) continue;
      const slot = v.grads.subarray((k - 1) * P, k * P);
      for (let i = 0; i < P; i++) g[i] += slot[i];
      const out = v.results.subarray((k - 1) * (1 + L * T), k * (1 + L * T));
      loss += out[0];
      for (let l = 0; l < L; l++) for (let t = 0; t < T; t++) squares[l][t] += out[1 + l * T + t];
    }
    return { loss, gradNormsByLayer: squares.map((s) => s.map(Math.sqrt)) };
  };

  const forwardLast = async (rows: number): Promise<FloatArray> => {
    const mine = await run(FORWARD, rows, (own) => model.forwardLast(v.x.subarray(0, own * T * X), own, T));
    v.out.set(mine);
    return v.out.slice(0, rows * O);
  };

  /** Any number of windows, maxRows at a time through the shared batch (which compute() refills). */
  const forward = async (windows: Float32Array, n: number): Promise<FloatArray> => {
    const out = model.dtype === 'float64' ? new Float64Array(n * O) : new Float32Array(n * O);
    for (let b0 = 0; b0 < n; b0 += maxRows) {
      const nb = Math.min(maxRows, n - b0);
      v.x.set(windows.subarray(b0 * T * X, (b0 + nb) * T * X));
      out.set(await forwardLast(nb), b0 * O);
    }
    return out;
  };

  return {
    x: v.x,
    y: v.y,
    compute,
    forward,
    forwardLast,
    close: () => {
      if (closed) return;
      closed = true;
      Atomics.store(c, CMD, STOP);
      Atomics.add(c, GEN, 1);
      Atomics.notify(c, GEN);
      for (const h of handles) h.terminate();
    },
  };
}
