// Where fit() gets each batch's loss and gradient: the layer between the training loop and the
// threads. The local computer runs the model on the whole batch on this thread (what `--threads 1`
// means); the threaded one (threadedGradients.ts) splits it across workers and sums their gradients.
// Both leave the batch's gradient in model.grads, so clipping and Adam stay in fit(), on one thread.
import type { LossKind } from '../model/architecture.ts';
import type { FloatArray } from '../model/kernels.ts';
import type { Model } from '../model/model.ts';
import { threadedGradients, type ParallelOptions } from './threadedGradients.ts';

/** The shape of the batches one training run computes gradients for. */
export interface BatchSpec {
  /** B: the largest batch. */
  maxRows: number;
  T: number;
  X: number;
  /** Target numbers per row: 2 for `_last` losses, T·2 for `_all`. */
  Y: number;
  loss: LossKind;
  /** Truncated BPTT chunk length (0 = full BPTT). */
  tbpttK: number;
}

export interface BatchGradient {
  /** The mean loss over the batch. */
  loss: number;
  /** ‖∂L/∂h_t‖ over the batch for every layer (bottom first) and step. */
  gradNormsByLayer: Float64Array[];
}

/** Head outputs (n,O) at the last step of n windows x (n,T,X), e.g. for a validation score. */
export type BatchForward = (x: Float32Array, n: number) => FloatArray | Promise<FloatArray>;

export interface GradientComputer {
  /** The batch the caller fills before compute(): x (B,T,X) batch-first, y (B,Y). */
  readonly x: Float32Array;
  readonly y: Float32Array;
  /** Loss and gradient of the first `rows` rows of x, y; the gradient is left in model.grads. */
  compute(rows: number): BatchGradient | Promise<BatchGradient>;
  /** model.forwardLast on the same threads (any n; the current weights). */
  forward: BatchForward;
  /** Releases the threads (idempotent); call it however training ends. */
  close(): void;
}

/** The whole batch on this thread: model.lossAndGrad, nothing else. */
export function localGradients(model: Model, spec: BatchSpec): GradientComputer {
  const x = new Float32Array(spec.maxRows * spec.T * spec.X);
  const y = new Float32Array(spec.maxRows * spec.Y);
  return {
    x,
    y,
    compute: (rows) => model.lossAndGrad(x, y, rows, spec.T, spec.loss, { tbpttK: spec.tbpttK }),
    forward: (windows, n) => model.forwardLast(windows, n, spec.T),
    close: () => {},
  };
}

/** The threaded computer when `parallel` asks for more than one thread, else the local one. */
export function createGradients(model: Model, spec: BatchSpec, parallel?: ParallelOptions): GradientComputer {
  return parallel && parallel.threads > 1
    ? threadedGradients(model, spec, parallel)
    : localGradients(model, spec);
}
