// Validates one latitude or longitude field of a row: a number, finite, in range.
// Returns the value, or the reason the row is rejected (a string), never throws.

const RANGE = { latitude: 90, longitude: 180 } as const;

/** Shortens a field quoted in a reason so a megabyte field makes a one-line message. */
export function quote(text: string): string {
  return `'${text.length > 40 ? text.slice(0, 40) + '…' : text}'`;
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
  let v = +text;
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
