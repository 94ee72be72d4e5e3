// Trains a next-delta model on prepared tracks and returns the complete model file: the ONE training
// entry point of both `whereto train` and the app's training worker. Splits by source track, fits
// the normalization on the training split only, early-stops on the validation 1-step error in
// metres and records how the model was made. No file system, no DOM; progress through callbacks.
import type { Track } from '../data/track.ts';
import { fitEncoder } from '../encode/fitEncoder.ts';
import { mulberry32, splitByTrack } from '../encode/splitByTrack.ts';
import { buildWindows, encodeSet } from '../encode/windowSet.ts';
import type { LossKind } from '../model/architecture.ts';
import { createModel } from '../model/model.ts';
import { Predictor } from '../predict/predictor.ts';
import {
  decodeWeights,
  encodeWeights,
  MODEL_FORMAT,
  MODEL_VERSION,
  type EpochRecord,
  type ModelFile,
} from '../model/modelFile.ts';
import { augmentWindows, type Augmentation } from './augmentWindows.ts';
import { fingerprintTracks } from './fingerprintTracks.ts';
import { fit } from './fit.ts';
import { fitShrinkage } from './fitShrinkage.ts';
import { inheritedOptions, parentRecord, parentTestIds } from './initFrom.ts';
import { oneStepErrorM } from './oneStepErrorM.ts';
import { splitByTime } from './splitByTime.ts';
import { splitRecord } from './splitRecord.ts';
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions } from './trainOptions.ts';

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

/** Where training starts from. */
export interface TrainStart {
  /**
   * Fine-tune: start from this (validated) model file's weights and encoder, normalization kept (see
   * initFrom.ts). Its architecture and encoder options override `options`; the tracks must be
   * resampled at its encoder.stepSeconds. The parent's test tracks (training.data.testSourceIds) stay
   * held out. The new file records the parent in training.parent.
   */
  init?: ModelFile;
}

export interface TrainResult {
  modelFile: ModelFile;
  split: { train: Track[]; val: Track[]; test: Track[] };
}

/**
 * Trains a model on tracks already resampled at options.stepSeconds: the target (delta or
 * cv-residual) of the window's last step, or of its next K steps for a direct head; the mean
 * Euclidean distance, MSE or the bivariate Gaussian NLL (lossKind); Adam with PyTorch semantics;
 * global-norm clipping; seeded shuffling; keeps the epoch with the lowest validation 1-step error in
 * metres, then fits the shrinkage toward constant velocity on the validation split.
 */
export async function trainOnTracks(
  tracks: Track[],
  options: Partial<TrainOptions>,
  callbacks: TrainCallbacks = {},
  start: TrainStart = {},
): Promise<TrainResult> {
  const parent = start.init;
  const o: TrainOptions = {
    ...DEFAULT_TRAIN_OPTIONS,
    ...options,
    ...(parent ? inheritedOptions(parent) : {}),
  };
  const split = splitTracks(tracks, o, parent ? parentTestIds(parent) : []);
  if (!(o.augmentSpeedMin > 0 && o.augmentSpeedMax >= o.augmentSpeedMin))
    throw new Error(
      `augmentation speed factors must satisfy 0 < min ≤ max; got ${o.augmentSpeedMin}, ${o.augmentSpeedMax}`,
    );
  const W = o.window;
  if (split.train.length === 0) throw new Error('no tracks left for training after the split');
  const enc = parent ? structuredClone(parent.encoder) : fitEncoder(split.train, o);
  const H = o.head === 'direct' ? o.outputSteps : 1; // target steps per window
  const loss = lossKind(o);
  const train = buildWindows(split.train, enc, H);
  const val = buildWindows(split.val.length ? split.val : split.train, enc, H);
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
    augmentWindows(train.pastM, train.targetM, train.n, W, aug, augRand, augPast, augTarget, H);
    encodeSet(train, augPast, augTarget, enc);
  };
  if (augmenting) redraw();

  const X = enc.features.length;
  const architecture = parent
    ? { ...parent.architecture }
    : {
        cell: o.cell,
        inputSize: X,
        hiddenSize: o.hidden,
        numLayers: o.layers,
        head: o.head,
        ...(o.head === 'direct' ? { outputSteps: o.outputSteps } : {}),
      };
  const model = createModel(architecture, { seed: o.seed });
  if (parent) model.params.set(decodeWeights(parent.weights));
  const batches = Math.ceil(train.n / o.batch);
  const epochs: EpochRecord[] = [];
  const gradNormsThroughTime: number[][] = [];
  let best = Infinity;
  const started = (callbacks.now ?? (() => new Date()))();
  let batchLossSum = 0;
  const history = await fit(
    model,
    { x: train.x, y: train.y, n: train.n, T: W, X, targetWidth: 2 * H },
    {
      epochs: o.epochs,
      batchSize: o.batch,
      loss,
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
  // Fitted on the validation split only (never on training windows): no validation tracks, no shrinkage.
  const shrinkage = o.shrink && split.val.length ? fitShrinkage(new Predictor(model, enc), split.val) : null;

  const data = splitRecord(tracks, split, { train: train.n, val: split.val.length ? val.n : 0 }, o.splitBy);
  // A fine-tune keeps its parent's held-out trips in the record even when they were not loaded:
  // neither model trained on them, so `eval --split test` on the parent's data still finds them.
  if (parent)
    data.testSourceIds = [...new Set([...parentTestIds(parent), ...(data.testSourceIds as string[])])];
  const modelFile: ModelFile = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    architecture,
    weights: encodeWeights(model.params),
    encoder: enc,
    ...(shrinkage ? { shrinkage } : {}),
    training: {
      fingerprint: await fingerprintTracks(tracks),
      seed: o.seed,
      options: { ...o },
      data,
      epochs,
      bestEpoch,
      stopped,
      gradNormsThroughTime,
      finalMetrics: { valOneStepMeanErrorM: history.bestValScore ?? NaN },
      date: started.toISOString(),
      ...(parent ? { parent: parentRecord(parent) } : {}),
    },
  };
  return { modelFile, split };
}

/** The training loss of the options' head and target (see TrainOptions.loss). */
function lossKind(o: TrainOptions): LossKind {
  if (o.head === 'gaussian') {
    if (o.loss !== 'auto')
      throw new Error(
        `the gaussian head trains on its negative log-likelihood; loss '${o.loss}' is for a mean or direct head`,
      );
    return 'bivariate_nll_last';
  }
  const euclidean =
    o.loss === 'euclidean' || (o.loss === 'auto' && (o.target === 'cv-residual' || o.head === 'direct'));
  return euclidean ? 'euclidean_last' : 'mse_last';
}

/**
 * Train / validation / test by source track. Held out as test first: every source track a
 * fine-tune's parent held out (so a fine-tune never trains on its parent's test trips), and every
 * source track named by testTracks (its sourceId, a piece's id, or its file's name such as
 * `run.gpx`). The rest is split as usual: splitByTime or splitByTrack with valFraction and
 * testFraction (0 when testTracks are named).
 */
function splitTracks(
  tracks: Track[],
  o: TrainOptions,
  parentTest: readonly string[],
): { train: Track[]; val: Track[]; test: Track[] } {
  const source = (t: Track) => t.sourceId ?? t.id;
  const names = (t: Track) => [source(t), t.id, t.file.split(/[\\/]/).pop() ?? t.file];
  const unknown = o.testTracks.filter((name) => !tracks.some((t) => names(t).includes(name)));
  if (unknown.length)
    throw new Error(
      `test tracks ${unknown.join(', ')}: no track has that id or file name (ids: ${[...new Set(tracks.map(source))].slice(0, 8).join(', ')}, …)`,
    );
  const named = new Set(o.testTracks);
  const heldSources = new Set(parentTest);
  for (const t of tracks) if (names(t).some((n) => named.has(n))) heldSources.add(source(t));
  const rest = tracks.filter((t) => !heldSources.has(source(t)));
  const fractions = { val: o.valFraction, test: o.testTracks.length ? 0 : o.testFraction };
  const s = o.splitBy === 'time' ? splitByTime(rest, fractions) : splitByTrack(rest, fractions, o.seed); // groups pieces by sourceId
  if (heldSources.size === 0) return s;
  const test = new Set(s.test);
  return {
    train: s.train,
    val: s.val,
    test: tracks.filter((t) => heldSources.has(source(t)) || test.has(t)),
  };
}
