// Validates one latitude or longitude field of a row: a number, finite, in range.
// Returns the value, or the reason the row is rejected (a string), never throws.

/** The largest |degrees| a latitude or longitude may have. */
export const RANGE = { latitude: 90, longitude: 180 } as const;

/** Shortens a field quoted in a reason so a megabyte field makes a one-line message. */
export function quote(text: string): string {
  return `'${text.length > 40 ? text.slice(0, 40) + '…' : text}'`;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * `[-]digits[.digits]` in text[start, end) with at most 15 digits, read without a string-to-number
 * conversion: the digits form an exact integer and one division by an exact power of ten rounds
 * correctly, so the result equals Number(text.slice(start, end)). NaN for anything else (the caller
 * falls back to Number). Positional so the delimited reader's fast path needs no field strings.
 */
export function decimalNumberAt(text: string, start: number, end: number): number {
  let i = start;
  let neg = false;
  if (end > start && text.charCodeAt(start) === 45) {
    neg = true;
    i++;
  }
  let mant = 0;
  let digits = 0;
  let scale = -1;
  for (; i < end; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c >= 0 && c <= 9) {
      mant = mant * 10 + c;
      digits++;
    } else if (c === -2 && scale < 0) scale = i;
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  const frac = scale < 0 ? 0 : end - scale - 1;
  const v = frac === 0 ? mant : mant / POW10[frac];
  return neg ? -v : v;
}

/**
 * Degrees of `text`, or a reason: missing, not a number, not finite (NaN, Infinity), out of range.
 * `decimalComma` accepts `41,15` (semicolon-separated files written in European locales).
 */
export function parseCoordinate(
  text: string | undefined,
  axis: 'latitude' | 'longitude',
  decimalComma = false,
): number | string {
  if (text === undefined) return `missing ${axis}`;
  let v = decimalNumberAt(text, 0, text.length);
  if (v !== v) v = +text;
  if (v !== v || text.length === 0) {
    const trimmed = text.trim();
    if (trimmed === '') return `missing ${axis}`;
    if (/^[+-]?nan$/i.test(trimmed)) return `${axis} is NaN`;
    if (decimalComma && /^[+-]?\d*,\d+$/.test(trimmed)) v = +trimmed.replace(',', '.');
    if (v !== v) return `${axis} ${quote(trimmed)} is not a number`;
  }
  if (!Number.isFinite(v)) return `${axis} is ${v > 0 ? 'Infinity' : '-Infinity'}`;
  const lim = RANGE[axis];
  if (v < -lim || v > lim) return `${axis} ${v} is out of range [-${lim}, ${lim}]`;
  return v;
}
