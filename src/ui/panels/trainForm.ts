// The training form's options, their defaults and their validation: what the Model panel's inputs
// hold. All derived from the rows of trainOptionTable that carry a `form` entry (label, and any range
// or default the form narrows on purpose); options the form leaves out (step, features, align, …)
// take the command line's defaults. Pure: no DOM.
import {
  DEFAULT_TRAIN_OPTIONS,
  ensembleProblem,
  trainOptionTable,
  type FormField,
  type TrainOptions,
} from '../engine.ts';

type FormRow = Extract<(typeof trainOptionTable)[number], { form: object }>;
type NumberRow = Extract<FormRow, { type: 'int' | 'number' }>;
type ChoiceRow = Extract<FormRow, { type: 'choice' }>;

export type CellChoice = TrainOptions['cell'];

/** One training run's settings as the form holds them (names follow TrainOptions). */
export type TrainForm = Pick<TrainOptions, FormRow['key']>;
export type NumberFieldKey = NumberRow['key'];

const formRows = trainOptionTable.filter((row): row is FormRow => 'form' in row);
const numberRows = formRows.filter((row): row is NumberRow => row.type === 'int' || row.type === 'number');
const choiceRows = formRows.filter((row): row is ChoiceRow => row.type === 'choice');

/** The form's numeric inputs in the table's order: label, tooltip and the input's step. */
export const numberFields: { key: NumberFieldKey; label: string; hint: string; step: string }[] =
  numberRows.map((row) => ({
    key: row.key,
    label: row.form.label,
    hint: (row.form as FormField).hint ?? '',
    step: row.type === 'int' ? '1' : 'any',
  }));

/**
 * The CLI's defaults, except where a row gives the form its own (32 hidden units and 5 epochs, so a
 * first run in a browser tab takes seconds; a 20 % test share, so the Evaluate panel has a held-out
 * split to measure on).
 */
export const defaultTrainForm: TrainForm = Object.fromEntries(
  formRows.map((row) => [row.key, (row.form as FormField).default ?? DEFAULT_TRAIN_OPTIONS[row.key]]),
) as TrainForm;

/** Per-field problems, keyed by the field name; empty when the form is valid. */
export type TrainFormErrors = Partial<Record<keyof TrainForm, string>>;

/** A numeric field's bounds in the form: its own where the row narrows them, else the command line's. */
export function formRange(row: { min?: number; max?: number; form: FormField }): {
  min: number;
  max: number;
  exclusiveMin: boolean;
} {
  return {
    min: row.form.min ?? row.min ?? -Infinity,
    max: row.form.max ?? row.max ?? Infinity,
    exclusiveMin: row.form.exclusiveMin ?? false,
  };
}

/** "a, b or c" */
const orList = (items: readonly string[]): string =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;

/** Checks every field against its range and type; cross-field: k may not exceed the window, an ensemble needs a mean or direct head. */
export function validateTrainForm(form: TrainForm): TrainFormErrors {
  const errors: TrainFormErrors = {};
  for (const row of choiceRows) {
    const v: string = form[row.key];
    if (!(row.choices as readonly string[]).includes(v))
      errors[row.key] = `${row.form.label} must be ${orList(row.choices)}, not '${v}'`;
  }
  for (const row of numberRows) {
    const v = form[row.key];
    const { min, max, exclusiveMin } = formRange(row);
    const label = row.form.label;
    if (typeof v !== 'number' || !Number.isFinite(v)) errors[row.key] = `${label} must be a number`;
    else if (row.type === 'int' && !Number.isInteger(v)) errors[row.key] = `${label} must be a whole number`;
    else if (exclusiveMin ? v <= min : v < min)
      errors[row.key] = `${label} must be ${exclusiveMin ? `greater than ${min}` : `at least ${min}`}`;
    else if (v > max) errors[row.key] = `${label} must be at most ${max}`;
  }
  if (!errors.tbptt && !errors.window && form.tbptt > form.window)
    errors.tbptt = `Truncated BPTT k (${form.tbptt}) may not exceed the window (${form.window}); 0 means full BPTT`;
  if (!errors.valFraction && !errors.testFraction && form.valFraction + form.testFraction > 0.9)
    errors.testFraction =
      'Validation and test fractions together may be at most 0.9, so some tracks are left to train on';
  const ensemble = errors.ensemble ? null : ensembleProblem(form.head, form.ensemble);
  if (ensemble) errors.ensemble = ensemble[0].toUpperCase() + ensemble.slice(1);
  return errors;
}

/** The form as the CLI would be called with it, shown under the button so a run can be repeated offline. */
export function cliEquivalent(form: TrainForm): string {
  return [
    'npx whereto train FILE… --out model.json',
    ...formRows.map((row) => `--${row.flag} ${form[row.key]}`),
  ].join(' ');
}
