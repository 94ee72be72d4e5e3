// Times written without a zone: UTC by default, a fixed offset, or an IANA zone through Intl,
// including the hours that DST skips or repeats. Checked against Intl's own formatting.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../src/data/parseTimestamp.ts';
import { timeZone } from '../../src/data/timeZone.ts';

const utc = (...a: [number, number, number, number?, number?, number?]) => Date.UTC(a[0], a[1] - 1, a[2], a[3] ?? 0, a[4] ?? 0, a[5] ?? 0) / 1000;

describe('timeZone() and parseTimestamp(): zone-less times', () => {
  it('are UTC unless told otherwise; a zone written in the text always wins', () => {
    expect(parseTimestamp('2013-07-01T10:00:00')).toBe(utc(2013, 7, 1, 10));
    expect(parseTimestamp('2013-07-01T10:00:00Z', timeZone('Asia/Tokyo'))).toBe(utc(2013, 7, 1, 10));
    expect(parseTimestamp('2013-07-01T10:00:00-03:00', timeZone('Asia/Tokyo'))).toBe(utc(2013, 7, 1, 13));
  });

  it('fixed offsets: -03:00, +0530, UTC+2', () => {
    expect(parseTimestamp('2013-07-01 10:00:00', timeZone('-03:00'))).toBe(utc(2013, 7, 1, 13));
    expect(parseTimestamp('2013-07-01 10:00:00', timeZone('+0530'))).toBe(utc(2013, 7, 1, 4, 30));
    expect(parseTimestamp('2013-07-01 10:00:00', timeZone('UTC+2'))).toBe(utc(2013, 7, 1, 8));
  });

  it('IANA zones follow DST: Lisbon is UTC+1 in July and UTC in January', () => {
    const lisbon = timeZone('Europe/Lisbon');
    expect(parseTimestamp('2013-07-01 10:00:00', lisbon)).toBe(utc(2013, 7, 1, 9));
    expect(parseTimestamp('2013-01-01 10:00:00', lisbon)).toBe(utc(2013, 1, 1, 10));
    expect(parseTimestamp('2013-07-01 10:00:00', timeZone('Asia/Kolkata'))).toBe(utc(2013, 7, 1, 4, 30));
    expect(parseTimestamp('2013-07-01 10:00:00', timeZone('America/New_York'))).toBe(utc(2013, 7, 1, 14));
  });

  it('a wall time DST skips (Berlin 2024-03-31 02:30) moves forward by the gap; a repeated one (2024-10-27 02:30) takes the earlier instant', () => {
    const berlin = timeZone('Europe/Berlin');
    expect(parseTimestamp('2024-03-31T02:30:00', berlin)).toBe(utc(2024, 3, 31, 1, 30));
    expect(parseTimestamp('2024-03-31T01:59:59', berlin)).toBe(utc(2024, 3, 31, 0, 59, 59));
    expect(parseTimestamp('2024-03-31T03:00:00', berlin)).toBe(utc(2024, 3, 31, 1));
    expect(parseTimestamp('2024-10-27T02:30:00', berlin)).toBe(utc(2024, 10, 27, 0, 30));
    expect(parseTimestamp('2024-10-27T03:00:00', berlin)).toBe(utc(2024, 10, 27, 2));
  });

  it('round-trips any instant through its wall-clock text in several zones (Intl formats, we parse)', () => {
    const zones = ['Europe/Lisbon', 'America/Sao_Paulo', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham'];
    fc.assert(
      fc.property(fc.integer({ min: 946684800, max: 1924992000 }), fc.constantFrom(...zones), (u, zone) => {
        const wall = new Date(u * 1000).toLocaleString('sv-SE', { timeZone: zone, hourCycle: 'h23' });
        const back = parseTimestamp(wall, timeZone(zone));
        // In a repeated hour the earlier instant is chosen: it shows the same wall clock.
        expect(new Date(back * 1000).toLocaleString('sv-SE', { timeZone: zone, hourCycle: 'h23' })).toBe(wall);
        expect(back === u || back === u - 3600 || back === u - 1800).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('rejects unknown zones and impossible calendar dates', () => {
    expect(() => timeZone('Mars/Olympus')).toThrow(RangeError);
    expect(parseTimestamp('2013-02-30T00:00:00Z')).toBeNaN();
    expect(parseTimestamp('2013-13-01')).toBeNaN();
    expect(parseTimestamp('2013-07-01T24:00:00')).toBeNaN();
    expect(parseTimestamp('next tuesday')).toBeNaN();
    expect(parseTimestamp('2012-02-29')).toBe(utc(2012, 2, 29));
  });

  it('reads YYYY-MM-DDTHH:MM:SS[.f…][Z] on its fast path exactly as the general ISO-8601 path does', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.record({
          y: fc.integer({ min: 1900, max: 2100 }),
          mo: fc.integer({ min: 0, max: 13 }),
          d: fc.integer({ min: 0, max: 32 }),
          h: fc.integer({ min: 0, max: 24 }),
          mi: fc.integer({ min: 0, max: 60 }),
          se: fc.integer({ min: 0, max: 61 }),
          frac: fc.option(fc.stringMatching(/^[0-9]{1,17}$/)),
          z: fc.constantFrom('', 'Z'),
          sep: fc.constantFrom('T', ' '),
        }),
        fc.constantFrom('UTC', '-03:00', 'Europe/Lisbon'),
        ({ y, mo, d, h, mi, se, frac, z, sep }, zoneName) => {
          const date = `${y}-${two(mo)}-${two(d)}`;
          const time = `${two(h)}:${two(mi)}:${two(se)}${frac === null ? '' : '.' + frac}${z}`;
          const zone = timeZone(zoneName);
          // 'T ' between date and time is valid ISO for the general path and never the fast shape.
          expect(parseTimestamp(`${date}${sep}${time}`, zone)).toBe(parseTimestamp(`${date}T ${time}`, zone));
        },
      ),
      { numRuns: 3000 },
    );
    expect(parseTimestamp('2013-07-01T10:00:00.25Z')).toBe(utc(2013, 7, 1, 10) + 0.25);
    expect(parseTimestamp('2013-07-01T10:00:00.123456789012345Z')).toBe(utc(2013, 7, 1, 10) + 0.123456789012345);
  });

  it('rejects a non-digit anywhere in the fixed YYYY-MM-DDTHH:MM:SS shape', () => {
    expect(parseTimestamp('2013-07-01T10:00:00Z')).toBe(utc(2013, 7, 1, 10));
    expect(parseTimestamp('20x3-07-01T10:00:00Z')).toBeNaN();
    expect(parseTimestamp('2013-0x-01T10:00:00Z')).toBeNaN();
    expect(parseTimestamp('2013-07-01T10:0x:00')).toBeNaN();
    expect(parseTimestamp('2013-07-01T10:00:0x')).toBeNaN();
  });
});
