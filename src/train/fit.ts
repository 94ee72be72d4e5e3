// The training loop: seeded shuffling into minibatches, loss and (truncated) BPTT, global-norm
// clipping, Adam with a learning-rate schedule, per-batch and per-epoch callbacks, early stopping on
// a caller-supplied validation score with patience (best weights kept), cancellation through an
// AbortSignal, and a clear stop on non-finite input or loss with the last good weights restored.
// Each batch's loss and gradient come from a GradientComputer (gradients.ts): this thread, or the
// batch split across threads; clipping and Adam always run here, once per batch.
// Not here: data preparation or encoding (src/encode, trainOnTracks.ts).
import type { LossKind } from '../model/architecture.ts';
import type { Model } from '../model/model.ts';
import { seededRandom } from '../model/random.ts';
import { Adam } from './adam.ts';
import { clipGradNorm } from './clipGradNorm.ts';
import { createGradients, type BatchForward } from './gradients.ts';
import { lrAt, type LrSchedule } from './lrSchedule.ts';
import type { ParallelOptions } from './threadedGradients.ts';

/** Windows for training: x (n,T,X) batch-first; y (n,targetWidth) for `_last` losses or (n,T,2) for `_all`. */
export interface FitData {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  n: number;
  T: number;
  X: number;
  /** Numbers per window of a `_last` target (default 2; 2K for a direct head, see architecture.targetWidth). */
  targetWidth?: number;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  loss: LossKind;
  /** A constant rate, or a schedule over optimizer steps. */
  lr: number | LrSchedule;
  /** Global L2 gradient-norm clip; 0 or absent = none. */
  clipNorm?: number;
  /** Truncated BPTT chunk length (0 = full BPTT). */
  tbpttK?: number;
  /** Shuffling seed (default 1). */
  seed?: number;
  /** Epochs without a better validation score before stopping (0 = never stop early). */
  patience?: number;
  signal?: AbortSignal;
  /** Splits every batch across threads (data parallel); absent or 1 thread = all on this thread. */
  parallel?: ParallelOptions;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export interface BatchInfo {
  epoch: number;
  batch: number;
  batches: number;
  step: number;
  loss: number;
  gradNorm: number;
  clipped: boolean;
  lr: number;
}

export interface EpochInfo {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** The validation score (lower is better), when `validate` was given. */
  valScore?: number;
  /** Mean over the epoch's batches of ‖∂L/∂h_t‖ of the top layer at each step t (T). */
  gradNormsThroughTime: Float64Array;
  /** The same for every layer, bottom first (L arrays of T); the last one is gradNormsThroughTime. */
  gradNormsByLayer: Float64Array[];
  /** Batches whose gradient was clipped. */
  clipEvents: number;
  meanGradNorm: number;
  seconds: number;
}

export interface FitCallbacks {
  onBatch?(info: BatchInfo): void;
  onEpoch?(info: EpochInfo): void;
  /**
   * Scores the model as it is now; lower is better. Called after every epoch with `forward`, the
   * model's forwardLast on the threads training uses (any n windows), for a score computed there too.
   */
  validate?(forward: BatchForward): number | Promise<number>;
}

export interface FitHistory {
  epochs: EpochInfo[];
  /** 1-based epoch whose weights the model holds at the end (the best validation score; else the last). */
  bestEpoch: number;
  bestValScore?: number;
  stopped: 'completed' | 'early-stopping' | 'aborted';
  steps: number;
  clipEvents: number;
}

/** Thrown when training meets a non-finite input, loss or gradient; the model keeps its last good weights. */
export class TrainingError extends Error {
  readonly history: FitHistory;
  constructor(message: string, history: FitHistory) {
    super(message);
    this.name = 'TrainingError';
    this.history = history;
  }
}

/** Index of the first non-finite number, or −1. */
function firstNonFinite(a: ArrayLike<number>, n: number): number {
  for (let i = 0; i < n; i++) if (!Number.isFinite(a[i])) return i;
  return -1;
}

const yieldToEventLoop = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/**
 * Trains `model` in place on `data` with Adam and returns the history. Resolves with the best
 * weights (by `validate`) or the last ones; rejects with TrainingError on non-finite numbers.
 */
export async function fit(
  model: Model,
  data: FitData,
  options: FitOptions,
  callbacks: FitCallbacks = {},
): Promise<FitHistory> {
  const { n, T, X } = data;
  const all = options.loss.endsWith('_all');
  const yPer = all ? T * 2 : (data.targetWidth ?? 2);
  if (X !== model.architecture.inputSize)
    throw new Error(`data has ${X} input features, the model expects ${model.architecture.inputSize}`);
  if (data.x.length < n * T * X)
    throw new Error(`x holds ${data.x.length} numbers, n·T·X = ${n * T * X} needed`);
  if (data.y.length < n * yPer)
    throw new Error(`y holds ${data.y.length} numbers, ${n * yPer} needed for ${options.loss}`);
  const history: FitHistory = { epochs: [], bestEpoch: 0, stopped: 'completed', steps: 0, clipEvents: 0 };
  const badX = firstNonFinite(data.x, n * T * X);
  if (badX >= 0) {
    const w = Math.floor(badX / (T * X));
    throw new TrainingError(
      `input window ${w}, step ${Math.floor(badX / X) % T}, feature ${badX % X} is ${data.x[badX]}: inputs must be finite`,
      history,
    );
  }
  const badY = firstNonFinite(data.y, n * yPer);
  if (badY >= 0)
    throw new TrainingError(
      `target of window ${Math.floor(badY / yPer)} is ${data.y[badY]}: targets must be finite`,
      history,
    );

  const B = Math.max(1, Math.min(options.batchSize, n));
  const schedule: LrSchedule =
    typeof options.lr === 'number' ? { kind: 'constant', lr: options.lr } : options.lr;
  const adam = new Adam(
    model.params.length,
    { lr: schedule.lr, beta1: options.beta1, beta2: options.beta2, eps: options.eps },
    (k) => model.kernels.alloc(k),
  );
  const rand = seededRandom(options.seed ?? 1);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const lastGood = model.params.slice();
  let best: Float32Array | Float64Array | null = null;
  let bestScore = Infinity;
  let sinceBest = 0;
  model.reserve(B, T);
  let lastYield = performance.now();
  const batches = Math.ceil(n / B);
  const gradients = createGradients(
    model,
    { maxRows: B, T, X, Y: yPer, loss: options.loss, tbpttK: options.tbpttK ?? 0 },
    options.parallel,
  );
  const { x: xb, y: yb } = gradients;
  // However the loop ends (done, aborted, an error, a failed worker), the threads are released.
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const t0 = performance.now();
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      const L = model.architecture.numLayers;
      const normsByLayer = Array.from({ length: L }, () => new Float64Array(T));
      let lossSum = 0;
      let normSum = 0;
      let clipEvents = 0;
      for (let bi = 0; bi < batches; bi++) {
        if (options.signal?.aborted) break;
        const start = bi * B;
        const nb = Math.min(B, n - start);
        for (let r = 0; r < nb; r++) {
          const w = order[start + r];
          for (let k = 0; k < T * X; k++) xb[r * T * X + k] = data.x[w * T * X + k];
          for (let k = 0; k < yPer; k++) yb[r * yPer + k] = data.y[w * yPer + k];
        }
        const res = await gradients.compute(nb);
        const clip = options.clipNorm ?? 0;
        const gradNorm = clip > 0 ? clipGradNorm(model.grads, clip) : clipGradNorm(model.grads, Infinity);
        if (!Number.isFinite(res.loss) || !Number.isFinite(gradNorm)) {
          model.params.set(lastGood);
          throw new TrainingError(
            `training stopped at epoch ${epoch}, batch ${bi + 1}: the ${Number.isFinite(res.loss) ? 'gradient norm' : 'loss'} is ${Number.isFinite(res.loss) ? gradNorm : res.loss}; the weights before this batch are kept`,
            history,
          );
        }
        const clipped = clip > 0 && gradNorm > clip;
        if (clipped) clipEvents++;
        const lr = lrAt(schedule, history.steps);
        adam.update(model.params, model.grads, lr);
        const badParam = firstNonFinite(model.params, model.params.length);
        if (badParam >= 0) {
          const value = model.params[badParam];
          const e = model.layout.entries.find((x) => badParam < x.offset + x.size)!;
          model.params.set(lastGood);
          throw new TrainingError(
            `training stopped at epoch ${epoch}, batch ${bi + 1}: the update made ${e.name}[${badParam - e.offset}] ${value} (learning rate too high?); the weights before this batch are kept`,
            history,
          );
        }
        lastGood.set(model.params);
        history.steps++;
        lossSum += res.loss;
        normSum += gradNorm;
        for (let l = 0; l < L; l++)
          for (let t = 0; t < T; t++) normsByLayer[l][t] += res.gradNormsByLayer[l][t];
        callbacks.onBatch?.({
          epoch,
          batch: bi + 1,
          batches,
          step: history.steps,
          loss: res.loss,
          gradNorm,
          clipped,
          lr,
        });
        if (performance.now() - lastYield > 50) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      if (options.signal?.aborted) {
        history.stopped = 'aborted';
        break;
      }
      for (const norms of normsByLayer) for (let t = 0; t < T; t++) norms[t] /= batches;
      history.clipEvents += clipEvents;
      const info: EpochInfo = {
        epoch,
        loss: lossSum / batches,
        gradNormsThroughTime: normsByLayer[L - 1],
        gradNormsByLayer: normsByLayer,
        clipEvents,
        meanGradNorm: normSum / batches,
        seconds: (performance.now() - t0) / 1000,
      };
      if (callbacks.validate) {
        const score = await callbacks.validate(gradients.forward);
        info.valScore = score;
        if (score < bestScore) {
          bestScore = score;
          best = model.params.slice();
          history.bestEpoch = epoch;
          sinceBest = 0;
        } else sinceBest++;
      } else history.bestEpoch = epoch;
      history.epochs.push(info);
      callbacks.onEpoch?.(info);
      if (callbacks.validate && (options.patience ?? 0) > 0 && sinceBest >= options.patience!) {
        history.stopped = 'early-stopping';
        break;
      }
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  } finally {
    gradients.close();
  }
  if (best) {
    model.params.set(best);
    history.bestValScore = bestScore;
  }
  return history;
}
