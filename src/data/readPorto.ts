// Reads the ECML/PKDD 2015 Porto taxi CSV: one trip per row, POLYLINE a JSON list of [lon, lat]
// (longitude first) with one point every 15 s from TIMESTAMP (Unix seconds, trip start).
// Each POLYLINE point counts as a row; a trip whose POLYLINE is empty is one rejected row.
import { detectDialect, forEachRecord } from './delimitedRows.ts';
import { parseCoordinate, quote } from './parseCoordinate.ts';
import { parseTimestamp } from './parseTimestamp.ts';
import { ReadError } from './readError.ts';
import type { TrackCollector } from './trackCollector.ts';

/** The challenge's sampling period: "each point is 15 seconds after the previous one". */
export const PORTO_STEP_SECONDS = 15;

/** True when a header row is the Porto layout. */
export function isPortoHeader(header: string[]): boolean {
  const h = header.map((x) => x.trim().toUpperCase());
  return h.includes('POLYLINE') && h.includes('TIMESTAMP');
}

export async function readPorto(chunks: AsyncIterable<string>, head: string, out: TrackCollector): Promise<void> {
  let idCol = -1;
  let timeCol = -1;
  let polyCol = -1;
  let need = 0;
  const onRow = (f: string[], line: number) => {
    if (polyCol < 0) {
      if (!isPortoHeader(f)) throw new ReadError(out.file, 'not a Porto taxi CSV (no POLYLINE and TIMESTAMP columns)');
      const h = f.map((x) => x.trim().toUpperCase());
      idCol = h.indexOf('TRIP_ID');
      timeCol = h.indexOf('TIMESTAMP');
      polyCol = h.indexOf('POLYLINE');
      need = Math.max(idCol, timeCol, polyCol) + 1;
      return;
    }
    if (f.length < need) return out.reject(line, `missing fields: expected ${need} columns, got ${f.length}`);
    const id = idCol >= 0 ? f[idCol].trim() : `line ${line}`;
    if (id === '') return out.reject(line, 'missing TRIP_ID');
    const startText = f[timeCol].trim();
    if (startText === '') return out.reject(line, 'missing TIMESTAMP');
    const t0 = parseTimestamp(startText);
    if (!Number.isFinite(t0)) return out.reject(line, `unparsable TIMESTAMP ${quote(startText)}`);
    let poly: unknown;
    try {
      poly = JSON.parse(f[polyCol]);
    } catch {
      return out.reject(line, `POLYLINE ${quote(f[polyCol])} is not a JSON list`);
    }
    if (!Array.isArray(poly)) return out.reject(line, 'POLYLINE is not a list of [lon, lat] pairs');
    if (poly.length === 0) return out.reject(line, 'POLYLINE is empty (trip without points)');
    for (let k = 0; k < poly.length; k++) {
      const p: unknown = poly[k];
      if (!Array.isArray(p) || p.length < 2) {
        out.reject(line, `POLYLINE point ${k + 1} is not a [lon, lat] pair`);
        continue;
      }
      const lon = parseCoordinate(typeof p[0] === 'number' ? String(p[0]) : typeof p[0] === 'string' ? p[0] : undefined, 'longitude');
      if (typeof lon === 'string') {
        out.reject(line, `POLYLINE point ${k + 1}: ${lon}`);
        continue;
      }
      const lat = parseCoordinate(typeof p[1] === 'number' ? String(p[1]) : typeof p[1] === 'string' ? p[1] : undefined, 'latitude');
      if (typeof lat === 'string') {
        out.reject(line, `POLYLINE point ${k + 1}: ${lat}`);
        continue;
      }
      out.accept(id, lat, lon, t0 + PORTO_STEP_SECONDS * k);
    }
  };
  await forEachRecord(chunks, detectDialect(head), onRow, (line) =>
    out.reject(line, 'row longer than 64 MB (an unterminated quote?)'),
  );
  if (polyCol < 0) throw new ReadError(out.file, 'it is empty');
}
