// Local tangent plane around an origin, in metres, x east and y north: the azimuthal equidistant
// projection on the mean-radius sphere. Not Web Mercator (its scale grows as 1/cos(lat)).
// Distances from the origin are exact great-circle distances (the projection's defining property);
// other distances are stretched by at most c/sin(c) − 1 ≈ c²/6 across the radius (c = angle from
// the origin): 1e-5 at 50 km, far inside the 0.1 % budget.
import { EARTH_RADIUS_METERS } from './earthRadius.ts';
import type { LatLon } from './latLon.ts';

const RAD = Math.PI / 180;

export interface LocalProjection {
  origin: LatLon;
  /** Degrees → metres east (xM) and north (yM) of the origin. */
  toXY(lat: number, lon: number): { xM: number; yM: number };
  /** Metres east/north of the origin → degrees. Exact inverse of toXY. */
  toLatLon(xM: number, yM: number): LatLon;
}

/**
 * Azimuthal equidistant projection centred on `origin` (spherical form, R = 6371008.8 m):
 * J. P. Snyder, "Map Projections — A Working Manual", USGS Professional Paper 1395 (1987),
 * pp. 195–196, eqs. (25-2), (22-5), (22-6) forward and (20-14), (20-15), (25-15) inverse.
 */
export function localProjection(origin: LatLon): LocalProjection {
  const phi0 = origin.lat * RAD;
  const lam0 = origin.lon * RAD;
  const sin0 = Math.sin(phi0);
  const cos0 = Math.cos(phi0);
  return {
    origin: { lat: origin.lat, lon: origin.lon },
    toXY(lat, lon) {
      const phi = lat * RAD;
      const dLam = lon * RAD - lam0;
      const sinPhi = Math.sin(phi);
      const cosPhi = Math.cos(phi);
      const cosDLam = Math.cos(dLam);
      const sinHalf = Math.sin(dLam / 2);
      const cosC = Math.min(1, Math.max(-1, sin0 * sinPhi + cos0 * cosPhi * cosDLam));
      const c = Math.acos(cosC);
      // k' = c / sin c, → 1 as c → 0; the series keeps full precision for tiny c.
      const k = c < 1e-4 ? 1 + (c * c) / 6 : c / Math.sin(c);
      return {
        xM: EARTH_RADIUS_METERS * k * cosPhi * Math.sin(dLam),
        // cos φ0 sin φ − sin φ0 cos φ cos Δλ, rewritten without cancellation near the origin.
        yM: EARTH_RADIUS_METERS * k * (Math.sin(phi - phi0) + 2 * sin0 * cosPhi * sinHalf * sinHalf),
      };
    },
    toLatLon(xM, yM) {
      const rho = Math.hypot(xM, yM);
      if (rho === 0) return { lat: origin.lat, lon: origin.lon };
      const c = rho / EARTH_RADIUS_METERS;
      const sinC = Math.sin(c);
      const cosC = Math.cos(c);
      const lat = Math.asin(Math.min(1, Math.max(-1, cosC * sin0 + (yM * sinC * cos0) / rho)));
      const lam = lam0 + Math.atan2(xM * sinC, rho * cos0 * cosC - yM * sin0 * sinC);
      let lon = lam / RAD;
      if (lon > 180) lon -= 360;
      else if (lon < -180) lon += 360;
      return { lat: lat / RAD, lon };
    },
  };
}
