// Initial bearing from one position to another, through Turf: degrees clockwise from north.
import { bearing } from '@turf/turf';
import type { LatLon } from './latLon.ts';

/** Initial great-circle bearing in degrees, in [0, 360), clockwise from north (Turf `bearing`). */
export function bearingDegrees(a: LatLon, b: LatLon): number {
  const d = bearing([a.lon, a.lat], [b.lon, b.lat]);
  return d < 0 ? d + 360 : d;
}
