// The options of one training run (trainOnTracks) and the defaults `whereto train` and the app's form
// start from. Data only: how the options are used lives in trainOnTracks.ts; their flags, ranges and
// help, and what the app's form shows of them, in trainOptionTable.ts.
import type { FeatureName, TargetKind } from '../encode/encoderSettings.ts';
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
  /** The direct head's K: steps predicted at once (ignored by the other heads). */
  outputSteps: number;
  /**
   * Networks in the ensemble: member m > 0 starts from the initialization seed seed + 1000·m (its own
   * shuffling and augmentation draws too), all on the same split; predictions average their head
   * outputs at each step. 1 = one network.
   */
  ensemble: number;
  /** What the network predicts: the next delta, or the correction to constant velocity (encoderSettings.ts). */
  target: TargetKind;
  /** The cv-residual frame's scale floor (metres) and how many recent deltas its scale is the RMS length of. */
  frameFloorM: number;
  frameSteps: number;
  /**
   * The loss of a mean or direct head: 'auto' = the mean Euclidean distance for the cv-residual
   * target or a direct head, MSE otherwise. A Gaussian head always trains on its NLL.
   */
  loss: 'auto' | 'mse' | 'euclidean';
  /** After training, fit the per-step shrinkage toward constant velocity on the validation split. */
  shrink: boolean;
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
  /**
   * Tracks held out as the test split instead of a testFraction share, named by source id (sourceId,
   * else id), a piece's id or the file's name (`run.gpx`): a fixed, documented held-out set. Every
   * piece of a named recording goes with it. Validation is then valFraction of the other tracks.
   */
  testTracks: string[];
  /**
   * Tracks put in the validation split instead of a valFraction share, named like testTracks: the
   * validation (early stopping and the shrinkage fit) then holds the kinds of data the user names.
   */
  valTracks: string[];
  seed: number;
  /** Epochs without a better validation error before stopping (0 = never stop early). */
  patience: number;
}

/**
 * Defaults, chosen on the validation split (README, "Accuracy"): the 'delta' target with MSE and each
 * training window scaled by a speed factor log-uniform in [0.3, 1.5], W = 10 deltas of 15 s, a 64-unit
 * LSTM, Adam at 2e-3 with cosine decay, clipping at 1, and the per-step shrinkage toward constant
 * velocity fitted on the validation split. The cv-residual target (a zero output is constant
 * velocity, in a speed-and-heading frame; speed augmentation then changes nothing above the frame's
 * floor) is `--target cv-residual --augment-speed 1,1`: closer to constant velocity on walkers and
 * runners, clearly worse on the taxi validation trips. Aligning, scaling windows, random rotation and
 * mirroring were all worse on the validation split, so they are off.
 */
export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  cell: 'lstm',
  layers: 1,
  hidden: 64,
  window: 10,
  stepSeconds: 15,
  head: 'mean',
  outputSteps: 5,
  ensemble: 1,
  target: 'delta',
  frameFloorM: 2,
  frameSteps: 3,
  loss: 'auto',
  shrink: true,
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
  testTracks: [],
  valTracks: [],
  seed: 1,
  patience: 10,
};
