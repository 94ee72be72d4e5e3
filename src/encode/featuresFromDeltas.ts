// Model inputs from deltas: per step the declared features (dx, dy, speed, sin/cos heading, dt),
// normalized with the encoder's training statistics. Used for training windows and for rollouts,
// which feed their own predicted deltas back through the same function.
import type { EncoderSettings, FeatureName } from './encoderSettings.ts';

/** The raw (unnormalized) value of feature f for a delta (dx, dy) metres over stepSeconds. */
export function rawFeature(f: FeatureName, dx: number, dy: number, stepSeconds: number): number {
  switch (f) {
    case 'dx':
      return dx;
    case 'dy':
      return dy;
    case 'speed':
      return Math.hypot(dx, dy) / stepSeconds;
    case 'sinHeading': {
      // Heading clockwise from north: sin = east / |d|; a standing step has no heading (0, 0).
      const r = Math.hypot(dx, dy);
      return r > 0 ? dx / r : 0;
    }
    case 'cosHeading': {
      const r = Math.hypot(dx, dy);
      return r > 0 ? dy / r : 0;
    }
    case 'dt':
      return stepSeconds;
  }
}

/**
 * Writes out (n, X) = normalized features of n deltas (n, 2) metres: (raw − inputMean) / inputStd,
 * X = enc.features.length, in enc.features order.
 */
export function featuresFromDeltas(
  out: Float32Array,
  deltas: ArrayLike<number>,
  n: number,
  enc: EncoderSettings,
): void {
  const X = enc.features.length;
  const { features, inputMean, inputStd, stepSeconds } = enc;
  const plain = X === 2 && features[0] === 'dx' && features[1] === 'dy';
  if (plain) {
    const m0 = inputMean[0];
    const m1 = inputMean[1];
    const s0 = 1 / inputStd[0];
    const s1 = 1 / inputStd[1];
    for (let i = 0; i < n; i++) {
      out[2 * i] = (deltas[2 * i] - m0) * s0;
      out[2 * i + 1] = (deltas[2 * i + 1] - m1) * s1;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const dx = deltas[2 * i];
    const dy = deltas[2 * i + 1];
    for (let f = 0; f < X; f++)
      out[i * X + f] = (rawFeature(features[f], dx, dy, stepSeconds) - inputMean[f]) / inputStd[f];
  }
}
