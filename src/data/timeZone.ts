// Turns a wall-clock time written without a zone into UTC: UTC itself, a fixed offset (`-03:00`),
// or an IANA zone resolved through the platform's Intl (no zone tables of our own).
// Not a parser of timestamps; see parseTimestamp.

export interface TimeZone {
  name: string;
  /** Local wall-clock seconds (as if the wall clock were UTC) → Unix seconds UTC. */
  toUtc(localSeconds: number): number;
}

export const UTC_ZONE: TimeZone = { name: 'UTC', toUtc: (s) => s };

const OFFSET_RE = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/** Offset in seconds of a fixed-offset text like `-03:00`, `+0530`, `UTC+2`; null when it is not one. */
export function parseFixedOffset(text: string): number | null {
  const m = OFFSET_RE.exec(text.trim());
  if (!m) return null;
  const h = Number(m[2]);
  const min = m[3] ? Number(m[3]) : 0;
  if (h > 18 || min > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (h * 3600 + min * 60);
}

function ianaOffset(zone: string): (utcSeconds: number) => number {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  // Zone transitions fall on whole quarter hours of UTC, so one Intl call per 15 minutes is exact.
  const cache = new Map<number, number>();
  return (utcSeconds) => {
    const bucket = Math.floor(utcSeconds / 900);
    let offset = cache.get(bucket);
    if (offset === undefined) {
      const at = bucket * 900;
      const p: Record<string, number> = {};
      for (const part of fmt.formatToParts(new Date(at * 1000)))
        if (part.type !== 'literal') p[part.type] = Number(part.value);
      offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) / 1000 - at;
      if (cache.size > 100_000) cache.clear();
      cache.set(bucket, offset);
    }
    return offset;
  };
}

/**
 * The zone named by `text`: undefined/`UTC`/`Z` → UTC, a fixed offset, or an IANA name.
 * Throws RangeError naming the text when it is none of these. Ambiguous and skipped wall times
 * around DST changes resolve like Temporal's 'compatible': the earlier instant in a repeated hour,
 * shifted forward by the gap in a skipped hour.
 */
export function timeZone(text?: string): TimeZone {
  if (text === undefined || /^(utc|z|gmt)$/i.test(text.trim())) return UTC_ZONE;
  const fixed = parseFixedOffset(text);
  if (fixed !== null) return { name: text, toUtc: (s) => s - fixed };
  let offsetAt: (utcSeconds: number) => number;
  try {
    offsetAt = ianaOffset(text.trim());
  } catch {
    throw new RangeError(`unknown time zone '${text}' (give an IANA name like Europe/Lisbon or an offset like -03:00)`);
  }
  return {
    name: text.trim(),
    toUtc(local) {
      const before = offsetAt(local - 86400);
      const after = offsetAt(local + 86400);
      const uBefore = local - before;
      const uAfter = local - after;
      const okBefore = offsetAt(uBefore) === before;
      const okAfter = offsetAt(uAfter) === after;
      if (okBefore && okAfter) return Math.min(uBefore, uAfter);
      if (okBefore) return uBefore;
      if (okAfter) return uAfter;
      return uBefore; // skipped wall time: read with the offset before the change
    },
  };
}
