// Trains a next-delta model on prepared tracks and returns the complete model file: the ONE training
// entry point of both `whereto train` and the app's training worker. Splits by source track, fits
// the normalization on the training split only, early-stops on the validation 1-step error in
// metres and records how the model was made. No file system, no DOM; progress through callbacks.
import type { Track } from '../data/track.ts';
import { mulberry32 } from '../encode/splitByTrack.ts';
import { encodeSet } from '../encode/windowSet.ts';
import { ensembleProblem } from '../model/architecture.ts';
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
import { inheritedOptions, parentRecord, parentSplitIds } from './initFrom.ts';
import { oneStepErrorM } from './oneStepErrorM.ts';
import { splitRecord } from './splitRecord.ts';
import type { ParallelOptions } from './threadedGradients.ts';
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions } from './trainOptions.ts';
import { trainingArchitecture, trainingLoss, trainingWindows } from './trainingWindows.ts';

/** Which network of an ensemble a progress report is about (1-based; absent for one network). */
export interface MemberProgress {
  member?: number;
  members?: number;
}

export interface TrainCallbacks {
  onBatch?(
    p: { epoch: number; epochs: number; batch: number; batches: number; loss: number } & MemberProgress,
  ): void;
  /** gradNormsThroughTime: this epoch's mean ‖∂L/∂h_t‖ per window step (W), as recorded in the model file. */
  onEpoch?(
    p: EpochRecord & {
      epochs: number;
      best: boolean;
      seconds: number;
      gradNormsThroughTime: number[];
    } & MemberProgress,
  ): void;
  /** Aborting stops after the current batch and keeps the best weights so far. */
  signal?: AbortSignal;
  /** Wall clock for the record; injectable so tests can pin it. */
  now?: () => Date;
  /**
   * Threads to split every batch across (data parallel). A run setting, not part of the recipe: the
   * model differs from one thread's only by float32 summation order. Recorded as training.threads.
   */
  parallel?: ParallelOptions;
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
 * Euclidean distance, MSE or the bivariate Gaussian NLL (trainingLoss); Adam with PyTorch semantics;
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
  if (!(o.augmentSpeedMin > 0 && o.augmentSpeedMax >= o.augmentSpeedMin))
    throw new Error(
      `augmentation speed factors must satisfy 0 < min ≤ max; got ${o.augmentSpeedMin}, ${o.augmentSpeedMax}`,
    );
  const W = o.window;
  const { split, enc, train, val, H } = trainingWindows(tracks, o, parent);
  const loss = trainingLoss(o);

  const aug: Augmentation = {
    rotate: o.augmentRotate,
    mirror: o.augmentMirror,
    speedMin: o.augmentSpeedMin,
    speedMax: o.augmentSpeedMax,
  };
  const augmenting = aug.rotate || aug.mirror || aug.speedMin !== 1 || aug.speedMax !== 1;
  const augPast = augmenting ? new Float64Array(train.pastM.length) : train.pastM;
  const augTarget = augmenting ? new Float64Array(train.targetM.length) : train.targetM;

  const X = enc.features.length;
  const architecture = trainingArchitecture(o, enc, parent);
  const problem = ensembleProblem(architecture.head, o.ensemble);
  if (problem) throw new Error(problem);
  // a fine-tune's o.ensemble is its parent's (inheritedOptions): network m starts from parent network m
  const parentWeights = parent ? [parent.weights, ...(parent.members ?? [])] : [];
  const batches = Math.ceil(train.n / o.batch);
  const started = (callbacks.now ?? (() => new Date()))();

  /** Trains ensemble member m (seeds offset by 1000·m; member 0 is the single-network run). */
  const trainMember = async (m: number) => {
    const seed = o.seed + 1000 * m;
    const augRand = mulberry32(seed + 7919);
    /** fit reads train.x / train.y batch by batch, so re-encoding them between epochs gives each epoch fresh draws. */
    const redraw = () => {
      augmentWindows(train.pastM, train.targetM, train.n, W, aug, augRand, augPast, augTarget, H);
      encodeSet(train, augPast, augTarget, enc);
    };
    if (augmenting) redraw();
    const model = createModel(architecture, { seed });
    if (parent) model.params.set(decodeWeights(parentWeights[m]));
    const epochs: EpochRecord[] = [];
    const gradNormsThroughTime: number[][] = [];
    let best = Infinity;
    let batchLossSum = 0;
    const member = o.ensemble > 1 ? { member: m + 1, members: o.ensemble } : {};
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
        seed: seed + 1,
        patience: o.patience,
        signal: callbacks.signal,
        parallel: callbacks.parallel,
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
            ...member,
          });
        },
        validate: (forward) => oneStepErrorM(model.outputSize, forward, val, enc),
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
            ...member,
          });
          if (augmenting && e.epoch < o.epochs) redraw();
        },
      },
    );
    return { seed, model, history, epochs, gradNormsThroughTime };
  };

  const runs: Awaited<ReturnType<typeof trainMember>>[] = [];
  // The first network always runs (fit keeps the best epoch so far, or the initial weights when
  // aborted before the start); an interruption ends the ensemble with the networks trained so far.
  for (let m = 0; m < o.ensemble && (m === 0 || !callbacks.signal?.aborted); m++)
    runs.push(await trainMember(m));
  const [first, ...rest] = runs;
  const { model, history, epochs, gradNormsThroughTime } = first;
  const anyAborted = runs.some((r) => r.history.stopped === 'aborted');
  const stopped = history.stopped === 'aborted' || anyAborted ? 'interrupted' : history.stopped;
  const bestEpoch = history.bestEpoch;
  const predictor = new Predictor(
    model,
    enc,
    null,
    rest.map((r) => r.model),
  );
  const ensembleValErrorM =
    rest.length && val.n
      ? await oneStepErrorM(model.outputSize, (x, n) => predictor.headOutput(x, n, W), val, enc)
      : null;
  // Fitted on the validation split only (never on training windows): no validation tracks, no shrinkage.
  const shrinkage = o.shrink && split.val.length ? fitShrinkage(predictor, split.val) : null;

  const data = splitRecord(tracks, split, { train: train.n, val: split.val.length ? val.n : 0 }, o.splitBy);
  // A fine-tune keeps its parent's roles in the record even for trips that were not loaded: neither
  // model trained on the held-out ones, so `eval --split test` on the parent's data still finds them,
  // and the child's weights carry what the parent learnt from its training trips.
  if (parent) {
    const inherited = parentSplitIds(parent);
    for (const [key, ids] of [
      ['trainSourceIds', inherited.train],
      ['valSourceIds', inherited.val],
      ['testSourceIds', inherited.test],
    ] as const)
      data[key] = [...new Set([...ids, ...(data[key] as string[])])];
  }
  const modelFile: ModelFile = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    architecture,
    weights: encodeWeights(model.params),
    ...(rest.length ? { members: rest.map((r) => encodeWeights(r.model.params)) } : {}),
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
      finalMetrics: {
        valOneStepMeanErrorM: ensembleValErrorM ?? history.bestValScore ?? NaN,
      },
      ...(rest.length
        ? {
            ensemble: runs.map((r) => ({
              seed: r.seed,
              bestEpoch: r.history.bestEpoch,
              stopped: r.history.stopped === 'aborted' ? ('interrupted' as const) : r.history.stopped,
              valErrorM: r.history.bestValScore ?? NaN,
            })),
          }
        : {}),
      threads: Math.max(1, callbacks.parallel?.threads ?? 1),
      date: started.toISOString(),
      ...(parent ? { parent: parentRecord(parent) } : {}),
    },
  };
  return { modelFile, split };
}
