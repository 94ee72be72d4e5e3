// Every training option declared once: its `whereto train` flag, type, range, help and (through
// DEFAULT_TRAIN_OPTIONS) default, and, for the options the app's training form shows, the form's
// label and any range the form narrows on purpose. The CLI's option declarations and
// optionsFromArgs (src/cli/train.ts), the form's fields, rules, defaults and its "same run from the
// command line" text (src/ui/panels/trainForm.ts) are all derived from this table, so a new option
// is one row here plus its use in trainOnTracks. Data only.
import { TARGET_KINDS } from '../encode/encoderSettings.ts';
import { CELL_KINDS, HEAD_KINDS } from '../model/architecture.ts';
import type { TrainOptions } from './trainOptions.ts';

type KeysOf<T> = { [K in keyof TrainOptions]: TrainOptions[K] extends T ? K : never }[keyof TrainOptions];

/**
 * How the app's training form shows an option. Bounds it leaves out are the command line's; bounds it
 * sets are narrower on purpose (a run in a browser tab should stay small enough to finish there).
 */
export interface FormField {
  label: string;
  /** Tooltip on the form's input. */
  hint?: string;
  min?: number;
  max?: number;
  /** The lower bound itself is refused (a learning rate of 0 learns nothing). */
  exclusiveMin?: boolean;
  /** The form's starting value where it differs from DEFAULT_TRAIN_OPTIONS. */
  default?: number;
}

interface RowBase {
  /** The long flag without the dashes. */
  flag: string;
  /** Placeholder in the usage text (`--hidden N`). */
  arg?: string;
  help: string;
}

export type TrainOptionRow = RowBase &
  (
    | { type: 'int' | 'number'; key: KeysOf<number>; min?: number; max?: number; form?: FormField }
    | { type: 'choice'; key: KeysOf<string>; choices: readonly string[]; form?: { label: string } }
    | { type: 'boolean'; key: KeysOf<boolean> }
    /** Comma-separated names. */
    | { type: 'list'; key: 'features' | 'testTracks' | 'valTracks' }
    /** `MIN,MAX` with 0 < MIN ≤ MAX, into two options. */
    | { type: 'range'; keys: readonly ['augmentSpeedMin', 'augmentSpeedMax'] }
  );

/** In the order `whereto train --help` lists them. */
export const trainOptionTable = [
  {
    flag: 'cell',
    type: 'choice',
    key: 'cell',
    choices: CELL_KINDS,
    help: 'recurrent cell',
    form: { label: 'Cell' },
  },
  {
    flag: 'layers',
    type: 'int',
    key: 'layers',
    min: 1,
    max: 8,
    arg: 'N',
    help: 'stacked layers',
    form: { label: 'Layers', hint: 'stacked recurrent layers' },
  },
  {
    flag: 'hidden',
    type: 'int',
    key: 'hidden',
    min: 1,
    max: 4096,
    arg: 'N',
    help: 'hidden units per layer',
    // 512 units already make a browser tab's epoch take minutes; the command line allows more.
    form: { label: 'Hidden size', hint: 'units per layer', max: 512, default: 32 },
  },
  {
    flag: 'window',
    type: 'int',
    key: 'window',
    min: 1,
    max: 1000,
    arg: 'W',
    help: 'observed steps per window',
    form: { label: 'Window', hint: 'observed steps per example', min: 2, max: 200 },
  },
  { flag: 'step', type: 'number', key: 'stepSeconds', min: 0.001, arg: 'SECONDS', help: 'resampling step' },
  {
    flag: 'head',
    type: 'choice',
    key: 'head',
    choices: HEAD_KINDS,
    help: 'output head: mean, gaussian, or direct (K steps at once, see --horizon)',
    form: { label: 'Head' },
  },
  {
    flag: 'horizon',
    type: 'int',
    key: 'outputSteps',
    min: 1,
    max: 100,
    arg: 'K',
    help: "the direct head's steps predicted at once (beyond K: constant velocity from its last step)",
    form: { label: 'Direct steps', hint: 'direct head only: steps predicted at once', max: 20 },
  },
  {
    flag: 'ensemble',
    type: 'int',
    key: 'ensemble',
    min: 1,
    max: 16,
    arg: 'N',
    help: 'train N networks from different initial weights on the same split and average their outputs (mean and direct heads)',
    // Each network is trained in turn; in a browser tab 5 already multiply a run's time by five.
    form: { label: 'Networks', hint: 'an ensemble: networks trained in turn and averaged', max: 5 },
  },
  {
    flag: 'target',
    type: 'choice',
    key: 'target',
    choices: TARGET_KINDS,
    help: 'what the network predicts: the next delta, or the correction to constant velocity in the speed-and-heading frame',
    form: { label: 'Target' },
  },
  {
    flag: 'frame-floor',
    type: 'number',
    key: 'frameFloorM',
    min: 0.001,
    arg: 'METRES',
    help: "cv-residual: the frame's scale floor (scale = max(floor, RMS of the last --frame-steps deltas))",
  },
  {
    flag: 'frame-steps',
    type: 'int',
    key: 'frameSteps',
    min: 1,
    max: 1000,
    arg: 'N',
    help: "cv-residual: recent deltas the frame's scale is the RMS length of",
  },
  {
    flag: 'loss',
    type: 'choice',
    key: 'loss',
    choices: ['auto', 'mse', 'euclidean'],
    help: 'loss of a mean or direct head; auto = euclidean for cv-residual or direct, else mse (gaussian: always its NLL)',
  },
  {
    flag: 'shrink',
    type: 'boolean',
    key: 'shrink',
    help: 'fit the per-step shrinkage toward constant velocity on the validation split (--shrink=false to skip)',
  },
  {
    flag: 'features',
    type: 'list',
    key: 'features',
    arg: 'LIST',
    help: 'input features from the deltas: dx,dy[,speed,sinHeading,cosHeading,dt]',
  },
  {
    flag: 'align',
    type: 'boolean',
    key: 'align',
    help: 'rotate each window so its last step points along +x (--align=false to turn off)',
  },
  {
    flag: 'scale-windows',
    type: 'boolean',
    key: 'scaleWindows',
    help: "rescale each window to the data's typical step length (one model for walking and driving)",
  },
  {
    flag: 'augment-rotate',
    type: 'boolean',
    key: 'augmentRotate',
    help: 'rotate each training window by a random angle, redrawn every epoch',
  },
  {
    flag: 'augment-mirror',
    type: 'boolean',
    key: 'augmentMirror',
    help: 'mirror half the training windows, redrawn every epoch',
  },
  {
    flag: 'augment-speed',
    type: 'range',
    keys: ['augmentSpeedMin', 'augmentSpeedMax'],
    arg: 'MIN,MAX',
    help: 'scale each training window by a factor drawn log-uniformly in [MIN, MAX] (1,1 = off)',
  },
  {
    flag: 'split-by',
    type: 'choice',
    key: 'splitBy',
    choices: ['track', 'time'],
    help: 'split tracks at random (track) or by start time: oldest train, newest test (time)',
  },
  {
    flag: 'epochs',
    type: 'int',
    key: 'epochs',
    min: 0,
    arg: 'N',
    help: 'passes over the training windows (0 with --init: keep the weights, refit the shrinkage)',
    form: { label: 'Epochs', hint: 'passes over the training split', min: 1, max: 500, default: 5 },
  },
  {
    flag: 'batch',
    type: 'int',
    key: 'batch',
    min: 1,
    arg: 'N',
    help: 'windows per optimizer step',
    form: { label: 'Batch', hint: 'windows per step', max: 4096 },
  },
  {
    flag: 'lr',
    type: 'number',
    key: 'lr',
    min: 0,
    arg: 'RATE',
    help: 'Adam learning rate',
    form: { label: 'Learning rate', hint: 'Adam step size', exclusiveMin: true, max: 1 },
  },
  {
    flag: 'lr-schedule',
    type: 'choice',
    key: 'lrSchedule',
    choices: ['constant', 'cosine'],
    help: 'learning rate over training: constant, or cosine decay to lr/20',
    form: { label: 'LR schedule' },
  },
  {
    flag: 'clip',
    type: 'number',
    key: 'clip',
    min: 0,
    arg: 'NORM',
    help: 'global gradient-norm clip (0 = off)',
    form: { label: 'Clip norm', hint: 'global L2 norm; 0 = off', max: 1e6 },
  },
  {
    flag: 'tbptt',
    type: 'int',
    key: 'tbptt',
    min: 0,
    arg: 'K',
    help: 'truncated BPTT chunk in steps (0 = full)',
    form: { label: 'TBPTT k', hint: 'steps per truncated chunk; 0 = full', max: 200 },
  },
  {
    flag: 'val-fraction',
    type: 'number',
    key: 'valFraction',
    min: 0,
    max: 0.9,
    arg: 'F',
    help: 'share of tracks for validation (early stopping)',
    form: { label: 'Validation share', hint: 'share of tracks for the validation curve' },
  },
  {
    flag: 'test-fraction',
    type: 'number',
    key: 'testFraction',
    min: 0,
    max: 0.9,
    arg: 'F',
    help: 'share of tracks held out entirely; `eval --split test` uses them',
    // The form holds out a test share by default so the Evaluate panel has a split to measure on.
    form: { label: 'Test share', hint: 'share of tracks held out for Evaluate', default: 0.2 },
  },
  {
    flag: 'test-tracks',
    type: 'list',
    key: 'testTracks',
    arg: 'IDS',
    help: 'hold out these tracks as the test split, by source id or file name (e.g. run.gpx); replaces --test-fraction',
  },
  {
    flag: 'val-tracks',
    type: 'list',
    key: 'valTracks',
    arg: 'IDS',
    help: 'validate on these tracks, named like --test-tracks; replaces --val-fraction',
  },
  {
    flag: 'seed',
    type: 'int',
    key: 'seed',
    arg: 'N',
    help: 'seed for the split, initialization and shuffling',
    form: { label: 'Seed', hint: 'same seed, same model', min: 0, max: 2 ** 31 - 1 },
  },
  {
    flag: 'patience',
    type: 'int',
    key: 'patience',
    min: 0,
    arg: 'N',
    help: 'stop after N epochs without a better validation error (0 = never)',
    form: { label: 'Patience', hint: 'epochs without improvement before stopping; 0 = never', max: 500 },
  },
] as const satisfies readonly TrainOptionRow[];
