// The local tangent plane: metres east/north, exact inverse, distances within 0.1 % of Turf's
// great-circle distance inside 50 km (in fact within 1e-5).
import { bearing } from '@turf/turf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceMeters } from '../../src/geo/distanceMeters.ts';
import { localProjection } from '../../src/geo/localProjection.ts';
import { expectClose } from '../helpers.ts';

const origin = fc.record({
  lat: fc.double({ min: -80, max: 80, noNaN: true }),
  lon: fc.double({ min: -180, max: 180, noNaN: true }),
});
const offset = fc.record({
  xM: fc.double({ min: -50_000, max: 50_000, noNaN: true }),
  yM: fc.double({ min: -50_000, max: 50_000, noNaN: true }),
});

describe('localProjection()', () => {
  it('x points east and y north, in metres; the origin is (0, 0)', () => {
    const p = localProjection({ lat: 41.15, lon: -8.61 });
    expect(p.toXY(41.15, -8.61)).toEqual({ xM: 0, yM: 0 });
    const east = p.toXY(41.15, -8.6);
    const north = p.toXY(41.16, -8.61);
    expect(east.xM).toBeGreaterThan(0);
    expectClose(north.yM, 1111.95, 0.01, '0.01° of latitude');
    expectClose(east.xM, 1111.95 * Math.cos((41.15 * Math.PI) / 180), 0.01, '0.01° of longitude at 41.15°N');
  });

  it('lat/lon → metres → lat/lon comes back within a millimetre (anywhere, up to 50 km away)', () => {
    fc.assert(
      fc.property(origin, offset, (o, d) => {
        const p = localProjection(o);
        const q = p.toLatLon(d.xM, d.yM);
        const back = p.toXY(q.lat, q.lon);
        expectClose([back.xM, back.yM], [d.xM, d.yM], 1e-3, 'metres');
        const xy = p.toXY(q.lat, q.lon);
        const again = p.toLatLon(xy.xM, xy.yM);
        expect(distanceMeters(q, again)).toBeLessThan(1e-3);
      }),
      { numRuns: 2000 },
    );
  });

  it('short steps keep millimetre precision (no cancellation near the origin)', () => {
    const p = localProjection({ lat: 41.15, lon: -8.61 });
    const q = p.toLatLon(0.3, -0.4);
    const xy = p.toXY(q.lat, q.lon);
    expectClose([xy.xM, xy.yM], [0.3, -0.4], 1e-6, 'sub-metre offset');
  });

  it('distances between any two points within 50 km are within 0.1 % of great-circle distance (no Web Mercator stretch)', () => {
    fc.assert(
      fc.property(origin, offset, offset, (o, a, b) => {
        const p = localProjection(o);
        const pa = p.toLatLon(a.xM / 1.5, a.yM / 1.5);
        const pb = p.toLatLon(b.xM / 1.5, b.yM / 1.5);
        const planar = Math.hypot(a.xM / 1.5 - b.xM / 1.5, a.yM / 1.5 - b.yM / 1.5);
        const geodesic = distanceMeters(pa, pb);
        if (geodesic > 1) expect(Math.abs(planar - geodesic) / geodesic).toBeLessThan(1e-4);
      }),
      { numRuns: 2000 },
    );
  });

  it('the direction of a projected point is its great-circle bearing', () => {
    const o = { lat: 60, lon: 25 };
    const q = localProjection(o).toLatLon(3000, 4000);
    expectClose(
      bearing([o.lon, o.lat], [q.lon, q.lat]),
      (Math.atan2(3000, 4000) * 180) / Math.PI,
      1e-6,
      "Turf's initial bearing",
    );
    expectClose(distanceMeters(o, q), 5000, 1e-6, 'distance from the origin is exact');
  });
});
