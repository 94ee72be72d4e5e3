// Specs for resampling a drawn path to the model's step (src/ui/lib/resamplePath.ts).
import { describe, expect, it } from 'vitest';
import { resamplePath } from '../../src/ui/lib/resamplePath.ts';
import { expectClose } from '../helpers.ts';

const clicks = [
  { lat: 41.0, lon: -8.0 },
  { lat: 41.003, lon: -8.0 },
  { lat: 41.003, lon: -7.994 },
];

describe('resamplePath()', () => {
  it('returns the clicks unchanged when they are already at the model step', () => {
    expect(resamplePath(clicks, 15, 15)).toEqual(clicks);
  });

  it('interpolates linearly between clicks: 30 s clicks at a 15 s step put a point halfway', () => {
    const out = resamplePath(clicks, 30, 15);
    expect(out.length).toBe(5);
    expectClose(
      out.flatMap((p) => [p.lat, p.lon]),
      [41.0, -8.0, 41.0015, -8.0, 41.003, -8.0, 41.003, -7.997, 41.003, -7.994],
      1e-12,
    );
  });

  it('always ends at the last click, counting steps back from it', () => {
    const out = resamplePath(clicks, 10, 15); // 20 s of path: points at 5 s and 20 s
    expect(out.length).toBe(2);
    expect(out[out.length - 1]).toEqual(clicks[2]);
    expectClose([out[0].lat, out[0].lon], [41.0015, -8.0], 1e-12);
  });

  it('keeps a single click as it is', () => {
    expect(resamplePath(clicks.slice(0, 1), 30, 15)).toEqual(clicks.slice(0, 1));
  });
});
