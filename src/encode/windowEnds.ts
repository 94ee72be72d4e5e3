// Where the windows of a set of tracks are: the ONE enumeration shared by training (H = 1), the
// encoder's fit and evaluation. A window at end index e observes the W deltas up to point e and is
// scored on the H points after it, so no future point leaks into its inputs.
import type { Track } from '../data/track.ts';

/** The windows of tracks, in track order: every last-observed index e with W points before it and H after it. */
export function windowEnds(tracks: Track[], W: number, H: number): { track: Int32Array; end: Int32Array } {
  const track: number[] = [];
  const end: number[] = [];
  tracks.forEach((t, ti) => {
    for (let e = W; e + H <= t.lat.length - 1; e++) {
      track.push(ti);
      end.push(e);
    }
  });
  return { track: Int32Array.from(track), end: Int32Array.from(end) };
}
