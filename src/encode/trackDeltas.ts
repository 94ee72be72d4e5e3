// Positions → per-step deltas in metres and back. Each delta (dx east, dy north) is the next point in
// the local tangent plane centred on the current point (azimuthal equidistant, see geo/localProjection),
// so a delta means the same thing anywhere on Earth and decoding chains exact inverse projections.
import { EARTH_RADIUS_METERS } from '../geo/earthRadius.ts';
import type { LatLon } from '../geo/latLon.ts';
import { localProjection } from '../geo/localProjection.ts';
import type { Track } from '../data/track.ts';

const RAD = Math.PI / 180;

/**
 * Writes the (n−1) deltas of the points into out (n−1, 2) metres: point i+1 projected on the plane
 * tangent at point i. Same formulas as localProjection.toXY (Snyder 1987, eq. 25-2), unrolled so each
 * point's sin/cos latitude is computed once.
 */
export function deltasInto(
  out: Float64Array,
  lat: ArrayLike<number>,
  lon: ArrayLike<number>,
  n: number,
): void {
  if (n < 2) return;
  let sin0 = Math.sin(lat[0] * RAD);
  let cos0 = Math.cos(lat[0] * RAD);
  for (let i = 1; i < n; i++) {
    const phi = lat[i] * RAD;
    const sinPhi = Math.sin(phi);
    const cosPhi = Math.cos(phi);
    const dLam = (lon[i] - lon[i - 1]) * RAD;
    const sinHalf = Math.sin(dLam / 2);
    const oneMinusCosDLam = 2 * sinHalf * sinHalf;
    // cos φ0 sin φ − sin φ0 cos φ cos Δλ = sin(φ − φ0) + sin φ0 cos φ (1 − cos Δλ), without cancellation.
    const north = sinPhi * cos0 - cosPhi * sin0 + sin0 * cosPhi * oneMinusCosDLam;
    const east = cosPhi * Math.sin(dLam);
    // k = c / sin c with c the angular step; east² + north² = sin² c. For steps under ~64 km on the
    // near side (cos c > 0), k = asin(s)/s = 1 + s²/6 + 3s⁴/40 + O(s⁶) is exact to 1e-13: no acos.
    const s2 = east * east + north * north;
    const cosC = sin0 * sinPhi + cos0 * cosPhi * (1 - oneMinusCosDLam);
    let k: number;
    if (s2 < 1e-4 && cosC > 0) k = 1 + s2 / 6 + (3 * s2 * s2) / 40;
    else {
      const c = Math.acos(Math.min(1, Math.max(-1, cosC)));
      k = c === 0 ? 1 : c / Math.sin(c);
    }
    out[2 * (i - 1)] = EARTH_RADIUS_METERS * k * east;
    out[2 * (i - 1) + 1] = EARTH_RADIUS_METERS * k * north;
    sin0 = sinPhi;
    cos0 = cosPhi;
  }
}

/** The track's first point and its (n−1, 2) deltas in metres. */
export function trackDeltas(track: Track): { origin: LatLon; deltas: Float64Array } {
  const n = track.t.length;
  const deltas = new Float64Array(Math.max(0, n - 1) * 2);
  deltasInto(deltas, track.lat, track.lon, n);
  return { origin: { lat: track.lat[0], lon: track.lon[0] }, deltas };
}

/** Positions reached from (lat, lon) by n deltas (n, 2) metres: each step is an inverse projection at the current point. Float64. */
export function decodeDeltas(
  lat: number,
  lon: number,
  deltas: ArrayLike<number>,
  n: number,
): { lat: Float64Array; lon: Float64Array } {
  const outLat = new Float64Array(n);
  const outLon = new Float64Array(n);
  let p: LatLon = { lat, lon };
  for (let i = 0; i < n; i++) {
    p = localProjection(p).toLatLon(deltas[2 * i], deltas[2 * i + 1]);
    outLat[i] = p.lat;
    outLon[i] = p.lon;
  }
  return { lat: outLat, lon: outLon };
}
