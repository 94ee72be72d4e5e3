// The header names people use for latitude, longitude, time, date and track id, and how a header
// row is matched against them (case, spaces, dashes and underscores ignored). Data, not logic.

/** Lower-case, letters and digits only: `Location-Long` → `locationlong`. */
export function normalizeHeader(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Each list is in order of preference; the first header that matches wins. */
export const SYNONYMS = {
  lat: ['lat', 'latitude', 'latdeg', 'latitudedeg', 'locationlat', 'gpslat', 'gpslatitude', 'latwgs84', 'y', 'ycoord', 'ycoordinate'],
  lon: ['lon', 'lng', 'long', 'longitude', 'londeg', 'longitudedeg', 'locationlong', 'locationlon', 'locationlng', 'gpslon', 'gpslng', 'gpslong', 'gpslongitude', 'lonwgs84', 'x', 'xcoord', 'xcoordinate'],
  /** Columns holding a full date and time (or Unix time). */
  time: ['timestamp', 'datetime', 'trackedat', 'recordedat', 'timestamputc', 'datetimeutc', 'utctimestamp', 'gpstimestamp', 'eventtime', 'fixtime', 'createdat', 'unixtime', 'epoch', 'ts', 'time', 'utc', 'timeutc', 'utctime', 'gpstime', 't'],
  /** A date column, combined with the time-of-day column below when both exist. */
  date: ['date', 'utcdate', 'gpsdate', 'dateutc', 'day'],
  timeOfDay: ['time', 'timeofday', 'utctime', 'timeutc', 'gpstime', 'clock', 'hour'],
  id: ['trackid', 'tripid', 'trajectoryid', 'trajid', 'segmentid', 'track', 'trip', 'trajectory', 'id', 'vehicleid', 'taxiid', 'deviceid', 'objectid', 'individuallocalidentifier', 'taglocalidentifier', 'userid', 'user', 'uid', 'mmsi'],
} as const;

/** Id headers that as often number rows as name tracks. */
const GENERIC_IDS = ['id', 'uid', 'objectid'];

export interface ColumnMap {
  lat: number;
  lon: number;
  /** Full timestamp column, or -1 when date and timeOfDay are used. */
  time: number;
  date: number;
  timeOfDay: number;
  /** -1: no id column, one track per file. */
  id: number;
  /** True when the id column was found by a generic name (`id`, `uid`, `objectid`), which is often a row number. */
  genericId?: boolean;
}

export type ColumnOverrides = { lat?: string; lon?: string; time?: string; id?: string };

function find(headers: string[], names: readonly string[], taken: Set<number>): number {
  for (const name of names) {
    const i = headers.indexOf(name);
    if (i >= 0 && !taken.has(i)) return i;
  }
  return -1;
}

/** The column of an override: a header name (case-insensitive) or a 1-based column number. */
function overrideIndex(raw: string[], normalized: string[], name: string): number {
  const exact = raw.findIndex((h) => h.trim().toLowerCase() === name.trim().toLowerCase());
  if (exact >= 0) return exact;
  const byNorm = normalized.indexOf(normalizeHeader(name));
  if (byNorm >= 0) return byNorm;
  if (/^\d+$/.test(name) && Number(name) >= 1 && Number(name) <= raw.length) return Number(name) - 1;
  return -2;
}

/**
 * Matches a header row. Returns the map, or a reason it cannot (no coordinate columns, an override
 * that names no column, no time column).
 */
export function mapColumns(header: string[], overrides: ColumnOverrides = {}): ColumnMap | string {
  const norm = header.map(normalizeHeader);
  const taken = new Set<number>();
  const shown = header.map((h) => (h.length > 30 ? h.slice(0, 30) + '…' : h)).slice(0, 20).join(', ');
  const pick = (key: 'lat' | 'lon' | 'time' | 'id', names: readonly string[]): number | string => {
    const o = overrides[key];
    if (o !== undefined) {
      const i = overrideIndex(header, norm, o);
      if (i < 0) return `--${key} '${o}' names no column (columns: ${shown})`;
      taken.add(i);
      return i;
    }
    const i = find(norm, names, taken);
    if (i >= 0) taken.add(i);
    return i;
  };
  const lat = pick('lat', SYNONYMS.lat);
  if (typeof lat === 'string') return lat;
  const lon = pick('lon', SYNONYMS.lon);
  if (typeof lon === 'string') return lon;
  if (lat < 0 || lon < 0)
    return `no ${lat < 0 ? 'latitude' : 'longitude'} column in the header (columns: ${shown}); name it with --lat/--lon`;
  const id = pick('id', SYNONYMS.id);
  if (typeof id === 'string') return id;
  let time: number | string;
  let date = -1;
  let timeOfDay = -1;
  if (overrides.time !== undefined) time = pick('time', []);
  else {
    // A full timestamp beats date + time of day; 'time' alone next to a date column is a time of day.
    const full = find(norm, SYNONYMS.time.filter((n) => !(SYNONYMS.timeOfDay as readonly string[]).includes(n)), taken);
    date = find(norm, SYNONYMS.date, taken);
    if (full >= 0) {
      time = full;
      date = -1;
    } else if (date >= 0) {
      timeOfDay = find(norm, SYNONYMS.timeOfDay, taken);
      time = -1;
    } else time = find(norm, SYNONYMS.time, taken);
  }
  if (typeof time === 'string') return time;
  if (time < 0 && date < 0) return `no time column in the header (columns: ${shown}); name it with --time`;
  const genericId = overrides.id === undefined && id >= 0 && GENERIC_IDS.includes(norm[id]);
  return { lat, lon, time, date, timeOfDay, id, genericId };
}
