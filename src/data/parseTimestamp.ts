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
export function fromEpochNumber(v: number): number {
  const a = Math.abs(v);
  if (a < 1e11) return v;
  if (a < 1e14) return v / 1e3;
  if (a < 1e17) return v / 1e6;
  return v / 1e9;
}

/** The two digits at s[i], s[i+1] as a number, or -1 when either is not a digit. */
function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * True when s[i, i + len) has the shape 'YYYY-MM-DDTHH:MM:SS', optionally with a fraction of 1 to 15
 * digits ('.fff') and optionally ending in 'Z' (T or a space between date and time). The other digits
 * are checked by plainIsoSeconds.
 */
export function isPlainIsoShape(s: string, i: number, len: number): boolean {
  if (len < 19) return false;
  const sep = s.charCodeAt(i + 10);
  if (
    s.charCodeAt(i + 4) !== 45 ||
    s.charCodeAt(i + 7) !== 45 ||
    s.charCodeAt(i + 13) !== 58 ||
    s.charCodeAt(i + 16) !== 58 ||
    (sep !== 84 && sep !== 32)
  )
    return false;
  const zoneEnd = s.charCodeAt(i + len - 1) === 90 ? len - 1 : len; // 'Z'
  if (zoneEnd === 19) return true;
  if (s.charCodeAt(i + 19) !== 46 || zoneEnd - 20 < 1 || zoneEnd - 20 > 15) return false; // '.' and 1–15 digits
  for (let k = i + 20; k < i + zoneEnd; k++) {
    const c = s.charCodeAt(k) - 48;
    if (!(c >= 0 && c <= 9)) return false;
  }
  return true;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** The last date plainIsoSeconds converted (YYYYMMDD as a number) and its days since 1970: rows of a file share dates. */
let lastDateKey = -1;
let lastDays = 0;

/**
 * Unix seconds of the plain ISO shape at s[i, i + len) (see isPlainIsoShape; the caller checked
 * it): '…Z' is UTC, otherwise local time in `zone`. NaN when a field is not digits or out of range.
 * Equal to what the general ISO_RE path of parseTimestamp computes for the same text.
 */
export function plainIsoSeconds(s: string, i: number, len: number, zone: TimeZone): number {
  const c = d2(s, i);
  const yy = d2(s, i + 2);
  const mo = d2(s, i + 5);
  const d = d2(s, i + 8);
  const h = d2(s, i + 11);
  const mi = d2(s, i + 14);
  const se = d2(s, i + 17);
  if (c < 0 || yy < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || se < 0) return NaN;
  if (h > 23 || mi > 59 || se > 60) return NaN;
  const dateKey = ((c * 100 + yy) * 100 + mo) * 100 + d;
  if (dateKey !== lastDateKey) {
    const y = c * 100 + yy;
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return NaN;
    lastDays = daysFromCivil(y, mo, d);
    lastDateKey = dateKey;
  }
  const utc = s.charCodeAt(i + len - 1) === 90;
  const zoneEnd = utc ? len - 1 : len;
  let local = lastDays * 86400 + h * 3600 + mi * 60 + se;
  if (zoneEnd > 19) {
    // The fraction as Number('0.' + digits) gives it: ≤ 15 digits are an exact integer, and one
    // division by an exact power of ten rounds correctly.
    let digits = 0;
    for (let k = i + 20; k < i + zoneEnd; k++) digits = digits * 10 + (s.charCodeAt(k) - 48);
    local += digits / POW10[zoneEnd - 20];
  }
  return utc ? local : zone.toUtc(local);
}

/**
 * Unix seconds (UTC, fractional) of `text`, or NaN. `zone` applies only to times that carry no zone.
 * Date-only text is midnight. Calendar fields are range-checked (2013-02-30 is NaN).
 */
export function parseTimestamp(text: string, zone: TimeZone = UTC_ZONE): number {
  const s = text.length > 0 && (text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32) ? text.trim() : text;
  // Fast path for the common 'YYYY-MM-DDTHH:MM:SS' and '…Z'.
  if (isPlainIsoShape(s, 0, s.length)) return plainIsoSeconds(s, 0, s.length, zone);
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
