// The app's one seam to the engine: the types and functions the UI uses from src/data, src/geo,
// src/predict and src/model, re-exported from one place so the components never reach further.
// INTERIM: until the data and CLI engineers' modules land, this file holds minimal stand-ins with
// the contract's names and shapes (COMMON.md); each is replaced by a re-export when its module lands.
import { constantVelocityForecast } from '../predict/baselines.ts';
import type { ModelFile } from '../model/modelFile.ts';

export interface LatLon {
  lat: number;
  lon: number;
}
export interface Track {
  id: string;
  file: string;
  lat: Float64Array;
  lon: Float64Array;
  t: Float64Array;
}
export interface RejectedRow {
  file: string;
  line: number;
  reason: string;
}
export interface ReadResult {
  file: string;
  format: string;
  tracks: Track[];
  rows: number;
  accepted: number;
  merged: number;
  rejectedCount: number;
  rejected: RejectedRow[];
}
export interface Prediction {
  points: LatLon[];
  sigmaXM?: number[];
  sigmaYM?: number[];
  rho?: number[];
}
export class ReadError extends Error {}

/** The formats the loader reads, for the file button's `accept` and the drop zone's hint. */
export const acceptedExtensions = ['.csv', '.gpx', '.geojson', '.json', '.plt', '.txt'];

const earthRadiusM = 6371008.8;

/** Great-circle distance, metres (haversine, mean Earth radius; the contract's distanceMeters). */
export function distanceMeters(a: LatLon, b: LatLon): number {
  const toRad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * toRad;
  const dLon = (b.lon - a.lon) * toRad;
  const s =
    Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusM * Math.asin(Math.min(1, Math.sqrt(s)));
}

/** Local tangent plane around origin (equirectangular), metres, x east y north. */
export function localProjection(origin: LatLon) {
  const toRad = Math.PI / 180;
  const kx = earthRadiusM * Math.cos(origin.lat * toRad) * toRad;
  const ky = earthRadiusM * toRad;
  return {
    toXY: (lat: number, lon: number) => ({ xM: (lon - origin.lon) * kx, yM: (lat - origin.lat) * ky }),
    toLatLon: (xM: number, yM: number): LatLon => ({ lat: origin.lat + yM / ky, lon: origin.lon + xM / kx }),
  };
}

/** Constant velocity from the track's points <= endIndex: repeat the last delta `steps` times. */
export function constantVelocity(track: Track, endIndex: number, steps: number): Prediction {
  const origin = { lat: track.lat[endIndex], lon: track.lon[endIndex] };
  const proj = localProjection(origin);
  const past: number[] = [];
  if (endIndex > 0) {
    const a = proj.toXY(track.lat[endIndex - 1], track.lon[endIndex - 1]);
    past.push(-a.xM, -a.yM);
  }
  const f = constantVelocityForecast(past, past.length / 2, steps);
  const points: LatLon[] = [];
  let x = 0;
  let y = 0;
  for (let k = 0; k < steps; k++) {
    x += f.dxM[k];
    y += f.dyM[k];
    points.push(proj.toLatLon(x, y));
  }
  return { points };
}

/** INTERIM stand-in for src/data/readTracks.ts: CSV with track_id,timestamp,lat,lon only. */
export async function readTracks(name: string, input: string | Blob): Promise<ReadResult> {
  const text = typeof input === 'string' ? input : await input.text();
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((s) => s.trim().toLowerCase());
  const col = (names: string[]) => header.findIndex((h) => names.includes(h));
  const ci = col(['track_id', 'id', 'trip_id']);
  const ct = col(['timestamp', 'time', 't']);
  const cla = col(['lat', 'latitude']);
  const clo = col(['lon', 'lng', 'longitude']);
  if (ci < 0 || ct < 0 || cla < 0 || clo < 0)
    throw new ReadError(`${name}: no track_id,timestamp,lat,lon header`);
  const by = new Map<string, { lat: number[]; lon: number[]; t: number[] }>();
  const rejected: RejectedRow[] = [];
  let rows = 0;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    rows++;
    const c = lines[i].split(',');
    const lat = Number(c[cla]);
    const lon = Number(c[clo]);
    const ts = c[ct] ?? '';
    const t = /^\d+(\.\d+)?$/.test(ts) ? Number(ts) : Date.parse(ts) / 1000;
    let reason = '';
    if (!(Math.abs(lat) <= 90)) reason = `latitude '${c[cla] ?? ''}' is not a number in [-90, 90]`;
    else if (!(Math.abs(lon) <= 180)) reason = `longitude '${c[clo] ?? ''}' is not a number in [-180, 180]`;
    else if (!Number.isFinite(t)) reason = `timestamp '${ts}' is not a date`;
    if (reason) {
      rejected.push({ file: name, line: i + 1, reason });
      continue;
    }
    const id = c[ci] ?? '';
    let g = by.get(id);
    if (!g) by.set(id, (g = { lat: [], lon: [], t: [] }));
    g.lat.push(lat);
    g.lon.push(lon);
    g.t.push(t);
  }
  const tracks = [...by].map(([id, g]) => ({
    id,
    file: name,
    lat: Float64Array.from(g.lat),
    lon: Float64Array.from(g.lon),
    t: Float64Array.from(g.t),
  }));
  return {
    file: name,
    format: 'csv',
    tracks,
    rows,
    accepted: rows - rejected.length,
    merged: 0,
    rejectedCount: rejected.length,
    rejected: rejected.slice(0, 1000),
  };
}

/** INTERIM stand-in for src/data/prepareTracks.ts: keeps tracks with 2+ points as they are. */
export function prepareTracks(tracks: Track[], options: { stepSeconds?: number } = {}) {
  const kept = tracks.filter((t) => t.t.length >= 2);
  return {
    tracks: kept,
    stepSeconds: options.stepSeconds ?? 15,
    report: { input: tracks.length, kept: kept.length },
  };
}

export { parseModelFile, type ModelFile } from '../model/modelFile.ts';

/** The predictor (src/predict/predictor.ts): a model with its encoder, predicting tracks. */
export interface Predictor {
  encoder: ModelFile['encoder'];
  architecture: ModelFile['architecture'];
  predictTrack(track: Track, endIndex: number, steps: number): Prediction;
  liveStepper(): { push(lat: number, lon: number): Prediction | null };
}

/** INTERIM: Predictor.fromModelFile lands with src/predict/predictor.ts; until then no model runs. */
export function createPredictor(mf: ModelFile): Predictor {
  throw new Error(
    `this build cannot run ${mf.architecture.cell} models yet (src/predict/predictor.ts is missing)`,
  );
}
