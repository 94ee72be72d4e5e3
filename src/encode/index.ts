// The encode module's public surface: deltas in metres, features, normalization, windows, splits.
export {
  DEFAULT_FEATURES,
  FEATURE_NAMES,
  type EncoderSettings,
  type FeatureName,
} from './encoderSettings.ts';
export { featuresFromDeltas, rawFeature } from './featuresFromDeltas.ts';
export { fitEncoder } from './fitEncoder.ts';
export { makeWindows, type Windows } from './makeWindows.ts';
export { splitByTrack, mulberry32 } from './splitByTrack.ts';
export { trackDeltas, deltasInto, decodeDeltas } from './trackDeltas.ts';
