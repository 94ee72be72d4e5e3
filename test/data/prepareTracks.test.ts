// prepareTracks(): each cleaning step does what it says and is counted; resampling is exact on
// straight lines and never invents points inside a gap.
import { describe, expect, it } from 'vitest';
import { prepareTracks } from '../../src/data/prepareTracks.ts';
import type { Track } from '../../src/data/track.ts';
import { haversineMeters } from '../../src/geo/distanceMeters.ts';
import { expectClose } from '../helpers.ts';

/** A track moving north at speedMps from (41, -8), sampled at the given times. */
function track(id: string, times: number[], speedMps = 10): Track {
  const t = Float64Array.from(times);
  const lat = t.map((s) => 41 + (s * speedMps) / 111_195);
  return { id, file: 'f', lat, lon: new Float64Array(t.length).fill(-8), t };
}

describe('prepareTracks()', () => {
  it('sorts by time within a track and counts the points that were out of order', () => {
    const tr = track('a', [0, 10, 20, 30, 40]);
    const shuffled: Track = { ...tr, lat: tr.lat.slice(), t: tr.t.slice() };
    [shuffled.t[1], shuffled.t[3]] = [shuffled.t[3], shuffled.t[1]];
    [shuffled.lat[1], shuffled.lat[3]] = [shuffled.lat[3], shuffled.lat[1]];
    const { tracks, report } = prepareTracks([shuffled], { stepSeconds: 10 });
    expect(report.outOfOrderPoints).toBe(2); // 0, 30, 20, 10, 40: two steps go back in time
    expectClose(tracks[0].lat, tr.lat, 1e-12, 'lat');
  });

  it('drops a GPS spike (up to 3 points) that implies more than 200 km/h and comes back', () => {
    const tr = track('a', [0, 10, 20, 30, 40, 50, 60]);
    tr.lat[3] += 0.05; // ~5.5 km off for one sample
    tr.lat[4] += 0.05;
    const { tracks, report } = prepareTracks([tr], { stepSeconds: 10 });
    expect(report.speedDropped).toBe(2);
    expect(report.jumpSplits).toBe(0);
    expect(tracks).toHaveLength(1);
    // The resampled track interpolates across the spike: the straight line again.
    expectClose(tracks[0].lat, track('a', [0, 10, 20, 30, 40, 50, 60]).lat, 1e-9, 'lat');
  });

  it('splits at a jump that does not come back, and the threshold is settable', () => {
    const tr = track('a', [0, 10, 20, 30, 40, 50, 60, 70]);
    for (let i = 4; i < 8; i++) tr.lat[i] += 0.1;
    const r = prepareTracks([tr], { stepSeconds: 10 });
    expect(r.report.jumpSplits).toBe(1);
    expect(r.tracks.map((t) => [t.id, t.sourceId, t.t.length])).toEqual([
      ['a#1', 'a', 4],
      ['a#2', 'a', 4],
    ]);
    // 0.1° in 10 s is ~4000 km/h: allowed when the limit is higher.
    expect(prepareTracks([tr], { stepSeconds: 10, maxSpeedKmh: 5000 }).report.jumpSplits).toBe(0);
  });

  it('splits on gaps longer than 4 × the median step and never interpolates inside a gap', () => {
    const tr = track('a', [0, 10, 20, 30, 100, 110, 120, 130]);
    const { tracks, report, stepSeconds } = prepareTracks([tr]);
    expect(stepSeconds).toBe(10);
    expect(report.maxGapSeconds).toBe(40);
    expect(report.gapSplits).toBe(1);
    const times = tracks.flatMap((t) => Array.from(t.t));
    expect(times).toEqual([0, 10, 20, 30, 100, 110, 120, 130]);
    expect(times.some((s) => s > 30 && s < 100)).toBe(false);
    expect(prepareTracks([tr], { maxGapSeconds: 100 }).tracks).toHaveLength(1);
    expect(prepareTracks([tr], { gapFactor: 10 }).report.gapSplits).toBe(0);
  });

  it('resamples to the requested step by linear interpolation', () => {
    const tr = track('a', [0, 7, 15, 31, 40]);
    const { tracks } = prepareTracks([tr], { stepSeconds: 5, maxGapSeconds: 60 });
    expect(Array.from(tracks[0].t)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40]);
    expectClose(tracks[0].lat, track('a', [0, 5, 10, 15, 20, 25, 30, 35, 40]).lat, 1e-9, 'lat on a straight line');
    const speeds = Array.from({ length: 8 }, (_, i) =>
      haversineMeters(tracks[0].lat[i], tracks[0].lon[i], tracks[0].lat[i + 1], tracks[0].lon[i + 1]) / 5,
    );
    expectClose(speeds, new Array(8).fill(10), 1e-3, 'speed m/s');
  });

  it('drops repeated timestamps and pieces too short to use, counting both', () => {
    const a = track('a', [0, 10, 10, 20, 30]);
    a.lat[2] += 0.0001;
    const b = track('b', [0, 10]);
    const { tracks, report } = prepareTracks([a, b], { stepSeconds: 10 });
    expect(report.sameTimeDropped).toBe(1);
    expect(report.shortPiecesDropped).toBe(1);
    expect(report.shortPiecePoints).toBe(2);
    expect(tracks.map((t) => t.id)).toEqual(['a']);
    expect(report.outputPoints).toBe(4);
    expect(report.inputPoints).toBe(7);
  });
});

describe('tooFast()', () => {
  it('decides exactly as the haversine distance would, near the limit, near the poles and across the antimeridian', async () => {
    const { tooFast } = await import('../../src/data/prepareTracks.ts');
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(
        fc.double({ min: -89.9, max: 89.9, noNaN: true }),
        fc.double({ min: -180, max: 180, noNaN: true }),
        fc.double({ min: -0.5, max: 0.5, noNaN: true }),
        fc.double({ min: -0.5, max: 0.5, noNaN: true }),
        fc.double({ min: 0.1, max: 120, noNaN: true }),
        (lat, lon, dLat, dLon, dt) => {
          const lat2 = Math.max(-90, Math.min(90, lat + dLat));
          const lon2 = ((lon + dLon + 540) % 360) - 180;
          const byHaversine = haversineMeters(lat, lon, lat2, lon2) / dt > 200 / 3.6;
          expect(tooFast(lat, lon, lat2, lon2, dt, 200 / 3.6)).toBe(byHaversine);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
