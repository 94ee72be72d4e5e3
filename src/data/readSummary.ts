// What was read, as `whereto inspect --json` prints it and the app shows it: per-file and total
// counts, rejected rows (first 1000), time range, bounding box and median step. Pure; before cleaning.
import { medianStepSeconds } from './medianStepSeconds.ts';
import type { ReadError } from './readError.ts';
import type { ReadResult, RejectedRow } from './track.ts';

export interface ReadSummary {
  files: { file: string; format: string | null; tracks: number; points: number; rejectedCount: number; error?: string }[];
  /** Distinct track ids before splitting (GPX: segments). */
  tracks: number;
  /** Accepted points after merging exact duplicates, before cleaning or resampling. */
  points: number;
  rejectedCount: number;
  rejected: RejectedRow[];
  /** ISO-8601 UTC of the earliest and latest point; null when nothing was read. */
  timeRange: [string, string] | null;
  /** [minLon, minLat, maxLon, maxLat] (GeoJSON order); null when nothing was read. */
  bbox: [number, number, number, number] | null;
  medianStepSeconds: number | null;
}

export const MAX_LISTED_REJECTIONS = 1000;

/** Summarizes read results (and files that failed, listed with their error). */
export function readSummary(results: ReadResult[], failures: ReadError[] = []): ReadSummary {
  let tMin = Infinity;
  let tMax = -Infinity;
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  let points = 0;
  let tracks = 0;
  let rejectedCount = 0;
  const rejected: RejectedRow[] = [];
  for (const r of results) {
    tracks += r.tracks.length;
    points += r.accepted;
    rejectedCount += r.rejectedCount;
    for (const row of r.rejected) if (rejected.length < MAX_LISTED_REJECTIONS) rejected.push(row);
    for (const tr of r.tracks)
      for (let i = 0; i < tr.t.length; i++) {
        const t = tr.t[i];
        if (t < tMin) tMin = t;
        if (t > tMax) tMax = t;
        const lat = tr.lat[i];
        const lon = tr.lon[i];
        if (lat < minLat) minLat = lat;
        if (lat > maxLat) maxLat = lat;
        if (lon < minLon) minLon = lon;
        if (lon > maxLon) maxLon = lon;
      }
  }
  const median = medianStepSeconds(results.flatMap((r) => r.tracks));
  const iso = (s: number) => new Date(Math.round(s * 1000)).toISOString().replace('.000Z', 'Z');
  return {
    files: [
      ...results.map((r) => ({ file: r.file, format: r.format, tracks: r.tracks.length, points: r.accepted, rejectedCount: r.rejectedCount })),
      ...failures.map((e) => ({ file: e.file, format: null, tracks: 0, points: 0, rejectedCount: 0, error: e.message })),
    ],
    tracks,
    points,
    rejectedCount,
    rejected,
    timeRange: points > 0 ? [iso(tMin), iso(tMax)] : null,
    bbox: points > 0 ? [minLon, minLat, maxLon, maxLat] : null,
    medianStepSeconds: Number.isFinite(median) ? median : null,
  };
}
