// What the encoder is: the step, the window length, the input features, their normalization and
// each window's frame. Saved as the model file's encoder section, so a model always decodes with the
// statistics it was trained with. Not the fitting (fitEncoder.ts) nor the encoding (encodeWindow.ts).

/** Input features per step, computed from deltas only so a rollout can feed back its own predictions. */
export type FeatureName = 'dx' | 'dy' | 'speed' | 'sinHeading' | 'cosHeading' | 'dt';
export const FEATURE_NAMES: readonly FeatureName[] = ['dx', 'dy', 'speed', 'sinHeading', 'cosHeading', 'dt'];
export const DEFAULT_FEATURES: readonly FeatureName[] = ['dx', 'dy'];

/**
 * What the network predicts. 'delta': the next delta in the window's frame (align, scaleWindows) in
 * units of targetStd. 'cv-residual': the correction to constant velocity in the speed-and-heading
 * frame (windowFrame.ts): a zero output IS constant velocity.
 */
export type TargetKind = 'delta' | 'cv-residual';
export const TARGET_KINDS: readonly TargetKind[] = ['delta', 'cv-residual'];
/** cv-residual frame: s = max(frameFloorM, RMS length of the last frameSteps deltas). */
export const DEFAULT_FRAME_FLOOR_M = 2;
export const DEFAULT_FRAME_STEPS = 3;

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
  /** Absent (version-1 files) = 'delta'. With 'cv-residual', align and scaleWindows are false and targetStd is 1. */
  target?: TargetKind;
  /** cv-residual only: the frame's scale floor in metres (a standing window is not blown up). */
  frameFloorM?: number;
  /** cv-residual only: how many of the last deltas the frame's scale is the RMS length of. */
  frameSteps?: number;
}
