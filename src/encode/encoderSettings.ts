// What the encoder is: the step, the window length, the input features, their normalization and
// each window's frame. Saved as the model file's encoder section, so a model always decodes with the
// statistics it was trained with. Not the fitting (fitEncoder.ts) nor the encoding (encodeWindow.ts).

/** Input features per step, computed from deltas only so a rollout can feed back its own predictions. */
export type FeatureName = 'dx' | 'dy' | 'speed' | 'sinHeading' | 'cosHeading' | 'dt';
export const FEATURE_NAMES: readonly FeatureName[] = ['dx', 'dy', 'speed', 'sinHeading', 'cosHeading', 'dt'];
export const DEFAULT_FEATURES: readonly FeatureName[] = ['dx', 'dy'];

export interface EncoderSettings {
  /** Resampling step of the tracks the encoder is used on. */
  stepSeconds: number;
  /** W: observed deltas per window. */
  window: number;
  /** Input features in order; always starts with dx, dy. X = features.length. */
  features: FeatureName[];
  /** Per feature, fitted on the training split only: input = (raw − mean) / std. */
  inputMean: number[];
  inputStd: number[];
  /** Metres; targets are the next (dx, dy) / targetStd (no mean shift, one scale for both axes). */
  targetStd: number;
  /** Each window is rotated so its last observed delta points along +x (and the output back). */
  align: boolean;
  /** Each window is rescaled to targetStd by its own RMS step length (absent in older files = false). */
  scaleWindows?: boolean;
}
