// The observed deltas of one window of a resampled track, in metres, exactly as the encoder defines
// them (src/encode/trackDeltas: each point projected on the plane tangent at the previous point).
// Shared by training, prediction and evaluation. Points after endIndex are never read.
import type { Track } from '../data/track.ts';
import { deltasInto } from './trackDeltas.ts';

/**
 * Writes the W deltas (W,2) that end at point endIndex into out at `offset`: delta j goes from point
 * endIndex − W + j to the next. Deltas before the track's first point are 0 (a short track is treated
 * as having stood still before it started).
 */
export function windowDeltas(
  track: Track,
  endIndex: number,
  W: number,
  out: Float64Array,
  offset: number,
): void {
  const first = Math.max(0, endIndex - W);
  const have = endIndex - first; // real deltas available
  const pad = W - have;
  out.fill(0, offset, offset + 2 * pad);
  if (have > 0)
    deltasInto(
      out.subarray(offset + 2 * pad, offset + 2 * W),
      track.lat.subarray(first, endIndex + 1),
      track.lon.subarray(first, endIndex + 1),
      have + 1,
    );
}
