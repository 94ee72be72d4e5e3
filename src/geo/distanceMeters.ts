// Great-circle distance between two positions, through Turf (haversine on the mean-radius sphere).
// For tight loops over columns use haversineMeters, which takes plain numbers and allocates nothing.
import { distance } from '@turf/turf';
import { EARTH_RADIUS_METERS } from './earthRadius.ts';
import type { LatLon } from './latLon.ts';

/** Great-circle distance in metres, Turf's `distance` (haversine, R = 6371008.8 m). */
export function distanceMeters(a: LatLon, b: LatLon): number {
  return distance([a.lon, a.lat], [b.lon, b.lat], { units: 'meters' });
}

const RAD = Math.PI / 180;

/**
 * The same haversine distance as distanceMeters (degrees in, metres out) without allocating
 * GeoJSON points. Formula: R. W. Sinnott, "Virtues of the Haversine", Sky & Telescope 68(2), 1984.
 */
export function haversineMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const sdLat = Math.sin(((lat2 - lat1) * RAD) / 2);
  const sdLon = Math.sin(((lon2 - lon1) * RAD) / 2);
  const h = sdLat * sdLat + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * sdLon * sdLon;
  return 2 * EARTH_RADIUS_METERS * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h));
}
