// Training-time augmentation of windows of deltas: a random rotation, mirror and speed factor per
// window, applied to its observed deltas and its target together. Pure arithmetic on flat arrays;
// when to redraw (every epoch) is trainOnTracks' business, not this file's.

export interface Augmentation {
  rotate: boolean;
  mirror: boolean;
  speedMin: number;
  speedMax: number;
}

/**
 * Draws one transform per window (rotation θ ~ U[0, 2π) if rotate; mirror y → −y with probability ½ if
 * mirror; speed factor s = exp(U[ln speedMin, ln speedMax])) and applies d' = s·R(θ)·M·d to the window's
 * deltas pastM (n,W,2) and targets targetM (n,H,2), writing outPast and outTarget. Rotations and mirrors
 * are isometries of the plane (no preferred direction); s rescales speed while keeping the path's shape.
 */
export function augmentWindows(
  pastM: Float64Array,
  targetM: Float64Array,
  n: number,
  W: number,
  aug: Augmentation,
  rand: () => number,
  outPast: Float64Array,
  outTarget: Float64Array,
  H = 1,
): void {
  const lo = Math.log(aug.speedMin);
  const hi = Math.log(aug.speedMax);
  for (let i = 0; i < n; i++) {
    const theta = aug.rotate ? 2 * Math.PI * rand() : 0;
    const flip = aug.mirror && rand() < 0.5 ? -1 : 1;
    const s = hi > lo ? Math.exp(lo + (hi - lo) * rand()) : Math.exp(lo);
    const c = Math.cos(theta) * s;
    const sn = Math.sin(theta) * s;
    for (let j = 0; j < W + H; j++) {
      const src = j < W ? pastM : targetM;
      const dst = j < W ? outPast : outTarget;
      const o = j < W ? (i * W + j) * 2 : (i * H + j - W) * 2;
      const dx = src[o];
      const dy = src[o + 1] * flip;
      dst[o] = c * dx - sn * dy;
      dst[o + 1] = sn * dx + c * dy;
    }
  }
}
