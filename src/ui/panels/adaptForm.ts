// "Adapt to these tracks" (fine-tuning the active model in the Model tab): the three settings the
// user edits, their defaults and checks, and the training form they become. The architecture and
// window come from the parent (trainOnTracks overrides them from `init` anyway; they are filled in
// so the run's charts are labelled right). Pure: no DOM.
import type { ModelFile } from '../engine.ts';
import { defaultTrainForm, validateTrainForm, type TrainForm } from './trainForm.ts';

export interface AdaptSettings {
  epochs: number;
  lr: number;
  /** share of the loaded tracks (by track) held out for the before/after comparison */
  heldOutFraction: number;
}

/**
 * A few epochs at a quarter of the default learning rate: enough to move a model toward new tracks
 * without forgetting what it learned; 30 % of the tracks held out so the comparison has windows.
 */
export const defaultAdaptSettings: AdaptSettings = { epochs: 5, lr: 5e-4, heldOutFraction: 0.3 };

/** The training form of a fine-tune of `parent` with `settings` (other options: the form's defaults). */
export function adaptTrainForm(parent: ModelFile, settings: AdaptSettings): TrainForm {
  const a = parent.architecture;
  return {
    ...defaultTrainForm,
    cell: a.cell,
    layers: a.numLayers,
    hidden: a.hiddenSize,
    head: a.head,
    target: parent.encoder.target ?? 'delta',
    window: parent.encoder.window,
    epochs: settings.epochs,
    lr: settings.lr,
    testFraction: settings.heldOutFraction,
  };
}

/** Problems with the three settings, keyed like AdaptSettings; empty when they are valid. */
export function validateAdaptSettings(settings: AdaptSettings): Partial<Record<keyof AdaptSettings, string>> {
  // the training form's own ranges, checked on a form that differs from its defaults only here
  const e = validateTrainForm({
    ...defaultTrainForm,
    epochs: settings.epochs,
    lr: settings.lr,
    testFraction: settings.heldOutFraction,
  });
  const errors: Partial<Record<keyof AdaptSettings, string>> = {};
  if (e.epochs) errors.epochs = e.epochs;
  if (e.lr) errors.lr = e.lr;
  if (e.testFraction) errors.heldOutFraction = e.testFraction.replace(/^Test share/, 'Held-out share');
  else if (!(settings.heldOutFraction > 0))
    errors.heldOutFraction =
      'Held-out share must be above 0: the comparison needs tracks the fine-tune never saw';
  return errors;
}
