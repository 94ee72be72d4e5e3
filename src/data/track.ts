// The columnar track every module passes around, and the shapes a reader returns.
// Columns are Float64: a Float32 latitude rounds to about a metre (STYLE.md).

export interface Track {
  id: string;
  file: string;
  lat: Float64Array;
  lon: Float64Array;
  /** Unix seconds, UTC. */
  t: Float64Array;
  /** The id this piece was cut from by prepareTracks (splits on gaps/jumps); splits group by it. */
  sourceId?: string;
}

export interface RejectedRow {
  file: string;
  /** 1-based physical line in the file; the header is line 1. */
  line: number;
  reason: string;
}

export type FormatName = 'csv' | 'porto' | 'gpx' | 'geojson' | 'plt';
export const FORMAT_NAMES: readonly FormatName[] = ['csv', 'porto', 'gpx', 'geojson', 'plt'];

export interface ReadOptions {
  /** Skip detection and read as this format. */
  format?: FormatName;
  /** Zone for timestamps written without one: an IANA name (`Europe/Lisbon`) or an offset (`-03:00`). Default UTC. */
  tz?: string;
  /** Column names (delimited text) that override the header synonyms. */
  columns?: { lat?: string; lon?: string; time?: string; id?: string };
  /** How many rejected rows to keep in `rejected` (all are counted). Default 1000. */
  maxRejected?: number;
}

export interface ReadResult {
  file: string;
  format: FormatName;
  tracks: Track[];
  /** Data rows seen (points, for Porto POLYLINEs and GeoJSON coordinates); blank lines excluded. */
  rows: number;
  accepted: number;
  /** Exact duplicates (same track, time and position) folded into the first occurrence. */
  merged: number;
  rejectedCount: number;
  /** The first maxRejected rejections, in file order. */
  rejected: RejectedRow[];
  /** Decisions the reader made that a user should know about (shown as warnings). */
  notes?: string[];
}
