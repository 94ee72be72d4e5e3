// The options of one training run (trainOnTracks) and the defaults `whereto train` and the app's form
// start from. Data only: how the options are used lives in trainOnTracks.ts; their flags, ranges and
// help, and what the app's form shows of them, in trainOptionTable.ts.
import type { FeatureName } from '../encode/encoderSettings.ts';
import type { CellKind, HeadKind } from '../model/architecture.ts';

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
