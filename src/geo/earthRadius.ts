// The one Earth radius the project uses: Turf's mean radius, so that projected metres and
// Turf's great-circle distances agree. Not an ellipsoid: a sphere is accurate to ~0.3 % at most.

/** Mean Earth radius in metres (IUGG, 6371008.8 m), the value @turf/helpers uses. */
export const EARTH_RADIUS_METERS = 6371008.8;
