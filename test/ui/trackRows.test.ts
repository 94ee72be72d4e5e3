// Specs for the track list's pure search and sort (src/ui/lib/trackRows.ts).
import { describe, expect, it } from 'vitest';
import { filterAndSort, trackRows } from '../../src/ui/lib/trackRows.ts';

const track = (id: string, file: string, t: number[]) => ({ id, file, t: Float64Array.from(t) });
const tracks = [
  track('trip-10', 'a.csv', [0, 15, 30]),
  track('trip-2', 'b.gpx', [100, 200]),
  track('walk', 'a.csv', [0, 15, 30, 45, 60]),
  track('trip-1', 'c.csv', [5]),
];
const rows = trackRows(tracks);
const ids = (r: { id: string }[]) => r.map((x) => x.id);

describe('trackRows()', () => {
  it('counts points and measures duration from the first to the last timestamp', () => {
    expect(rows.map((r) => [r.points, r.durationSeconds])).toEqual([
      [3, 30],
      [2, 100],
      [5, 60],
      [1, 0],
    ]);
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2, 3]);
  });
});

describe('filterAndSort()', () => {
  it('sorts ids in natural order, so trip-2 comes before trip-10', () => {
    expect(ids(filterAndSort(rows, '', 'id', 'asc'))).toEqual(['trip-1', 'trip-2', 'trip-10', 'walk']);
    expect(ids(filterAndSort(rows, '', 'id', 'desc'))).toEqual(['walk', 'trip-10', 'trip-2', 'trip-1']);
  });

  it('sorts by points and by duration', () => {
    expect(ids(filterAndSort(rows, '', 'points', 'desc'))).toEqual(['walk', 'trip-10', 'trip-2', 'trip-1']);
    expect(ids(filterAndSort(rows, '', 'duration', 'asc'))).toEqual(['trip-1', 'trip-10', 'walk', 'trip-2']);
  });

  it('keeps load order among ties', () => {
    expect(ids(filterAndSort(rows, '', 'file', 'asc'))).toEqual(['trip-10', 'walk', 'trip-2', 'trip-1']);
  });

  it('matches every word of the query against id or file, ignoring case', () => {
    expect(ids(filterAndSort(rows, 'TRIP', 'id', 'asc'))).toEqual(['trip-1', 'trip-2', 'trip-10']);
    expect(ids(filterAndSort(rows, 'trip a.csv', 'id', 'asc'))).toEqual(['trip-10']);
    expect(ids(filterAndSort(rows, 'gpx', 'id', 'asc'))).toEqual(['trip-2']);
    expect(filterAndSort(rows, 'nothing', 'id', 'asc')).toEqual([]);
  });

  it('never reorders the rows it was given', () => {
    const before = ids(rows);
    filterAndSort(rows, '', 'points', 'desc');
    expect(ids(rows)).toEqual(before);
  });
});
