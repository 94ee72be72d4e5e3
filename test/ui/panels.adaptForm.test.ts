// Specs for "Adapt to these tracks"' settings: defaults (a few epochs, a lower learning rate, 30 %
// held out), the training form they become for a given parent, and their checks.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_OPTIONS } from '../../src/train/trainOptions.ts';
import type { ModelFile } from '../../src/model/modelFile.ts';
import {
  adaptTrainForm,
  defaultAdaptSettings,
  validateAdaptSettings,
} from '../../src/ui/panels/adaptForm.ts';
import { defaultTrainForm } from '../../src/ui/panels/trainForm.ts';

const parent = {
  architecture: { cell: 'gru', inputSize: 2, hiddenSize: 48, numLayers: 2, head: 'gaussian' },
  encoder: { window: 12, stepSeconds: 30 },
} as unknown as ModelFile; // only the fields adaptTrainForm reads

describe('adaptTrainForm()', () => {
  it("takes the parent's architecture and window, the settings, and the form's defaults for the rest", () => {
    const f = adaptTrainForm(parent, defaultAdaptSettings);
    expect(f).toMatchObject({ cell: 'gru', layers: 2, hidden: 48, head: 'gaussian', window: 12 });
    expect(f).toMatchObject({ epochs: 5, lr: 5e-4, testFraction: 0.3 });
    expect(f.batch).toBe(defaultTrainForm.batch);
    expect(defaultAdaptSettings.lr).toBeLessThan(DEFAULT_TRAIN_OPTIONS.lr);
  });
});

describe('validateAdaptSettings()', () => {
  it('accepts the defaults', () => {
    expect(validateAdaptSettings(defaultAdaptSettings)).toEqual({});
  });
  it("uses the training form's ranges and asks for held-out tracks", () => {
    const e = validateAdaptSettings({ epochs: 0.5, lr: 0, heldOutFraction: 0 });
    expect(e.epochs).toBe('Epochs must be a whole number');
    expect(e.lr).toBe('Learning rate must be greater than 0');
    expect(e.heldOutFraction).toMatch(/^Held-out share must be above 0/);
    expect(validateAdaptSettings({ ...defaultAdaptSettings, heldOutFraction: 0.95 }).heldOutFraction).toBe(
      'Held-out share must be at most 0.9',
    );
  });
});
