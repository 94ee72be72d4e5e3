// What the model file records about the split a model was trained on: track and window counts, the
// source ids of each split (so `whereto eval --split test|val` finds the same tracks again, and a
// fine-tune keeps each of its parent's tracks in the same role) and, for the
// time split, where validation and test begin. Not the split itself (splitByTime.ts, splitByTrack).
import type { Track } from '../data/track.ts';
import type { TrainOptions } from './trainOptions.ts';

/** training.data of the model file for a split of `tracks`; windows counts the windows trained and validated on. */
export function splitRecord(
  tracks: Track[],
  split: { train: Track[]; val: Track[]; test: Track[] },
  windows: { train: number; val: number },
  splitBy: TrainOptions['splitBy'],
): Record<string, unknown> {
  return {
    tracks: tracks.length,
    trainTracks: split.train.length,
    valTracks: split.val.length,
    testTracks: split.test.length,
    trainWindows: windows.train,
    valWindows: windows.val,
    testSourceIds: sourceIds(split.test),
    valSourceIds: sourceIds(split.val),
    trainSourceIds: sourceIds(split.train),
    splitBy,
    ...(splitBy === 'time'
      ? {
          valStartsFrom: isoOrNull(earliestStart(split.val)),
          testStartsFrom: isoOrNull(earliestStart(split.test)),
        }
      : {}),
  };
}

/** The distinct source recordings of tracks (pieces of one recording share its sourceId). */
function sourceIds(tracks: Track[]): string[] {
  return [...new Set(tracks.map((t) => t.sourceId ?? t.id))];
}

/** Earliest start time (Unix seconds) among tracks, NaN for none. */
function earliestStart(tracks: Track[]): number {
  let m = Infinity;
  for (const t of tracks) if (t.t.length) m = Math.min(m, t.t[0]);
  return Number.isFinite(m) ? m : NaN;
}

function isoOrNull(unixSeconds: number): string | null {
  return Number.isFinite(unixSeconds) ? new Date(unixSeconds * 1000).toISOString() : null;
}
