// The geo module's public surface: positions, distances and the local tangent plane.
export type { LatLon } from './latLon.ts';
export { EARTH_RADIUS_METERS } from './earthRadius.ts';
export { distanceMeters, haversineMeters } from './distanceMeters.ts';
export { localProjection, type LocalProjection } from './localProjection.ts';
