// Turns the time slider's position into index ranges over a track's points: the observed window
// the model sees, the true future it is scored against. Pure; no Leaflet, no model.

export interface SliderWindow {
  /** First point drawn as "observed" (inclusive). */
  observedStart: number;
  /** Last observed point (inclusive): the prediction uses points <= endIndex only. */
  endIndex: number;
  /** Last true-future point (inclusive); equals endIndex when the track ends there. */
  futureEnd: number;
}

/**
 * The slider's range for a track of `points` points, a model that reads `window` deltas
 * (so window + 1 points) and predicts `horizon` steps: from the first index with a full window
 * (or 1 for shorter tracks) to the last point but one, so there is always some future to compare.
 * Returns null when the track has fewer than 2 points.
 */
export function sliderRange(points: number, window: number): { min: number; max: number } | null {
  if (points < 2) return null;
  const max = Math.max(1, points - 2);
  const min = Math.min(Math.max(1, window), max);
  return { min, max };
}

/** The windows at slider position `endIndex` (clamped into the track). */
export function sliderWindow(
  points: number,
  endIndex: number,
  window: number,
  horizon: number,
): SliderWindow {
  const end = Math.min(Math.max(0, Math.round(endIndex)), Math.max(0, points - 1));
  return {
    observedStart: Math.max(0, end - window),
    endIndex: end,
    futureEnd: Math.min(points - 1, end + horizon),
  };
}
