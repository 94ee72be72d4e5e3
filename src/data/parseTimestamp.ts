// Timestamp text → Unix seconds UTC, or NaN when it is not a time. Accepts ISO-8601 with or without
// a zone and fractional seconds, 'YYYY-MM-DD HH:MM:SS[.fffffffff]', and Unix seconds/milliseconds
// told apart by magnitude. Times without a zone are read in the given TimeZone (default UTC).
import { parseFixedOffset, UTC_ZONE, type TimeZone } from './timeZone.ts';

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

const ISO_RE =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
const NUMBER_RE = /^[+-]?\d+(?:\.\d+)?$/;

/** Unix time by magnitude: below 1e11 seconds, below 1e14 milliseconds, below 1e17 µs, else ns. */
function fromEpochNumber(v: number): number {
  const a = Math.abs(v);
  if (a < 1e11) return v;
  if (a < 1e14) return v / 1e3;
  if (a < 1e17) return v / 1e6;
  return v / 1e9;
}

function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Unix seconds (UTC, fractional) of `text`, or NaN. `zone` applies only to times that carry no zone.
 * Date-only text is midnight. Calendar fields are range-checked (2013-02-30 is NaN).
 */
export function parseTimestamp(text: string, zone: TimeZone = UTC_ZONE): number {
  const s = text.length > 0 && (text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32) ? text.trim() : text;
  // Fast path for the common 'YYYY-MM-DDTHH:MM:SS' and '…Z'.
  if ((s.length === 19 || (s.length === 20 && s[19] === 'Z')) && s[4] === '-' && s[7] === '-' && s[13] === ':' && s[16] === ':' && (s[10] === 'T' || s[10] === ' ')) {
    const y = d2(s, 0) * 100 + d2(s, 2);
    const mo = d2(s, 5);
    const d = d2(s, 8);
    const h = d2(s, 11);
    const mi = d2(s, 14);
    const se = d2(s, 17);
    if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && se >= 0 && se <= 60) {
      const local = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
      return s.length === 20 ? local : zone.toUtc(local);
    }
    return NaN;
  }
  if (NUMBER_RE.test(s)) return fromEpochNumber(Number(s));
  const m = ISO_RE.exec(s);
  if (!m) return NaN;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = m[4] ? Number(m[4]) : 0;
  const mi = m[5] ? Number(m[5]) : 0;
  const se = m[6] ? Number(m[6]) : 0;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || se > 60) return NaN;
  const frac = m[7] ? Number('0.' + m[7]) : 0;
  const local = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se + frac;
  const z = m[8];
  if (z === undefined) return zone.toUtc(local);
  if (/^(z|utc|gmt)$/i.test(z)) return local;
  const offset = parseFixedOffset(z);
  return offset === null ? NaN : local - offset;
}
