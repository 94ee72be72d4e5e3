// Resamples a drawn path (one point per click, `clickStepSeconds` apart) to the model's step by
// linear interpolation in latitude/longitude: exact enough for the few hundred metres between
// clicks (the error of interpolating degrees is far below a metre at that scale). Pure.
import type { LatLon } from '../engine.ts';

/**
 * Points at t = 0, stepSeconds, 2·stepSeconds, … up to the last click's time
 * ((n − 1) · clickStepSeconds), interpolated between the clicks; the last click is always kept
 * as the final point, so the prediction starts from where the user clicked last.
 */
export function resamplePath(
  points: readonly LatLon[],
  clickStepSeconds: number,
  stepSeconds: number,
): LatLon[] {
  if (points.length < 2 || clickStepSeconds === stepSeconds) return points.slice();
  const endSeconds = (points.length - 1) * clickStepSeconds;
  const out: LatLon[] = [];
  // count steps back from the last click so the final point is the last click itself
  const n = Math.floor(endSeconds / stepSeconds + 1e-9);
  for (let k = n; k >= 0; k--) {
    const t = endSeconds - k * stepSeconds;
    const f = t / clickStepSeconds;
    const i = Math.min(points.length - 2, Math.floor(f));
    const w = f - i;
    const a = points[i];
    const b = points[i + 1];
    out.push({ lat: a.lat + w * (b.lat - a.lat), lon: a.lon + w * (b.lon - a.lon) });
  }
  return out;
}
