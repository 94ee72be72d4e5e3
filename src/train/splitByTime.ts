// The chronological train/validation/test split (`--split-by time`): whole source recordings, oldest
// to training, newest to test. The seeded random split by track is splitByTrack in src/encode.
import type { Track } from '../data/track.ts';

/**
 * Splits tracks by the start time of their source recording (sourceId, else id): oldest first to
 * training, then round(G·val) groups to validation, the newest round(G·test) to test. Ties by key.
 */
export function splitByTime(
  tracks: Track[],
  fractions: { val: number; test: number },
): { train: Track[]; val: Track[]; test: Track[] } {
  const start = new Map<string, number>();
  for (const t of tracks) {
    const key = t.sourceId ?? t.id;
    const t0 = t.t.length ? t.t[0] : Infinity;
    start.set(key, Math.min(start.get(key) ?? Infinity, t0));
  }
  const groups = [...start.keys()].sort(
    (a, b) => start.get(a)! - start.get(b)! || (a < b ? -1 : a > b ? 1 : 0),
  );
  const G = groups.length;
  const nTest = Math.round(G * fractions.test);
  const nVal = Math.min(G - nTest, Math.round(G * fractions.val));
  const side = new Map<string, 'train' | 'val' | 'test'>();
  groups.forEach((g, i) => side.set(g, i >= G - nTest ? 'test' : i >= G - nTest - nVal ? 'val' : 'train'));
  const out = { train: [] as Track[], val: [] as Track[], test: [] as Track[] };
  for (const t of tracks) out[side.get(t.sourceId ?? t.id)!].push(t);
  return out;
}
