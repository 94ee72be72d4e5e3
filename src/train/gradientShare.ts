// What the training thread and its gradient workers share for data-parallel training: the
// SharedArrayBuffers (weights, the batch, one gradient slot per worker, losses and norms, a control
// array for Atomics.wait/notify) and the one rule that splits a batch into slices. Plain JavaScript
// (SharedArrayBuffer, Atomics), so Node's worker_threads and Web Workers run it alike.
// Not here: the loops on either side (threadedGradients.ts, gradientWorker.ts).
// Letters: N threads (the training thread is slice 0, worker k computes slice k), B batch rows,
// T steps, X inputs, Y target numbers per row, P parameters, L layers.
import type { Architecture, LossKind } from '../model/architecture.ts';
import type { Dtype, FloatArray } from '../model/kernels.ts';

/** Everything a worker needs to build its model and find its slice; structured-cloneable. */
export interface GradientWorkerInit {
  architecture: Architecture;
  dtype: Dtype;
  loss: LossKind;
  tbpttK: number;
  /** N: threads in all, the training thread included. */
  threads: number;
  /** This worker's slice, 1 … N−1. */
  index: number;
  /** Largest batch (B) and the shape of one row. */
  maxRows: number;
  T: number;
  X: number;
  Y: number;
  P: number;
  buffers: SharedBuffers;
}

export interface SharedBuffers {
  control: SharedArrayBuffer;
  /** The weights of this step, P elements of dtype. */
  weights: SharedArrayBuffer;
  /** The batch: x (B,T,X) and y (B,Y), float32. */
  x: SharedArrayBuffer;
  y: SharedArrayBuffer;
  /** One gradient slot per worker, (N−1, P) of dtype. */
  grads: SharedArrayBuffer;
  /** Per worker: the loss share, then ‖∂L/∂h_t‖² for every layer and step, (N−1, 1+L·T) float64. */
  results: SharedArrayBuffer;
  /** Head outputs at the last step of a FORWARD command, (B, O) of dtype. */
  out: SharedArrayBuffer;
  /** UTF-8 text of the first worker error. */
  error: SharedArrayBuffer;
}

/** Slots of the control array (Int32). */
export const GEN = 0; // bumped by the training thread for every command
export const CMD = 1; // what to do at GEN: COMPUTE, FORWARD or STOP
export const ROWS = 2; // rows in this batch
export const DONE = 3; // workers finished with GEN
export const FAILED = 4; // 0, or the index of the first worker that threw
export const ERROR_BYTES = 5; // length of its message in `error`
const CONTROL_SLOTS = 6;
/** Loss and gradient of each slice. */
export const COMPUTE = 1;
/** Head output at the last step of each slice's rows (batch inference). */
export const FORWARD = 2;
export const STOP = 3;
const ERROR_CAPACITY = 4096;

/** Rows [start, end) of slice k when `rows` are split into N slices: contiguous, sizes differ by at most one. */
export function sliceRows(rows: number, N: number, k: number): [number, number] {
  const base = Math.floor(rows / N);
  const extra = rows % N;
  const start = k * base + Math.min(k, extra);
  return [start, start + base + (k < extra ? 1 : 0)];
}

/** Typed views of the shared buffers. */
export interface SharedViews {
  control: Int32Array;
  weights: FloatArray;
  x: Float32Array;
  y: Float32Array;
  grads: FloatArray;
  results: Float64Array;
  out: FloatArray;
  error: Uint8Array;
}

/** Allocates the shared buffers for N threads (SharedArrayBuffer must exist: cross-origin isolation in a page). */
export function allocateShared(
  dtype: Dtype,
  N: number,
  shape: { maxRows: number; T: number; X: number; Y: number; P: number; L: number; O: number },
): SharedBuffers {
  const bytes = dtype === 'float64' ? 8 : 4;
  const { maxRows: B, T, X, Y, P, L, O } = shape;
  return {
    control: new SharedArrayBuffer(CONTROL_SLOTS * 4),
    weights: new SharedArrayBuffer(P * bytes),
    x: new SharedArrayBuffer(B * T * X * 4),
    y: new SharedArrayBuffer(B * Y * 4),
    grads: new SharedArrayBuffer((N - 1) * P * bytes),
    results: new SharedArrayBuffer((N - 1) * (1 + L * T) * 8),
    out: new SharedArrayBuffer(B * O * bytes),
    error: new SharedArrayBuffer(ERROR_CAPACITY),
  };
}

export function sharedViews(b: SharedBuffers, dtype: Dtype): SharedViews {
  const floats = (s: SharedArrayBuffer): FloatArray =>
    dtype === 'float64' ? new Float64Array(s) : new Float32Array(s);
  return {
    control: new Int32Array(b.control),
    weights: floats(b.weights),
    x: new Float32Array(b.x),
    y: new Float32Array(b.y),
    grads: floats(b.grads),
    results: new Float64Array(b.results),
    out: floats(b.out),
    error: new Uint8Array(b.error),
  };
}

/** Records the first worker failure (later ones keep the first message). */
export function reportFailure(v: SharedViews, index: number, message: string): void {
  if (Atomics.compareExchange(v.control, FAILED, 0, index) !== 0) return;
  // TextEncoder cannot write into shared memory directly; encode, then copy what fits.
  const bytes = new TextEncoder().encode(message).subarray(0, v.error.length);
  v.error.set(bytes);
  Atomics.store(v.control, ERROR_BYTES, bytes.length);
}

/** The message reportFailure recorded, or null. */
export function failureMessage(v: SharedViews): { index: number; message: string } | null {
  const index = Atomics.load(v.control, FAILED);
  if (index === 0) return null;
  const n = Atomics.load(v.control, ERROR_BYTES);
  return { index, message: new TextDecoder().decode(v.error.slice(0, n)) };
}
