// GeoJSON is streamed: a FeatureCollection's features are read one by one as the text arrives, in
// any member order and any chunking, with the same tracks, rejected rows and lines as one parse;
// broken structure is a ReadError naming the file.
import { describe, expect, it } from 'vitest';
import { ReadError } from '../../src/data/readError.ts';
import { readGeoJson } from '../../src/data/readGeoJson.ts';
import { readTracks } from '../../src/data/readTracks.ts';
import { UTC_ZONE } from '../../src/data/timeZone.ts';
import { TrackCollector } from '../../src/data/trackCollector.ts';
import type { ReadResult } from '../../src/data/track.ts';

async function* pieces(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

const line = (id: string | undefined, coords: unknown[], times: unknown[]) => ({
  type: 'Feature',
  properties: id === undefined ? { coordTimes: times } : { track_id: id, coordTimes: times },
  geometry: { type: 'LineString', coordinates: coords },
});

const FEATURES = [
  line(undefined, [[2, 1], [2, 100], [2, 1.1]], ['2020-01-01T00:00:00Z', '2020-01-01T00:00:01Z', null]),
  { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [] } },
  line('b', [[3, 1], [3, 1.001], 'x'], ['2020-01-01T00:00:00Z', 'soon', '2020-01-01T00:00:02Z']),
  line(undefined, [[4, 1], [4, 1.001]], ['2020-01-01T00:00:00Z', '2020-01-01T00:00:01Z']),
];

const summary = (r: ReadResult) => ({
  tracks: r.tracks.map((t) => [t.id, Array.from(t.lat), Array.from(t.t)]),
  rejected: r.rejected.map((x) => `${x.line}: ${x.reason}`),
  counts: [r.rows, r.accepted, r.merged, r.rejectedCount],
});

describe('readGeoJson(): a FeatureCollection is streamed feature by feature', () => {
  it('reads the first feature before the last chunk of the document has arrived', async () => {
    const doc = JSON.stringify({ type: 'FeatureCollection', features: FEATURES.concat(FEATURES) }, null, 1);
    const out = new TrackCollector('big.geojson');
    let rowsBeforeLastChunk = -1;
    async function* watched(): AsyncGenerator<string> {
      const parts: string[] = [];
      for (let i = 0; i < doc.length; i += 64) parts.push(doc.slice(i, i + 64));
      for (let k = 0; k < parts.length; k++) {
        if (k === parts.length - 1) rowsBeforeLastChunk = out.rows;
        yield parts[k];
      }
    }
    await readGeoJson(watched(), out, UTC_ZONE, 'big');
    expect(rowsBeforeLastChunk).toBeGreaterThan(0);
    expect(out.rows).toBe(2 * (3 + 1 + 3 + 2)); // a Polygon feature counts as one rejected row
  });

  it('gives the same tracks, rejections and lines in any member order and any chunking', async () => {
    const typeFirst = JSON.stringify({ type: 'FeatureCollection', features: FEATURES }, null, 1);
    const whole = summary(await readTracks('a.geojson', typeFirst));
    expect(whole.rejected).toEqual([
      '20: features[0].geometry.coordinates[1]: latitude 100 is out of range [-90, 90]',
      '24: features[0].geometry.coordinates[2]: missing time',
      '31: features[1]: a Polygon is not a track (LineString, MultiLineString or Point)',
      "56: features[2].geometry.coordinates[1]: unparsable time 'soon'",
      '60: features[2].geometry.coordinates[2]: not a [lon, lat] position',
    ]);
    // Unnamed tracks are numbered because there is more than one feature.
    expect(whole.tracks.map((t) => t[0])).toEqual(['a 1', 'b', 'a 4']);
    for (const size of [1, 7, 100])
      expect(summary(await readTracks('a.geojson', pieces(typeFirst, size)))).toEqual(whole);
    // "type" after "features": the features wait for it, then read the same (lines shift by the moved member).
    const typeLast = JSON.stringify({ features: FEATURES, type: 'FeatureCollection' }, null, 1);
    const late = summary(await readTracks('a.geojson', pieces(typeLast, 5)));
    expect(late.tracks).toEqual(whole.tracks);
    expect(late.rejected.map((r) => r.replace(/^\d+/, (l) => String(Number(l) + 1)))).toEqual(whole.rejected);
  });

  it('one unnamed feature is named after the file, as a single Feature document is', async () => {
    const one = FEATURES[3];
    const inCollection = await readTracks('solo.geojson', JSON.stringify({ type: 'FeatureCollection', features: [one] }));
    const alone = await readTracks('solo.geojson', JSON.stringify(one));
    expect(inCollection.tracks.map((t) => t.id)).toEqual(['solo']);
    expect(summary(alone)).toEqual(summary(inCollection));
  });

  it('broken structure, a non-object root or a repeated "features" is a ReadError naming the file', async () => {
    const error = (text: string) =>
      readTracks('bad.geojson', pieces(text, 3)).then(
        () => '',
        (e: unknown) => (e instanceof ReadError ? e.message : `not a ReadError: ${String(e)}`),
      );
    const ok = JSON.stringify({ type: 'FeatureCollection', features: [FEATURES[3]] });
    expect(await error(ok.slice(0, -1))).toMatch(/^bad\.geojson: not valid JSON \(unexpected end/);
    expect(await error(ok + ' x')).toMatch(/^bad\.geojson: not valid JSON \(unexpected text after/);
    expect(await error(ok.replace('[{', '[,{'))).toMatch(/^bad\.geojson: not valid JSON/);
    expect(await error(ok.replace('}]', '},]'))).toMatch(/^bad\.geojson: not valid JSON/);
    expect(await error(ok.replace('"features"', '"features" '))).toBe('');
    expect(await error(ok.replace('"features":', '"features" 1'))).toMatch(/^bad\.geojson: not valid JSON \(expected ':'/);
    expect(await error(`[${ok}]`)).toBe('bad.geojson: not GeoJSON (the document is not a JSON object)');
    expect(await error(ok.replace('{"type"', '{"features":[],"type"'))).toMatch(/"features" appears twice/);
    expect(await error('{"features":[{"type":"Feature"}], "type": "module"}')).toMatch(/not GeoJSON/);
    expect(await error('{"features":[{"type":"Feature"],"type":"FeatureCollection"}')).toMatch(/not valid JSON/);
  });
});
