// The training form's options, their defaults and their validation: what the Model panel's inputs
// hold and the CLI's `whereto train` flags mean (--cell --layers --hidden --head --window --epochs
// --batch --lr --lr-schedule --clip --tbptt --val-fraction --test-fraction --patience --seed).
// Options the form leaves out (features, align, scale-windows) take the CLI's defaults. Pure: no DOM.
import { DEFAULT_TRAIN_OPTIONS as cli } from '../engine.ts';

export type CellChoice = 'lstm' | 'gru' | 'rnn';
export type HeadChoice = 'mean' | 'gaussian';
export type LrScheduleChoice = 'constant' | 'cosine';

/** One training run's settings as the form holds them (names follow the CLI flags). */
export interface TrainForm {
  cell: CellChoice;
  layers: number;
  hidden: number;
  head: HeadChoice;
  /** observed steps per window */
  window: number;
  epochs: number;
  batch: number;
  /** Adam learning rate */
  lr: number;
  /** constant, or cosine decay over all epochs */
  lrSchedule: LrScheduleChoice;
  /** global L2 clipping norm; 0 turns clipping off */
  clip: number;
  /** truncated BPTT chunk length in steps; 0 means full BPTT over the window */
  tbptt: number;
  /** share of tracks for validation (early stopping, the validation curve) */
  valFraction: number;
  /** share of tracks held out entirely, recorded in the model file for the Evaluate panel */
  testFraction: number;
  /** epochs without a better validation error before stopping; 0 never stops early */
  patience: number;
  seed: number;
}

/**
 * The CLI's defaults, except 32 hidden units and 5 epochs, so a first run in a browser tab takes
 * seconds, and a 20 % test share, so the Evaluate panel has a held-out split to measure on.
 */
export const defaultTrainForm: TrainForm = {
  cell: cli.cell,
  layers: cli.layers,
  hidden: 32,
  head: cli.head,
  window: cli.window,
  epochs: 5,
  batch: cli.batch,
  lr: cli.lr,
  lrSchedule: cli.lrSchedule,
  clip: cli.clip,
  tbptt: cli.tbptt,
  valFraction: cli.valFraction,
  testFraction: 0.2,
  patience: cli.patience,
  seed: cli.seed,
};

/** Per-field problems, keyed by the field name; empty when the form is valid. */
export type TrainFormErrors = Partial<Record<keyof TrainForm, string>>;

interface Rule {
  min: number;
  max: number;
  integer: boolean;
  /** the lower bound itself is excluded (a learning rate of 0 learns nothing) */
  exclusiveMin?: boolean;
  label: string;
}

const rules: Record<Exclude<keyof TrainForm, 'cell' | 'head' | 'lrSchedule'>, Rule> = {
  layers: { min: 1, max: 8, integer: true, label: 'Layers' },
  hidden: { min: 1, max: 512, integer: true, label: 'Hidden size' },
  window: { min: 2, max: 200, integer: true, label: 'Window' },
  epochs: { min: 1, max: 500, integer: true, label: 'Epochs' },
  batch: { min: 1, max: 4096, integer: true, label: 'Batch' },
  lr: { min: 0, max: 1, integer: false, exclusiveMin: true, label: 'Learning rate' },
  clip: { min: 0, max: 1e6, integer: false, label: 'Clipping norm' },
  tbptt: { min: 0, max: 200, integer: true, label: 'Truncated BPTT k' },
  valFraction: { min: 0, max: 0.9, integer: false, label: 'Validation fraction' },
  testFraction: { min: 0, max: 0.9, integer: false, label: 'Test fraction' },
  patience: { min: 0, max: 500, integer: true, label: 'Patience' },
  seed: { min: 0, max: 2 ** 31 - 1, integer: true, label: 'Seed' },
};

/** Checks every field against its range and type; cross-field: k may not exceed the window. */
export function validateTrainForm(form: TrainForm): TrainFormErrors {
  const errors: TrainFormErrors = {};
  if (!['lstm', 'gru', 'rnn'].includes(form.cell))
    errors.cell = `Cell must be lstm, gru or rnn, not '${form.cell}'`;
  if (!['mean', 'gaussian'].includes(form.head))
    errors.head = `Head must be mean or gaussian, not '${form.head}'`;
  if (!['constant', 'cosine'].includes(form.lrSchedule))
    errors.lrSchedule = `Learning-rate schedule must be constant or cosine, not '${form.lrSchedule}'`;
  for (const [key, rule] of Object.entries(rules) as [keyof typeof rules, Rule][]) {
    const v = form[key];
    const low = rule.exclusiveMin ? `greater than ${rule.min}` : `at least ${rule.min}`;
    if (typeof v !== 'number' || !Number.isFinite(v)) errors[key] = `${rule.label} must be a number`;
    else if (rule.integer && !Number.isInteger(v)) errors[key] = `${rule.label} must be a whole number`;
    else if (rule.exclusiveMin ? v <= rule.min : v < rule.min) errors[key] = `${rule.label} must be ${low}`;
    else if (v > rule.max) errors[key] = `${rule.label} must be at most ${rule.max}`;
  }
  if (!errors.tbptt && !errors.window && form.tbptt > form.window)
    errors.tbptt = `Truncated BPTT k (${form.tbptt}) may not exceed the window (${form.window}); 0 means full BPTT`;
  if (!errors.valFraction && !errors.testFraction && form.valFraction + form.testFraction > 0.9)
    errors.testFraction =
      'Validation and test fractions together may be at most 0.9, so some tracks are left to train on';
  return errors;
}

/** The form as the CLI would be called with it, shown under the button so a run can be repeated offline. */
export function cliEquivalent(form: TrainForm): string {
  return [
    'npx whereto train FILE… --out model.json',
    `--cell ${form.cell} --layers ${form.layers} --hidden ${form.hidden} --head ${form.head}`,
    `--window ${form.window} --epochs ${form.epochs} --batch ${form.batch} --lr ${form.lr} --lr-schedule ${form.lrSchedule}`,
    `--clip ${form.clip} --tbptt ${form.tbptt} --val-fraction ${form.valFraction}`,
    `--test-fraction ${form.testFraction} --patience ${form.patience} --seed ${form.seed}`,
  ].join(' ');
}
