// Cleans tracks for the encoder and counts every step: sort by time, drop repeated timestamps,
// drop speed spikes (GPS outliers), split on jumps and on time gaps, resample each piece to a fixed step by
// linear interpolation (never across a gap), drop pieces too short to use.
// Not a reader (readTracks) and not the encoder: positions stay in degrees.
import { haversineMeters } from '../geo/distanceMeters.ts';
import { EARTH_RADIUS_METERS } from '../geo/earthRadius.ts';
import { medianStepSeconds } from './medianStepSeconds.ts';
import type { Track } from './track.ts';

export interface PrepareOptions {
  /** A point implying a faster move from the previous kept point is a spike (dropped) or a jump (split). Default 200. */
  maxSpeedKmh?: number;
  /** A time step longer than gapFactor × the median step splits the track. Default 4. */
  gapFactor?: number;
  /** Up to this many consecutive implausible points are a spike (dropped) when the track comes back; longer runs are a jump (split). Default 3. */
  maxSpikePoints?: number;
  /** An explicit gap threshold in seconds (overrides gapFactor). */
  maxGapSeconds?: number;
  /** Resampling step in seconds. Default: the data's median step. */
  stepSeconds?: number;
  /** Pieces with fewer resampled points are dropped. Default 3 (two deltas). */
  minPoints?: number;
}

export interface CleanReport {
  inputTracks: number;
  inputPoints: number;
  /** Points that were out of time order in their track (t[i] < t[i−1]) before sorting. */
  outOfOrderPoints: number;
  /** Points sharing a time with the previous point but at another position (the first is kept). */
  sameTimeDropped: number;
  /** Points of spikes: up to maxSpikePoints consecutive points implying more than maxSpeedKmh, after which the track comes back. */
  speedDropped: number;
  /** Splits at a step faster than maxSpeedKmh that is not part of a spike. */
  jumpSplits: number;
  /** Splits at a time step longer than maxGapSeconds. */
  gapSplits: number;
  /** Pieces dropped for having fewer than minPoints resampled points, and the raw points they held. */
  shortPiecesDropped: number;
  shortPiecePoints: number;
  outputTracks: number;
  /** Resampled points in the output. */
  outputPoints: number;
  stepSeconds: number;
  maxGapSeconds: number;
  maxSpeedKmh: number;
  minPoints: number;
}

const RAD = Math.PI / 180;

/**
 * True when moving between the points in dtSeconds is faster than maxSpeedMps (great-circle distance,
 * haversineMeters). An equirectangular estimate (one cosine) decides clear cases; within 1 % of the
 * limit, far from the equator or over 100 km it defers to the haversine, so the answer is the same.
 */
export function tooFast(lat1: number, lon1: number, lat2: number, lon2: number, dtSeconds: number, maxSpeedMps: number): boolean {
  const limit = maxSpeedMps * dtSeconds;
  let dLon = lon2 - lon1;
  if (dLon > 180) dLon -= 360;
  else if (dLon < -180) dLon += 360;
  const x = dLon * RAD * Math.cos(((lat1 + lat2) / 2) * RAD);
  const y = (lat2 - lat1) * RAD;
  const d = EARTH_RADIUS_METERS * Math.sqrt(x * x + y * y);
  if (d < 100_000 && Math.abs(lat1) < 80 && Math.abs(d - limit) > 0.01 * limit) return d > limit;
  return haversineMeters(lat1, lon1, lat2, lon2) > limit;
}

interface Sorted {
  lat: Float64Array;
  lon: Float64Array;
  t: Float64Array;
}

function sortByTime(tr: Track, report: CleanReport): Sorted {
  const { t } = tr;
  let outOfOrder = 0;
  for (let i = 1; i < t.length; i++) if (t[i] < t[i - 1]) outOfOrder++;
  if (outOfOrder === 0) return tr;
  report.outOfOrderPoints += outOfOrder;
  const order = new Uint32Array(t.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => t[a] - t[b] || a - b);
  const pick = (a: Float64Array) => {
    const b = new Float64Array(a.length);
    for (let i = 0; i < b.length; i++) b[i] = a[order[i]];
    return b;
  };
  return { lat: pick(tr.lat), lon: pick(tr.lon), t: pick(t) };
}

/** Linear interpolation of a piece [from, to) at times from its start in steps of stepSeconds, appended to out. */
function resamplePiece(s: Sorted, idx: Int32Array, from: number, to: number, stepSeconds: number, out: Sorted, at: number): number {
  const t0 = s.t[idx[from]];
  const tEnd = s.t[idx[to - 1]];
  const count = Math.floor((tEnd - t0) / stepSeconds + 1e-9) + 1;
  let k = from;
  for (let j = 0; j < count; j++) {
    const tj = t0 + j * stepSeconds;
    while (k + 1 < to - 1 && s.t[idx[k + 1]] <= tj) k++;
    const a = idx[k];
    const b = idx[Math.min(k + 1, to - 1)];
    const span = s.t[b] - s.t[a];
    const w = span > 0 ? Math.min(1, Math.max(0, (tj - s.t[a]) / span)) : 0;
    let dLon = s.lon[b] - s.lon[a];
    if (dLon > 180) dLon -= 360;
    else if (dLon < -180) dLon += 360;
    let lon = s.lon[a] + w * dLon;
    if (lon > 180) lon -= 360;
    else if (lon < -180) lon += 360;
    out.lat[at + j] = s.lat[a] + w * (s.lat[b] - s.lat[a]);
    out.lon[at + j] = lon;
    out.t[at + j] = tj;
  }
  return count;
}

/**
 * Cleans, splits and resamples `tracks` (see the file header for the steps and PrepareOptions for the
 * defaults). Output tracks keep their id when not split, else get `#1`, `#2`, …; sourceId is the input id.
 * Speeds use haversineMeters (R = 6371008.8 m).
 */
export function prepareTracks(
  tracks: Track[],
  options: PrepareOptions = {},
): { tracks: Track[]; stepSeconds: number; report: CleanReport } {
  const maxSpeedKmh = options.maxSpeedKmh ?? 200;
  const maxSpeedMps = maxSpeedKmh / 3.6;
  const minPoints = Math.max(1, options.minPoints ?? 3);
  const maxSpikePoints = Math.max(0, options.maxSpikePoints ?? 3);
  const report: CleanReport = {
    inputTracks: tracks.length,
    inputPoints: 0,
    outOfOrderPoints: 0,
    sameTimeDropped: 0,
    speedDropped: 0,
    jumpSplits: 0,
    gapSplits: 0,
    shortPiecesDropped: 0,
    shortPiecePoints: 0,
    outputTracks: 0,
    outputPoints: 0,
    stepSeconds: NaN,
    maxGapSeconds: NaN,
    maxSpeedKmh,
    minPoints,
  };
  const sorted = tracks.map((tr) => {
    report.inputPoints += tr.t.length;
    return sortByTime(tr, report);
  });
  const median = medianStepSeconds(sorted.map((s, i) => ({ ...tracks[i], ...s })));
  const stepSeconds = options.stepSeconds ?? (Number.isFinite(median) ? median : 1);
  const maxGapSeconds = options.maxGapSeconds ?? (options.gapFactor ?? 4) * (Number.isFinite(median) ? median : stepSeconds);
  report.stepSeconds = stepSeconds;
  report.maxGapSeconds = maxGapSeconds;

  const out: Track[] = [];
  for (let ti = 0; ti < sorted.length; ti++) {
    const s = sorted[ti];
    const { lat, lon, t } = s;
    const n = t.length;
    if (n === 0) continue;
    // Kept point indices, and where each piece starts in that list.
    const idx = new Int32Array(n);
    const starts: number[] = [0];
    let m = 0;
    idx[m++] = 0;
    for (let i = 1; i < n; i++) {
      const p = idx[m - 1];
      const dt = t[i] - t[p];
      if (dt === 0) {
        report.sameTimeDropped++;
        continue;
      }
      if (dt > maxGapSeconds) {
        report.gapSplits++;
        starts.push(m);
        idx[m++] = i;
        continue;
      }
      if (tooFast(lat[p], lon[p], lat[i], lon[i], dt, maxSpeedMps)) {
        // A spike: within the next maxSpikePoints points the track comes back to where a plausible
        // speed from p could reach. Drop the spike's points; otherwise it is a jump and we split.
        let back = -1;
        for (let q = i + 1; q < n && q <= i + maxSpikePoints; q++) {
          const dtq = t[q] - t[p];
          if (dtq > maxGapSeconds) break;
          if (dtq > 0 && !tooFast(lat[p], lon[p], lat[q], lon[q], dtq, maxSpeedMps)) {
            back = q;
            break;
          }
        }
        if (back > 0) {
          report.speedDropped += back - i;
          i = back - 1;
          continue;
        }
        report.jumpSplits++;
        starts.push(m);
      }
      idx[m++] = i;
    }
    starts.push(m);
    const pieces: Track[] = [];
    for (let k = 0; k + 1 < starts.length; k++) {
      const from = starts[k];
      const to = starts[k + 1];
      const span = t[idx[to - 1]] - t[idx[from]];
      const count = Math.floor(span / stepSeconds + 1e-9) + 1;
      if (count < minPoints) {
        report.shortPiecesDropped++;
        report.shortPiecePoints += to - from;
        continue;
      }
      const piece: Sorted = { lat: new Float64Array(count), lon: new Float64Array(count), t: new Float64Array(count) };
      resamplePiece(s, idx, from, to, stepSeconds, piece, 0);
      pieces.push({ id: '', file: tracks[ti].file, sourceId: tracks[ti].sourceId ?? tracks[ti].id, ...piece });
    }
    pieces.forEach((p, k) => {
      p.id = pieces.length > 1 ? `${tracks[ti].id}#${k + 1}` : tracks[ti].id;
      report.outputPoints += p.t.length;
      out.push(p);
    });
  }
  report.outputTracks = out.length;
  return { tracks: out, stepSeconds, report };
}
