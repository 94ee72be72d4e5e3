// A position in degrees (WGS84). Named fields, never a bare pair: Leaflet is [lat, lng] and
// GeoJSON/Turf are [lng, lat], so a pair crossing a module boundary invites a swap.

export interface LatLon {
  lat: number;
  lon: number;
}
