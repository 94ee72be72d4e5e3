// Specs for the training form: defaults are valid, each out-of-range field is named, k ≤ window.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_OPTIONS } from '../../src/train/trainOptions.ts';
import {
  cliEquivalent,
  defaultTrainForm,
  validateTrainForm,
  type TrainForm,
} from '../../src/ui/panels/trainForm.ts';

const withField = (patch: Partial<TrainForm>): TrainForm => ({ ...defaultTrainForm, ...patch });

describe('validateTrainForm()', () => {
  it('accepts the defaults', () => {
    expect(validateTrainForm(defaultTrainForm)).toEqual({});
  });
  it('names the field and the bound that was broken', () => {
    expect(validateTrainForm(withField({ hidden: 0 })).hidden).toBe('Hidden size must be at least 1');
    expect(validateTrainForm(withField({ epochs: 1000 })).epochs).toBe('Epochs must be at most 500');
    expect(validateTrainForm(withField({ lr: 0 })).lr).toBe('Learning rate must be greater than 0');
    expect(validateTrainForm(withField({ window: 2.5 })).window).toBe('Window must be a whole number');
    expect(validateTrainForm(withField({ clip: NaN })).clip).toBe('Clip norm must be a number');
  });
  it('reports only the broken fields', () => {
    expect(Object.keys(validateTrainForm(withField({ seed: -1, batch: 0 }))).sort()).toEqual([
      'batch',
      'seed',
    ]);
  });
  it('allows clipping 0 (off) and tbptt 0 (full BPTT)', () => {
    expect(validateTrainForm(withField({ clip: 0, tbptt: 0 }))).toEqual({});
  });
  it('refuses a truncated BPTT chunk longer than the window', () => {
    expect(validateTrainForm(withField({ window: 8, tbptt: 9 })).tbptt).toMatch(
      /may not exceed the window \(8\)/,
    );
    expect(validateTrainForm(withField({ window: 8, tbptt: 8 }))).toEqual({});
  });
  it('refuses an ensemble of Gaussian heads and allows one of mean or direct heads, at most 5 networks', () => {
    expect(validateTrainForm(withField({ head: 'gaussian', ensemble: 3 })).ensemble).toMatch(
      /ensemble is for the mean and direct heads/,
    );
    expect(validateTrainForm(withField({ head: 'gaussian', ensemble: 1 }))).toEqual({});
    expect(validateTrainForm(withField({ head: 'direct', ensemble: 3, outputSteps: 4 }))).toEqual({});
    expect(validateTrainForm(withField({ ensemble: 6 })).ensemble).toBe('Networks must be at most 5');
  });
  it('refuses an unknown learning-rate schedule', () => {
    const form = withField({ lrSchedule: 'step' as TrainForm['lrSchedule'] });
    expect(validateTrainForm(form).lrSchedule).toMatch(/constant or cosine/);
  });
  it('starts from the CLI defaults for what both have in common', () => {
    const D = DEFAULT_TRAIN_OPTIONS;
    expect(defaultTrainForm).toMatchObject({
      cell: D.cell,
      window: D.window,
      lr: D.lr,
      lrSchedule: D.lrSchedule,
      clip: D.clip,
      seed: D.seed,
    });
  });
  it('refuses an unknown cell', () => {
    expect(validateTrainForm(withField({ cell: 'transformer' as TrainForm['cell'] })).cell).toMatch(
      /lstm, gru or rnn/,
    );
  });
});

describe('cliEquivalent()', () => {
  it('spells every option as the whereto train flag of the same name', () => {
    const line = cliEquivalent(
      withField({ cell: 'rnn', hidden: 8, tbptt: 4, seed: 7, lrSchedule: 'cosine' }),
    );
    for (const flag of [
      '--cell rnn',
      '--hidden 8',
      '--tbptt 4',
      '--seed 7',
      '--window 10',
      '--lr-schedule cosine',
      '--clip 1',
    ])
      expect(line).toContain(flag);
  });
});
