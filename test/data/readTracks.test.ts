// readTracks row by row: every rejection reason with its physical line, header synonyms and
// overrides, dialects, files that yield nothing, chunking that must not change the result.
import { describe, expect, it } from 'vitest';
import { ReadError } from '../../src/data/readError.ts';
import { readTracks } from '../../src/data/readTracks.ts';
import type { ReadOptions, ReadResult } from '../../src/data/track.ts';

async function* chunked(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const read = (text: string, options?: ReadOptions, name = 'in.csv') => readTracks(name, text, options);

async function readError(text: string | Uint8Array, name = 'in.csv', options?: ReadOptions): Promise<string> {
  const input = typeof text === 'string' ? text : chunked(new TextDecoder('latin1').decode(text), 1 << 16);
  const r = typeof text === 'string' ? readTracks(name, input) : readTracks(name, (async function* () { yield text; })(), options);
  const e = await r.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ReadError);
  expect((e as ReadError).message.startsWith(`${name}: `)).toBe(true);
  return (e as ReadError).message;
}

const reasons = (r: ReadResult) => r.rejected.map((x) => `${x.line}: ${x.reason}`);

describe('readTracks(): each row is accepted, merged or rejected with its line and reason', () => {
  it('rejects out-of-range, non-numeric, NaN, Infinity, missing and unparsable values, naming the physical line', async () => {
    const r = await read(
      [
        'id,time,lat,lon',
        'a,2020-01-01T00:00:00Z,10,20',
        'a,2020-01-01T00:00:10Z,-90.5,20',
        'a,2020-01-01T00:00:20Z,10,180.01',
        'a,2020-01-01T00:00:30Z,ten,20',
        'a,2020-01-01T00:00:40Z,NaN,20',
        'a,2020-01-01T00:00:50Z,10,-Infinity',
        'a,,10,20',
        'a,yesterday,10,20',
        'a,2020-01-01T00:01:10Z',
        ',2020-01-01T00:01:20Z,10,20',
        'a,2020-01-01T00:01:30Z,,20',
        'a,2020-01-01T00:01:40Z,10,21',
      ].join('\n'),
    );
    expect(reasons(r)).toEqual([
      '3: latitude -90.5 is out of range [-90, 90]',
      '4: longitude 180.01 is out of range [-180, 180]',
      "5: latitude 'ten' is not a number",
      '6: latitude is NaN',
      '7: longitude is -Infinity',
      '8: missing time',
      "9: unparsable time 'yesterday'",
      '10: missing fields: expected at least 4 columns, got 2',
      '11: missing track id',
      '12: missing latitude',
    ]);
    expect(r.rejected.every((x) => x.file === 'in.csv')).toBe(true);
    expect([r.rows, r.accepted, r.merged, r.rejectedCount]).toEqual([12, 2, 0, 10]);
  });

  it('merges exact duplicates (same track, time, position) even out of order; a different position at the same time is kept', async () => {
    const r = await read(
      ['id,time,lat,lon', 'a,10,1,1', 'a,20,1,2', 'a,10,1,1', 'b,10,1,1', 'a,20,1,2.5', 'a,20,1,2'].join('\n'),
    );
    expect([r.rows, r.accepted, r.merged, r.rejectedCount]).toEqual([6, 4, 2, 0]);
    expect(Array.from(r.tracks[0].lon)).toEqual([1, 2, 2.5]);
    expect(r.tracks.map((t) => t.id)).toEqual(['a', 'b']);
  });

  it('counts a quoted record spanning lines on the line it starts, blank lines are not rows, CRLF and BOM are invisible', async () => {
    const text = '\ufeffid,time,lat,lon\r\n"x\r\ny",5,1,1\r\n\r\na,6,91,1\r\n';
    const r = await read(text);
    expect(r.tracks[0].id).toBe('x\r\ny');
    expect(reasons(r)).toEqual(['5: latitude 91 is out of range [-90, 90]']);
    expect(r.rows).toBe(2);
  });

  it('keeps at most maxRejected rejections but counts them all', async () => {
    const rows = ['lat,lon,time', '1,1,1'];
    for (let i = 0; i < 50; i++) rows.push('x,1,1');
    const r = await read(rows.join('\n'), { maxRejected: 7 });
    expect(r.rejected).toHaveLength(7);
    expect(r.rejectedCount).toBe(50);
    expect(r.rejected[6].line).toBe(9);
  });

  it('a line of megabytes is one rejected row, not a hang or a crash', async () => {
    const big = 'a,1,1,' + '9'.repeat(3_000_000);
    const r = await read(`id,time,lat,lon\na,0,1,1\n${big}\na,2,1,1\n`);
    expect(r.accepted).toBe(2);
    expect(r.rejected).toHaveLength(1);
    expect(r.rejected[0].line).toBe(3);
    expect(r.rejected[0].reason.length).toBeLessThan(120);
  });
});

describe('readTracks(): columns, dialects and time formats', () => {
  it('finds columns by the names people use, in any case and punctuation', async () => {
    for (const header of ['Latitude,Longitude,Timestamp', 'LAT,LNG,DateTime', 'location-lat,location-long,tracked_at', 'y,x,t']) {
      const r = await read(`${header}\n41.1,-8.6,2013-07-01T00:00:00Z\n`, {}, 'one.csv');
      expect(r.tracks[0].lat[0], header).toBe(41.1);
      expect(r.tracks[0].lon[0], header).toBe(-8.6);
      expect(r.tracks[0].id, 'no id column: the file is one track named after it').toBe('one');
    }
  });

  it('a generic id column that differs on every row is a row number: the file is one track, and a note says so', async () => {
    const rows = 'id,time,lat,lon\n1,0,1,1\n2,10,1,1.0001\n3,20,1,1.0002\n';
    const r = await read(rows, {}, 'walk.csv');
    expect(r.tracks.map((t) => [t.id, t.t.length])).toEqual([['walk', 3]]);
    expect(r.notes).toEqual([
      "column 1 ('id') differs on every row, so it was read as a row number: the file is one track 'walk' (name the track column with --id)",
    ]);
    expect((await read(rows, { columns: { id: 'id' } })).tracks).toHaveLength(3);
    expect((await read(rows.replace('id,', 'track_id,'))).tracks).toHaveLength(3);
    const repeated = await read('id,time,lat,lon\na,0,1,1\na,10,1,1\nb,20,1,1\n');
    expect([repeated.tracks.length, repeated.notes]).toEqual([2, undefined]);
  });

  it('joins separate date and time columns; a full timestamp column wins over them', async () => {
    const a = await read('date,time,lat,lon\n2013-07-01,10:00:05,1,1\n');
    expect(a.tracks[0].t[0]).toBe(Date.UTC(2013, 6, 1, 10, 0, 5) / 1000);
    const b = await read('date,timestamp,lat,lon\n1999-01-01,2013-07-01T10:00:05Z,1,1\n');
    expect(b.tracks[0].t[0]).toBe(Date.UTC(2013, 6, 1, 10, 0, 5) / 1000);
  });

  it('--lat/--lon/--time/--id override the synonyms by name or 1-based number', async () => {
    const r = await read('a,b,c,d\nv,7,3,2013-07-01T00:00:00Z\n', { columns: { lat: 'B', lon: '3', time: 'd', id: 'a' } });
    expect([r.tracks[0].id, r.tracks[0].lat[0], r.tracks[0].lon[0]]).toEqual(['v', 7, 3]);
    await expect(read('a,b\n1,2\n', { columns: { lat: 'nope' } })).rejects.toThrow("--lat 'nope' names no column");
  });

  it('detects semicolons (with decimal commas), tabs and pipes', async () => {
    for (const [d, n] of [[';', '41,5'], ['\t', '41.5'], ['|', '41.5']]) {
      const r = await read(`lat${d}lon${d}time\n${n}${d}-8${d}0\n`);
      expect(r.tracks[0].lat[0], JSON.stringify(d)).toBe(41.5);
    }
  });

  it('reads Unix seconds and milliseconds by magnitude, ISO with zones and 9 fractional digits', async () => {
    const r = await read(
      'id,time,lat,lon\na,1372636858,1,1\na,1372636873000,1,2\na,2013-07-01 00:01:28.123456789,1,3\na,2013-07-01T02:01:43+02:00,1,4\n',
    );
    expect(r.tracks[0].t[0]).toBe(1372636858);
    expect(r.tracks[0].t[1]).toBe(1372636873);
    expect(r.tracks[0].t[2]).toBeCloseTo(1372636888.123457, 6);
    expect(r.tracks[0].t[3]).toBe(1372636903);
  });

  it('gives the same result whatever the chunk boundaries (1 byte to 1 MB), from bytes, strings or a Blob', async () => {
    const text = 'id,time,lat,lon\n"q,\n1",1,1,1\nq,2,1,é\nq,3,2,2\r\n' + 'z,4,3,3\n'.repeat(50);
    const ref = await read(text);
    for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
      const r = await readTracks('in.csv', chunked(text, size));
      expect(r, `chunk ${size}`).toEqual(ref);
    }
    expect(await readTracks('in.csv', new Blob([text]))).toEqual(ref);
  });
});

describe('readTracks(): a file that yields nothing is a ReadError naming the file and why', () => {
  it('empty, blank, header only, no coordinate columns, no time column, nothing valid, binary, gzip', async () => {
    expect(await readError('')).toContain('empty');
    expect(await readError(' \n\n')).toContain('empty');
    expect(await readError('lat,lon,time\n')).toContain('no data rows');
    expect(await readError('a,b,c\n1,2,3\n')).toContain('no latitude column');
    expect(await readError('lat,lon\n1,2\n')).toContain('no time column');
    expect(await readError('lat,lon,time\n91,1,1\n')).toContain('line 2: latitude 91 is out of range');
    expect(await readError(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]), 'x.png')).toContain('binary');
    expect(await readError(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]), 'x.csv.gz')).toContain('gzip');
    expect(await readError('<html><body>hi</body></html>', 'page.html')).toContain('not GPX');
    expect(await readError('{"type":"module"}', 'package.json')).toContain('not GeoJSON');
    expect(await readError('{"type":', 'broken.geojson')).toContain('not valid JSON');
  });

  it('an unknown --tz is a ReadError too (the CLI checks it first and exits 2)', async () => {
    await expect(read('lat,lon,time\n1,1,1\n', { tz: 'Mars/Olympus' })).rejects.toThrow(/unknown time zone 'Mars\/Olympus'/);
  });
});

describe('readTracks(): GPX and GeoJSON rows', () => {
  it('GPX: every trkseg is a track; a point without <time>, with a bad attribute or an unparsable time is rejected on its line', async () => {
    const gpx = [
      '<?xml version="1.0"?>',
      '<gpx version="1.1"><trk><name>ride &amp; run</name>',
      '<trkseg><trkpt lat="1" lon="2"><time>2020-01-01T00:00:00Z</time></trkpt>',
      '<trkpt lat="1" lon="2.1"/>',
      '<trkpt lat="95" lon="2"><time>2020-01-01T00:00:02Z</time></trkpt>',
      '<trkpt lon="2"><time>2020-01-01T00:00:03Z</time></trkpt>',
      '<!-- <trkpt lat="5" lon="5"><time>2020-01-01T00:00:03Z</time></trkpt> -->',
      '<trkpt lat="1" lon="2.2"><extensions><time>ignored</time></extensions><time><![CDATA[2020-01-01T00:00:04Z]]></time></trkpt>',
      '</trkseg><trkseg><trkpt lat="3" lon="4"><time>bad</time></trkpt><trkpt lat="3" lon="4"><time>2020-01-01T00:00:09Z</time></trkpt></trkseg></trk></gpx>',
    ].join('\n');
    const r = await read(gpx, {}, 'a.gpx');
    expect(r.format).toBe('gpx');
    expect(r.tracks.map((t) => [t.id, t.t.length])).toEqual([
      ['ride & run 1.1', 2],
      ['ride & run 1.2', 1],
    ]);
    expect(reasons(r)).toEqual([
      '4: point has no <time>',
      '5: latitude 95 is out of range [-90, 90]',
      '6: missing lat attribute',
      "9: unparsable time 'bad'",
    ]);
  });

  it('GeoJSON: a bad value is rejected with its JSON path and the line it starts on; Polygons are not tracks', async () => {
    const doc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { coordTimes: ['2020-01-01T00:00:00Z', '2020-01-01T00:00:01Z', null] },
          geometry: { type: 'LineString', coordinates: [[2, 1], [2, 100], [2, 1.1]] },
        },
        { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [] } },
        { type: 'Feature', properties: { time: 'x' }, geometry: { type: 'Point', coordinates: [1, 2] } },
      ],
    };
    // Pretty-printed with one space: line 20 is the second position, 24 the third, 31 the Polygon feature, 46 the Point's coordinates.
    const r = await read(JSON.stringify(doc, null, 1), {}, 'a.geojson');
    expect(reasons(r)).toEqual([
      '20: features[0].geometry.coordinates[1]: latitude 100 is out of range [-90, 90]',
      '24: features[0].geometry.coordinates[2]: missing time',
      '31: features[1]: a Polygon is not a track (LineString, MultiLineString or Point)',
      "46: features[2].geometry.coordinates: unparsable time 'x'",
    ]);
    expect(r.accepted).toBe(1);
    expect((await read(JSON.stringify(doc), {}, 'one-line.geojson')).rejected.map((x) => x.line)).toEqual([1, 1, 1, 1]);
  });
});
