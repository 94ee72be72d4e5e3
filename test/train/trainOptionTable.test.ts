// Specs for the one table of training options: the CLI's declarations, optionsFromArgs, the form's
// rules and its "same run from the command line" text all follow from it.
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.ts';
import { loaderOptionSpecs } from '../../src/cli/loadTracks.ts';
import { initConflicts, optionsFromArgs, trainSpec } from '../../src/cli/train.ts';
import type { ModelFile } from '../../src/model/modelFile.ts';
import { trainOptionTable, type FormField, type TrainOptionRow } from '../../src/train/trainOptionTable.ts';
import { DEFAULT_TRAIN_OPTIONS } from '../../src/train/trainOptions.ts';
import { trainOptionsFromForm } from '../../src/ui/panels/trainJob.ts';
import {
  cliEquivalent,
  defaultTrainForm,
  formRange,
  numberFields,
  validateTrainForm,
  type TrainForm,
} from '../../src/ui/panels/trainForm.ts';

const rows: readonly TrainOptionRow[] = trainOptionTable;
const rowKeys = (row: TrainOptionRow): string[] => (row.type === 'range' ? [...row.keys] : [row.key]);
const parse = (argv: string[]) => {
  const r = parseArgs(['track.csv', '--out', 'm.json', ...argv], trainSpec);
  if (!r.ok) throw new Error(r.error);
  return r.options;
};
const optionsOf = (argv: string[]) => {
  const r = optionsFromArgs(parse(argv));
  if ('error' in r) throw new Error(r.error);
  return r.options;
};

describe('trainOptionTable', () => {
  it('has one row for every training option and every flag once', () => {
    expect(rows.flatMap(rowKeys).sort()).toEqual(Object.keys(DEFAULT_TRAIN_OPTIONS).sort());
    expect(new Set(rows.map((r) => r.flag)).size).toBe(rows.length);
  });

  it("is what `whereto train` declares, in order, with the table's ranges and DEFAULT_TRAIN_OPTIONS' defaults", () => {
    const names = trainSpec.options.map((o) => o.name);
    // --threads is a run setting, not part of the recipe the table declares.
    expect(names).toEqual([
      'out',
      'init',
      ...rows.map((r) => r.flag),
      'threads',
      ...loaderOptionSpecs.map((o) => o.name),
    ]);
    for (const row of rows) {
      const spec = trainSpec.options.find((o) => o.name === row.flag)!;
      if (row.type === 'int' || row.type === 'number')
        expect([spec.type, spec.min, spec.max, spec.default]).toEqual([
          row.type,
          row.min,
          row.max,
          DEFAULT_TRAIN_OPTIONS[row.key],
        ]);
      if (row.type === 'choice') expect(spec.choices).toEqual(row.choices);
      expect(spec.help).toBe(row.help);
    }
  });
});

describe('optionsFromArgs()', () => {
  it('gives DEFAULT_TRAIN_OPTIONS when no training flag is given', () => {
    expect(optionsOf([])).toEqual(DEFAULT_TRAIN_OPTIONS);
  });
  it('maps each flag to its option, lists and MIN,MAX included', () => {
    expect(
      optionsOf([
        '--step',
        '5',
        '--features',
        'dx, dy,speed',
        '--augment-speed',
        '1,1',
        '--split-by',
        'time',
        '--scale-windows',
      ]),
    ).toEqual({
      ...DEFAULT_TRAIN_OPTIONS,
      stepSeconds: 5,
      features: ['dx', 'dy', 'speed'],
      augmentSpeedMin: 1,
      augmentSpeedMax: 1,
      splitBy: 'time',
      scaleWindows: true,
    });
  });
  it('reads the formulation flags and the held-out tracks', () => {
    expect(
      optionsOf([
        '--target',
        'delta',
        '--head',
        'direct',
        '--horizon',
        '3',
        '--test-tracks',
        'run.gpx, 1372',
        '--val-tracks',
        'hike.gpx',
      ]),
    ).toEqual({
      ...DEFAULT_TRAIN_OPTIONS,
      target: 'delta',
      head: 'direct',
      outputSteps: 3,
      testTracks: ['run.gpx', '1372'],
      valTracks: ['hike.gpx'],
    });
    expect(optionsOf([]).testTracks).toEqual([]);
    expect(optionsOf([]).valTracks).toEqual([]);
  });
  it('with --init, names the flags that would change the parent and ignores those left at their default', () => {
    const parent = {
      architecture: { cell: 'gru', inputSize: 2, hiddenSize: 32, numLayers: 1, head: 'mean' },
      encoder: { stepSeconds: 15, window: 10, features: ['dx', 'dy'], align: false, target: 'delta' },
    } as unknown as ModelFile;
    expect(initConflicts(optionsOf(['--epochs', '3', '--lr', '0.01']), parent)).toEqual([]);
    expect(initConflicts(optionsOf(['--hidden', '48', '--cell', 'gru', '--window', '12']), parent)).toEqual([
      "--hidden 48 (the parent's is 32)",
      "--window 12 (the parent's is 10)",
    ]);
  });
  it('refuses a malformed MIN,MAX naming the flag', () => {
    for (const bad of ['2,1', '0,1', '1', '1,2,3', 'a,b'])
      expect(optionsFromArgs(parse(['--augment-speed', bad]))).toEqual({
        error: `--augment-speed expects MIN,MAX with 0 < MIN ≤ MAX (e.g. 0.2,1.5); got '${bad}'`,
      });
  });
});

describe('the training form, derived from the table', () => {
  const formRows = rows.filter(
    (r): r is Extract<TrainOptionRow, { type: 'int' | 'number' }> & { form: FormField } =>
      (r.type === 'int' || r.type === 'number') && r.form !== undefined,
  );
  const withField = (patch: Partial<TrainForm>): TrainForm => ({ ...defaultTrainForm, ...patch });

  it('shows a numeric input for every numeric row with a form entry', () => {
    expect(numberFields.map((f) => f.key)).toEqual(formRows.map((r) => r.key));
  });

  it('never accepts what the command line refuses: form ranges lie inside the CLI ranges', () => {
    for (const row of formRows) {
      const { min, max } = formRange(row);
      expect(min, row.flag).toBeGreaterThanOrEqual(row.min ?? -Infinity);
      expect(max, row.flag).toBeLessThanOrEqual(row.max ?? Infinity);
      // Just outside the command line's range is refused by the form too.
      const key = row.key as keyof TrainForm;
      if (row.min !== undefined)
        expect(validateTrainForm(withField({ [key]: row.min - 1 }))[key]).toBeTruthy();
      if (row.max !== undefined)
        expect(validateTrainForm(withField({ [key]: row.max + 1 }))[key]).toBeTruthy();
    }
  });

  it('uses the CLI range where the row declares no form range, its own where it does', () => {
    const layers = formRows.find((r) => r.key === 'layers')!;
    expect(layers.form.min ?? layers.form.max).toBeUndefined();
    expect(validateTrainForm(withField({ layers: 8 })).layers).toBeUndefined();
    expect(validateTrainForm(withField({ layers: 9 })).layers).toBe('Layers must be at most 8');
    // The deliberate difference: the command line takes 4096 hidden units, the browser form 512.
    expect(parse(['--hidden', '4096']).hidden).toBe(4096);
    expect(validateTrainForm(withField({ hidden: 512 })).hidden).toBeUndefined();
    expect(validateTrainForm(withField({ hidden: 513 })).hidden).toBe('Hidden size must be at most 512');
  });

  it('starts from DEFAULT_TRAIN_OPTIONS except the defaults a row gives the form', () => {
    for (const row of rows)
      if ('form' in row && row.form) {
        const own = 'default' in row.form ? row.form.default : undefined;
        expect(defaultTrainForm[row.key as keyof TrainForm]).toBe(own ?? DEFAULT_TRAIN_OPTIONS[row.key]);
      }
    expect(defaultTrainForm).toMatchObject({ hidden: 32, epochs: 5, testFraction: 0.2 });
  });

  it('"same run from the command line" parses back to the options the form trains with', () => {
    for (const form of [
      defaultTrainForm,
      withField({ cell: 'gru', head: 'gaussian', layers: 3, lr: 1e-7, lrSchedule: 'constant', seed: 0 }),
      withField({ cell: 'rnn', clip: 0.25, tbptt: 4, valFraction: 0.05, testFraction: 0, patience: 0 }),
    ]) {
      expect(validateTrainForm(form)).toEqual({});
      const argv = cliEquivalent(form).split(' ');
      expect(argv.slice(0, 5)).toEqual(['npx', 'whereto', 'train', 'FILE…', '--out']);
      expect(optionsOf(argv.slice(6))).toEqual({
        ...DEFAULT_TRAIN_OPTIONS,
        ...trainOptionsFromForm(form, DEFAULT_TRAIN_OPTIONS.stepSeconds),
      });
    }
  });
});
