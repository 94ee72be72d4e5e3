// Trains a next-delta model on prepared tracks and returns the complete model file: the ONE training
// entry point of both `whereto train` and the app's training worker. Splits by source track, fits
// the normalization on the training split only, early-stops on the validation 1-step error in
// metres and records how the model was made. No file system, no DOM; progress through callbacks.
import type { Track } from '../data/track.ts';
import { fitEncoder } from '../encode/fitEncoder.ts';
import { mulberry32, splitByTrack } from '../encode/splitByTrack.ts';
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
  /**
   * Training-time augmentation, redrawn every epoch (seeded): each training window (its W observed
   * deltas and its target together) is rotated by a uniform random angle (`augmentRotate`), mirrored
   * across the x axis with probability ½ (`augmentMirror`), and multiplied by a speed factor drawn
   * log-uniformly in [augmentSpeedMin, augmentSpeedMax] (1, 1 = off). Validation is never augmented.
   */
  augmentRotate: boolean;
  augmentMirror: boolean;
  augmentSpeedMin: number;
  augmentSpeedMax: number;
  /**
   * How tracks are split: 'track' = seeded random by source track; 'time' = by the start time of each
   * source track, oldest for training, then validation, the newest `testFraction` for test (a proxy
   * for "trips from later / other days").
   */
  splitBy: 'track' | 'time';
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
 * Defaults that worked best on the validation split of the bundled Porto sample (see the README's
 * experiments): W = 10 deltas of 15 s, a 64-unit LSTM, MSE on the next delta, Adam at 2e-3 with cosine
 * decay, clipping at 1, and each training window scaled by a speed factor log-uniform in [0.3, 1.5]
 * (redrawn every epoch), which also made the model beat constant velocity at 2–5 steps on walking,
 * running and driving GPX tracks it never saw. Aligning, scaling windows, random rotation and mirroring
 * were all worse on the validation split, so they are off.
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
  augmentRotate: false,
  augmentMirror: false,
  augmentSpeedMin: 0.3,
  augmentSpeedMax: 1.5,
  splitBy: 'track',
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
  /** (n,W,2) observed deltas, metres, world frame (kept for per-epoch augmentation). */
  pastM: Float64Array;
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
    pastM: new Float64Array(n * W * 2),
  };
  let i = 0;
  for (const t of tracks)
    for (let e = W; e < t.lat.length - 1; e++) {
      windowDeltas(t, e, W, set.pastM, i * W * 2);
      const next = deltaAt(t, e);
      set.targetM[2 * i] = next.dxM;
      set.targetM[2 * i + 1] = next.dyM;
      i++;
    }
  encodeSet(set, set.pastM, set.targetM, enc);
  return set;
}

/** Encodes windows from (n,W,2) deltas and (n,2) targets in metres into set.x, set.y and the frames. */
function encodeSet(set: WindowSet, pastM: Float64Array, targetM: Float64Array, enc: ModelEncoder): void {
  const W = enc.window;
  const scratch = new Float64Array(W * 2);
  for (let i = 0; i < set.n; i++) {
    const rot = windowFrame(pastM, i * W * 2, enc);
    encodeWindow(set.x, i, pastM, i * W * 2, enc, scratch, rot);
    const [ya, yb] = encodeTarget(targetM[2 * i], targetM[2 * i + 1], rot, enc.targetStd);
    set.y[2 * i] = ya;
    set.y[2 * i + 1] = yb;
    set.cos[i] = rot.cos;
    set.sin[i] = rot.sin;
    set.scale[i] = rot.scale;
  }
}

export interface Augmentation {
  rotate: boolean;
  mirror: boolean;
  speedMin: number;
  speedMax: number;
}

/**
 * Draws one transform per window (rotation θ ~ U[0, 2π) if rotate; mirror y → −y with probability ½ if
 * mirror; speed factor s = exp(U[ln speedMin, ln speedMax])) and applies d' = s·R(θ)·M·d to the window's
 * deltas pastM (n,W,2) and targets targetM (n,2), writing outPast and outTarget. Rotations and mirrors
 * are isometries of the plane (no preferred direction); s rescales speed while keeping the path's shape.
 */
export function augmentWindows(
  pastM: Float64Array,
  targetM: Float64Array,
  n: number,
  W: number,
  aug: Augmentation,
  rand: () => number,
  outPast: Float64Array,
  outTarget: Float64Array,
): void {
  const lo = Math.log(aug.speedMin);
  const hi = Math.log(aug.speedMax);
  for (let i = 0; i < n; i++) {
    const theta = aug.rotate ? 2 * Math.PI * rand() : 0;
    const flip = aug.mirror && rand() < 0.5 ? -1 : 1;
    const s = hi > lo ? Math.exp(lo + (hi - lo) * rand()) : Math.exp(lo);
    const c = Math.cos(theta) * s;
    const sn = Math.sin(theta) * s;
    for (let j = 0; j <= W; j++) {
      const src = j < W ? pastM : targetM;
      const dst = j < W ? outPast : outTarget;
      const o = j < W ? (i * W + j) * 2 : 2 * i;
      const dx = src[o];
      const dy = src[o + 1] * flip;
      dst[o] = c * dx - sn * dy;
      dst[o + 1] = sn * dx + c * dy;
    }
  }
}

/**
 * Splits tracks by the start time of their source recording (sourceId, else id): oldest first to
 * training, then round(G·val) groups to validation, the newest round(G·test) to test. Ties by key.
 */
export function splitByTime(
  tracks: Track[],
  fractions: { val: number; test: number },
): { train: Track[]; val: Track[]; test: Track[] } {
  const start = new Map<string, number>();
  for (const t of tracks) {
    const key = t.sourceId ?? t.id;
    const t0 = t.t.length ? t.t[0] : Infinity;
    start.set(key, Math.min(start.get(key) ?? Infinity, t0));
  }
  const groups = [...start.keys()].sort(
    (a, b) => start.get(a)! - start.get(b)! || (a < b ? -1 : a > b ? 1 : 0),
  );
  const G = groups.length;
  const nTest = Math.round(G * fractions.test);
  const nVal = Math.min(G - nTest, Math.round(G * fractions.val));
  const side = new Map<string, 'train' | 'val' | 'test'>();
  groups.forEach((g, i) => side.set(g, i >= G - nTest ? 'test' : i >= G - nTest - nVal ? 'val' : 'train'));
  const out = { train: [] as Track[], val: [] as Track[], test: [] as Track[] };
  for (const t of tracks) out[side.get(t.sourceId ?? t.id)!].push(t);
  return out;
}

/** Earliest start time (Unix seconds) among tracks, NaN for none. */
function earliestStart(tracks: Track[]): number {
  let m = Infinity;
  for (const t of tracks) if (t.t.length) m = Math.min(m, t.t[0]);
  return Number.isFinite(m) ? m : NaN;
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
  const fractions = { val: o.valFraction, test: o.testFraction };
  const split =
    o.splitBy === 'time' ? splitByTime(tracks, fractions) : splitByTrack(tracks, fractions, o.seed); // groups pieces by sourceId
  if (!(o.augmentSpeedMin > 0 && o.augmentSpeedMax >= o.augmentSpeedMin))
    throw new Error(
      `augmentation speed factors must satisfy 0 < min ≤ max; got ${o.augmentSpeedMin}, ${o.augmentSpeedMax}`,
    );
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

  const aug: Augmentation = {
    rotate: o.augmentRotate,
    mirror: o.augmentMirror,
    speedMin: o.augmentSpeedMin,
    speedMax: o.augmentSpeedMax,
  };
  const augmenting = aug.rotate || aug.mirror || aug.speedMin !== 1 || aug.speedMax !== 1;
  const augRand = mulberry32(o.seed + 7919);
  const augPast = augmenting ? new Float64Array(train.pastM.length) : train.pastM;
  const augTarget = augmenting ? new Float64Array(train.targetM.length) : train.targetM;
  /** fit reads train.x / train.y batch by batch, so re-encoding them between epochs gives each epoch fresh draws. */
  const redraw = () => {
    augmentWindows(train.pastM, train.targetM, train.n, W, aug, augRand, augPast, augTarget);
    encodeSet(train, augPast, augTarget, enc);
  };
  if (augmenting) redraw();

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
        if (augmenting && e.epoch < o.epochs) redraw();
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
        valSourceIds: [...new Set(split.val.map((t) => t.sourceId ?? t.id))],
        splitBy: o.splitBy,
        ...(o.splitBy === 'time'
          ? {
              valStartsFrom: isoOrNull(earliestStart(split.val)),
              testStartsFrom: isoOrNull(earliestStart(split.test)),
            }
          : {}),
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

function isoOrNull(unixSeconds: number): string | null {
  return Number.isFinite(unixSeconds) ? new Date(unixSeconds * 1000).toISOString() : null;
}
