// Trains a next-delta model on prepared tracks and returns the complete model file: the ONE training
// entry point of both `whereto train` and the app's training worker. Splits by source track, fits
// the normalization on the training split only, early-stops on the validation 1-step error in
// metres and records how the model was made. No file system, no DOM; progress through callbacks.
import type { Track } from '../data/track.ts';
import { fitEncoder } from '../encode/fitEncoder.ts';
import { splitByTrack } from '../encode/splitByTrack.ts';
import type { FeatureName } from '../encode/encoderSettings.ts';
import type { CellKind, HeadKind } from '../model/architecture.ts';
import { createModel, type Model } from '../model/model.ts';
import {
  encodeWeights,
  MODEL_FORMAT,
  MODEL_VERSION,
  type EpochRecord,
  type ModelEncoder,
  type ModelFile,
} from '../model/modelFile.ts';
import { decodeHead, encodeTarget, encodeWindow, windowFrame } from '../predict/windowInputs.ts';
import { deltaAt, windowDeltas } from '../predict/windowDeltas.ts';
import { fit } from './fit.ts';

export interface TrainOptions {
  cell: CellKind;
  layers: number;
  hidden: number;
  /** Observed deltas per window (W). */
  window: number;
  /** The step the tracks were resampled to, seconds. */
  stepSeconds: number;
  head: HeadKind;
  features: FeatureName[];
  /** Rotate each window so its last delta points along +x. */
  align: boolean;
  /** Rescale each window to the training data's typical step length (speed-independent model). */
  scaleWindows: boolean;
  epochs: number;
  batch: number;
  lr: number;
  /** Learning rate over training: constant, or cosine decay to lr/20 over all epochs. */
  lrSchedule: 'constant' | 'cosine';
  /** Global gradient-norm clip (0 = none). */
  clip: number;
  /** Truncated BPTT chunk length in steps (0 = full BPTT over the window). */
  tbptt: number;
  valFraction: number;
  /** Share of source tracks held out entirely (never trained on or validated on); their ids are recorded. */
  testFraction: number;
  seed: number;
  /** Epochs without a better validation error before stopping (0 = never stop early). */
  patience: number;
}

/**
 * Defaults that worked best on the bundled Porto sample (held-out trips, see the README): W = 10 deltas
 * of 15 s, a 64-unit LSTM, MSE on the next delta, Adam at 2e-3 with cosine decay, clipping at 1.
 * Aligning and speed-scaling windows were both worse there, so they are off.
 */
export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  cell: 'lstm',
  layers: 1,
  hidden: 64,
  window: 10,
  stepSeconds: 15,
  head: 'mean',
  features: ['dx', 'dy'],
  align: false,
  scaleWindows: false,
  epochs: 40,
  batch: 64,
  lr: 2e-3,
  lrSchedule: 'cosine',
  clip: 1,
  tbptt: 0,
  valFraction: 0.2,
  testFraction: 0,
  seed: 1,
  patience: 10,
};

export interface TrainCallbacks {
  onBatch?(p: { epoch: number; epochs: number; batch: number; batches: number; loss: number }): void;
  /** gradNormsThroughTime: this epoch's mean ‖∂L/∂h_t‖ per window step (W), as recorded in the model file. */
  onEpoch?(
    p: EpochRecord & { epochs: number; best: boolean; seconds: number; gradNormsThroughTime: number[] },
  ): void;
  /** Aborting stops after the current batch and keeps the best weights so far. */
  signal?: AbortSignal;
  /** Wall clock for the record; injectable so tests can pin it. */
  now?: () => Date;
}

export interface TrainResult {
  modelFile: ModelFile;
  split: { train: Track[]; val: Track[]; test: Track[] };
}

/** Training windows: inputs x (n,W,X), normalized targets y (n,2), raw target deltas and rotations. */
interface WindowSet {
  n: number;
  x: Float32Array;
  y: Float32Array;
  targetM: Float64Array; // (n,2) true next delta, metres, world frame
  cos: Float64Array;
  sin: Float64Array;
  scale: Float64Array;
}

function buildWindows(tracks: Track[], enc: ModelEncoder): WindowSet {
  const W = enc.window;
  const X = enc.features.length;
  let n = 0;
  for (const t of tracks) n += Math.max(0, t.lat.length - 1 - W);
  const set: WindowSet = {
    n,
    x: new Float32Array(n * W * X),
    y: new Float32Array(n * 2),
    targetM: new Float64Array(n * 2),
    cos: new Float64Array(n),
    sin: new Float64Array(n),
    scale: new Float64Array(n),
  };
  const past = new Float64Array(W * 2);
  const scratch = new Float64Array(W * 2);
  let i = 0;
  for (const t of tracks)
    for (let e = W; e < t.lat.length - 1; e++) {
      windowDeltas(t, e, W, past, 0);
      const next = deltaAt(t, e);
      const rot = windowFrame(past, 0, enc);
      encodeWindow(set.x, i, past, 0, enc, scratch, rot);
      const [ya, yb] = encodeTarget(next.dxM, next.dyM, rot, enc.targetStd);
      set.y[2 * i] = ya;
      set.y[2 * i + 1] = yb;
      set.targetM[2 * i] = next.dxM;
      set.targetM[2 * i + 1] = next.dyM;
      set.cos[i] = rot.cos;
      set.sin[i] = rot.sin;
      set.scale[i] = rot.scale;
      i++;
    }
  return set;
}

/** Mean and standard deviation of each input feature over every step of every training window. */
function featureStats(tracks: Track[], enc: ModelEncoder): { mean: number[]; std: number[] } {
  const X = enc.features.length;
  const raw = { ...enc, inputMean: new Array(X).fill(0), inputStd: new Array(X).fill(1) };
  const set = buildWindows(tracks, raw);
  const sum = new Float64Array(X);
  const sq = new Float64Array(X);
  const rows = set.x.length / X;
  for (let r = 0; r < rows; r++)
    for (let f = 0; f < X; f++) {
      const v = set.x[r * X + f];
      sum[f] += v;
      sq[f] += v * v;
    }
  const mean = Array.from(sum, (s) => s / rows);
  const std = Array.from(sq, (s, f) => Math.sqrt(Math.max(s / rows - mean[f] * mean[f], 0)) || 1);
  return { mean, std };
}

/** Mean 1-step error (metres, in the plane tangent at each window's last point) of the model on a window set. */
export function oneStepErrorM(model: Model, set: WindowSet, enc: ModelEncoder): number {
  if (set.n === 0) return NaN;
  const W = enc.window;
  const X = enc.features.length;
  const O = model.outputSize;
  const step = { dxM: 0, dyM: 0, sxx: 0, syy: 0, sxy: 0 };
  let total = 0;
  for (let b0 = 0; b0 < set.n; b0 += 512) {
    const nb = Math.min(512, set.n - b0);
    const head = model.forwardLast(set.x.subarray(b0 * W * X, (b0 + nb) * W * X), nb, W);
    for (let b = 0; b < nb; b++) {
      const i = b0 + b;
      decodeHead(
        head,
        b * O,
        O,
        { cos: set.cos[i], sin: set.sin[i], scale: set.scale[i] },
        enc.targetStd,
        step,
      );
      total += Math.hypot(step.dxM - set.targetM[2 * i], step.dyM - set.targetM[2 * i + 1]);
    }
  }
  return total / set.n;
}

/** 'sha256:<hex>' of the tracks' ids and columns (Web Crypto; Node ≥ 20 and browsers). */
export async function fingerprintTracks(tracks: Track[]): Promise<string> {
  const parts: Uint8Array[] = [];
  const text = new TextEncoder();
  for (const t of tracks) {
    parts.push(text.encode(`${t.id}\n`));
    for (const col of [t.t, t.lat, t.lon])
      parts.push(new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
  }
  const size = parts.reduce((s, p) => s + p.length, 0);
  const all = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return 'sha256:' + Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Trains a model on tracks already resampled at options.stepSeconds. MSE on the normalized next
 * delta (mean head) or the bivariate Gaussian NLL (Gaussian head) at the window's last step; Adam
 * with PyTorch semantics; global-norm clipping; seeded shuffling; keeps the epoch with the lowest
 * validation error in metres.
 */
export async function trainOnTracks(
  tracks: Track[],
  options: Partial<TrainOptions>,
  callbacks: TrainCallbacks = {},
): Promise<TrainResult> {
  const o: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const split = splitByTrack(tracks, { val: o.valFraction, test: o.testFraction }, o.seed); // groups pieces by sourceId
  const W = o.window;
  if (split.train.length === 0) throw new Error('no tracks left for training after the split');
  const fitted = fitEncoder(split.train, { stepSeconds: o.stepSeconds, window: W, features: o.features });
  const base: ModelEncoder = {
    ...fitted,
    features: [...o.features],
    align: o.align,
    scaleWindows: o.scaleWindows,
  } as ModelEncoder;
  const stats = featureStats(split.train, base);
  const enc: ModelEncoder = {
    stepSeconds: o.stepSeconds,
    window: W,
    features: [...o.features],
    inputMean: stats.mean,
    inputStd: stats.std,
    targetStd: fitted.targetStd,
    align: o.align,
    scaleWindows: o.scaleWindows,
  };
  const train = buildWindows(split.train, enc);
  const val = buildWindows(split.val.length ? split.val : split.train, enc);
  if (train.n === 0)
    throw new Error(
      `no training windows: every training track is shorter than ${W + 2} points at ${o.stepSeconds} s`,
    );

  const X = enc.features.length;
  const architecture = {
    cell: o.cell,
    inputSize: X,
    hiddenSize: o.hidden,
    numLayers: o.layers,
    head: o.head,
  };
  const model = createModel(architecture, { seed: o.seed });
  const batches = Math.ceil(train.n / o.batch);
  const epochs: EpochRecord[] = [];
  const gradNormsThroughTime: number[][] = [];
  let best = Infinity;
  const started = (callbacks.now ?? (() => new Date()))();
  let batchLossSum = 0;
  const history = await fit(
    model,
    { x: train.x, y: train.y, n: train.n, T: W, X },
    {
      epochs: o.epochs,
      batchSize: o.batch,
      loss: o.head === 'gaussian' ? 'bivariate_nll_last' : 'mse_last',
      lr:
        o.lrSchedule === 'cosine'
          ? { kind: 'cosine', lr: o.lr, totalSteps: o.epochs * batches, minLr: o.lr / 20 }
          : o.lr,
      clipNorm: o.clip,
      tbpttK: o.tbptt,
      seed: o.seed + 1,
      patience: o.patience,
      signal: callbacks.signal,
    },
    {
      onBatch: (b) => {
        batchLossSum = b.batch === 1 ? b.loss : batchLossSum + b.loss;
        callbacks.onBatch?.({
          epoch: b.epoch,
          epochs: o.epochs,
          batch: b.batch,
          batches,
          loss: batchLossSum / b.batch,
        });
      },
      validate: () => oneStepErrorM(model, val, enc),
      onEpoch: (e) => {
        const record: EpochRecord = { epoch: e.epoch, loss: e.loss, valErrorM: e.valScore ?? NaN };
        epochs.push(record);
        const norms = Array.from(e.gradNormsThroughTime, (g) => Number(g.toPrecision(4)));
        gradNormsThroughTime.push(norms);
        const isBest = record.valErrorM < best;
        if (isBest) best = record.valErrorM;
        callbacks.onEpoch?.({
          ...record,
          epochs: o.epochs,
          best: isBest,
          seconds: e.seconds,
          gradNormsThroughTime: norms,
        });
      },
    },
  );
  const stopped = history.stopped === 'aborted' ? 'interrupted' : history.stopped;
  const bestEpoch = history.bestEpoch;

  const modelFile: ModelFile = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    architecture,
    weights: encodeWeights(model.params),
    encoder: enc,
    training: {
      fingerprint: await fingerprintTracks(tracks),
      seed: o.seed,
      options: { ...o },
      data: {
        tracks: tracks.length,
        trainTracks: split.train.length,
        valTracks: split.val.length,
        testTracks: split.test.length,
        trainWindows: train.n,
        valWindows: split.val.length ? val.n : 0,
        testSourceIds: [...new Set(split.test.map((t) => t.sourceId ?? t.id))],
      },
      epochs,
      bestEpoch,
      stopped,
      gradNormsThroughTime,
      finalMetrics: { valOneStepMeanErrorM: history.bestValScore ?? NaN },
      date: started.toISOString(),
    },
  };
  return { modelFile, split };
}
