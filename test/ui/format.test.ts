// Specs for the sidebar's number formatting (src/ui/lib/format.ts).
import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatMeters } from '../../src/ui/lib/format.ts';

describe('formatting', () => {
  it('formats durations in s, min s and h min', () => {
    expect([42, 425, 7380, NaN].map(formatDuration)).toEqual(['42 s', '7 min 05 s', '2 h 03 min', '–']);
  });

  it('formats distances in m below a kilometre, km with two decimals above', () => {
    expect([37.6, 999.4, 1240, Infinity].map(formatMeters)).toEqual(['38 m', '999 m', '1.24 km', '–']);
  });

  it('groups thousands', () => {
    expect(formatCount(60574)).toBe('60,574');
  });
});
