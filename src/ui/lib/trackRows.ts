// The track list's rows and its pure search/sort, kept out of the component so they can be tested
// in Node. It knows nothing of Svelte or the DOM.

/** What the list needs of a track (a structural subset of src/data/track.ts's Track). */
export interface TrackLike {
  id: string;
  file: string;
  t: ArrayLike<number>;
}

export interface TrackRow<T extends TrackLike = TrackLike> {
  track: T;
  /** Position in the app's loaded tracks (LoadedTracks.tracks), a stable key while the tracks are not replaced. */
  index: number;
  id: string;
  file: string;
  points: number;
  durationSeconds: number;
}

export type SortKey = 'id' | 'points' | 'duration' | 'file';
export type SortDir = 'asc' | 'desc';

/** One row per track: point count and duration (last minus first timestamp, seconds). */
export function trackRows<T extends TrackLike>(tracks: readonly T[]): TrackRow<T>[] {
  return tracks.map((track, index) => {
    const n = track.t.length;
    return {
      track,
      index,
      id: track.id,
      file: track.file,
      points: n,
      durationSeconds: n > 1 ? track.t[n - 1] - track.t[0] : 0,
    };
  });
}

/**
 * Rows whose id or file name contains every whitespace-separated word of `query`
 * (case-insensitive), sorted by `key`; ties keep load order. Never mutates `rows`.
 */
export function filterAndSort<T extends TrackLike>(
  rows: readonly TrackRow<T>[],
  query: string,
  key: SortKey,
  dir: SortDir,
): TrackRow<T>[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const kept = words.length
    ? rows.filter((r) => {
        const hay = `${r.id}\n${r.file}`.toLowerCase();
        return words.every((w) => hay.includes(w));
      })
    : rows.slice();
  const sign = dir === 'asc' ? 1 : -1;
  const collator = new Intl.Collator('en', { numeric: true });
  const cmp = (a: TrackRow<T>, b: TrackRow<T>): number => {
    switch (key) {
      case 'points':
        return a.points - b.points;
      case 'duration':
        return a.durationSeconds - b.durationSeconds;
      case 'file':
        return collator.compare(a.file, b.file);
      case 'id':
        return collator.compare(a.id, b.id);
    }
  };
  return kept.sort((a, b) => sign * cmp(a, b) || a.index - b.index);
}
