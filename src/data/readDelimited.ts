// Reads delimited text (CSV, semicolon, tab) and GeoLife PLT into a TrackCollector: header synonyms
// or overrides pick the columns, each row is accepted or rejected with its line and reason.
// Not the Porto POLYLINE layout (readPorto) and not detection (detectFormat).
import { mapColumns, type ColumnMap, type ColumnOverrides } from './columnSynonyms.ts';
import { detectDialect, forEachRecord } from './delimitedRows.ts';
import { decimalNumberAt, parseCoordinate, quote, RANGE } from './parseCoordinate.ts';
import { fromEpochNumber, isPlainIsoShape, parseTimestamp, plainIsoSeconds } from './parseTimestamp.ts';
import { ReadError } from './readError.ts';
import type { TimeZone } from './timeZone.ts';
import type { TrackCollector } from './trackCollector.ts';

/** GeoLife PLT: six header lines, then `lat,lon,0,altitude_ft,days_since_1899-12-30,date,time` (UTC). */
export const PLT_COLUMNS: ColumnMap = { lat: 0, lon: 1, time: -1, date: 5, timeOfDay: 6, id: -1 };
export const PLT_HEADER_LINES = 6;

export interface DelimitedOptions {
  zone: TimeZone;
  overrides?: ColumnOverrides;
  /** Fixed columns and the number of header lines to skip (PLT); otherwise line 1 is the header. */
  fixed?: { columns: ColumnMap; skipLines: number };
  /** Track id when the file has no id column. */
  defaultId: string;
}

/** Reads the rows into `out`; returns a note for the user when it reinterpreted a column, else null. */
export async function readDelimited(
  chunks: AsyncIterable<string>,
  head: string,
  out: TrackCollector,
  opts: DelimitedOptions,
): Promise<string | null> {
  const dialect = opts.fixed ? { delimiter: ',', newline: detectDialect(head).newline } : detectDialect(head);
  const decimalComma = dialect.delimiter !== ',';
  const zone = opts.zone;
  let cols: ColumnMap | null = opts.fixed ? opts.fixed.columns : null;
  let need = 0;
  const skipLines = opts.fixed ? opts.fixed.skipLines : 0;
  let sawHeader = false;
  let idHeader = '';
  let fieldStart = new Int32Array(0);
  let fieldEnd = new Int32Array(0);
  const setNeed = (c: ColumnMap) => {
    need = Math.max(c.lat, c.lon, c.time, c.date, c.timeOfDay, c.id) + 1;
    fieldStart = new Int32Array(need);
    fieldEnd = new Int32Array(need);
  };
  if (cols) setNeed(cols);
  const onRow = (f: string[], line: number) => {
    if (line <= skipLines) return;
    if (!cols) {
      const m = mapColumns(f, opts.overrides);
      if (typeof m === 'string') throw new ReadError(out.file, m);
      cols = m;
      idHeader = m.id >= 0 ? f[m.id].trim() : '';
      setNeed(m);
      sawHeader = true;
      return;
    }
    const c = cols;
    if (f.length < need) {
      out.reject(line, `missing fields: expected at least ${need} columns, got ${f.length}`);
      return;
    }
    const lat = parseCoordinate(f[c.lat], 'latitude', decimalComma);
    if (typeof lat === 'string') return out.reject(line, lat);
    const lon = parseCoordinate(f[c.lon], 'longitude', decimalComma);
    if (typeof lon === 'string') return out.reject(line, lon);
    let timeText: string;
    if (c.time >= 0) timeText = f[c.time];
    else if (c.timeOfDay >= 0) timeText = `${f[c.date].trim()}T${f[c.timeOfDay].trim()}`;
    else timeText = f[c.date];
    const t = parseTimestamp(timeText, zone);
    if (!Number.isFinite(t)) {
      const shown = timeText.trim();
      return out.reject(line, shown === '' || shown === 'T' ? 'missing time' : `unparsable time ${quote(shown)}`);
    }
    let id = opts.defaultId;
    if (c.id >= 0) {
      id = f[c.id];
      // Trim only when needed: most ids have no surrounding spaces, and trim() would copy them.
      if (id.length === 0 || id.charCodeAt(0) <= 32 || id.charCodeAt(id.length - 1) <= 32) id = id.trim();
      if (id === '') return out.reject(line, 'missing track id');
    }
    out.accept(id, lat, lon, t);
  };
  // The fast path for a quote-free line: it accepts only a row whose fields the checks above would
  // accept with the same values (plain decimals in range, a plain ISO or Unix time, an id without
  // surrounding spaces) and hands every other line to onRow, which says what is wrong with it.
  const delimiter = dialect.delimiter;
  const latLimit = RANGE.latitude;
  const lonLimit = RANGE.longitude;
  // The first delimiter at or after the last search's start in text number `searchedText`, or the
  // text's length when there is none: lines without delimiters cost one scan, not one per line.
  let searchedText = -1;
  let foundAt = -1;
  let lastId = '';
  const onLine = (text: string, start: number, end: number, line: number, textSerial: number): boolean => {
    const c = cols;
    if (c === null || c.time < 0 || line <= skipLines) return false;
    let k = 0;
    fieldStart[0] = start;
    for (let from = start; ; ) {
      if (textSerial !== searchedText || from > foundAt) {
        const i = text.indexOf(delimiter, from);
        foundAt = i < 0 ? text.length : i;
        searchedText = textSerial;
      }
      if (foundAt >= end) break;
      fieldEnd[k++] = foundAt;
      if (k === need) break;
      fieldStart[k] = from = foundAt + 1;
    }
    if (k < need) {
      if (k < need - 1) return false; // too few fields: onRow rejects the row
      fieldEnd[k] = end;
    }
    const lat = decimalNumberAt(text, fieldStart[c.lat], fieldEnd[c.lat]);
    if (!(lat >= -latLimit && lat <= latLimit)) return false;
    const lon = decimalNumberAt(text, fieldStart[c.lon], fieldEnd[c.lon]);
    if (!(lon >= -lonLimit && lon <= lonLimit)) return false;
    const ts = fieldStart[c.time];
    const te = fieldEnd[c.time];
    let t: number;
    if (isPlainIsoShape(text, ts, te - ts)) t = plainIsoSeconds(text, ts, te - ts, zone);
    else {
      // Unix time: parseTimestamp's [+-]?digits[.digits], here without '+' (decimalNumberAt checks the rest).
      if (te <= ts) return false;
      const first = text.charCodeAt(text.charCodeAt(ts) === 45 ? ts + 1 : ts) - 48;
      const last = text.charCodeAt(te - 1) - 48;
      if (!(first >= 0 && first <= 9 && last >= 0 && last <= 9)) return false;
      t = fromEpochNumber(decimalNumberAt(text, ts, te));
    }
    if (t !== t) return false;
    let id = opts.defaultId;
    if (c.id >= 0) {
      const is = fieldStart[c.id];
      const ie = fieldEnd[c.id];
      if (ie === is || text.charCodeAt(is) <= 32 || text.charCodeAt(ie - 1) <= 32) return false;
      // Consecutive rows of a track share one id string: no copy per row.
      if (ie - is === lastId.length && text.startsWith(lastId, is)) id = lastId;
      else id = lastId = text.slice(is, ie);
    }
    out.accept(id, lat, lon, t);
    return true;
  };
  await forEachRecord(
    chunks,
    dialect,
    onRow,
    (line) => out.reject(line, `row longer than 64 MB (an unterminated quote?)`),
    onLine,
  );
  if (!opts.fixed && !sawHeader) throw new ReadError(out.file, 'it is empty');
  // A generic `id` that differs on every row numbers rows rather than naming tracks.
  const c = cols as ColumnMap | null;
  if (c?.genericId && out.trackCount >= 3 && out.trackCount === out.rows - out.rejectedCount) {
    out.combineAll(opts.defaultId);
    return `column ${c.id + 1} ('${idHeader}') differs on every row, so it was read as a row number: the file is one track '${opts.defaultId}' (name the track column with --id)`;
  }
  return null;
}
