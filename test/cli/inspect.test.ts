// `whereto inspect` end to end through the real bin: the --json contract on the bundled Porto files,
// the readable summary, and exit codes 0 (something read), 1 (nothing read), 2 (bad usage), never a
// stack trace.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectSpec } from '../../src/cli/inspect.ts';
import { parseArgs } from '../../src/cli/args.ts';

const bin = new URL('../../src/cli/bin.js', import.meta.url).pathname;
const cwd = new URL('../../', import.meta.url).pathname;

function whereto(...args: string[]) {
  return spawnSync(process.execPath, [bin, 'inspect', ...args], { encoding: 'utf8', cwd });
}

const PORTO = {
  tracks: 1262,
  points: 60574,
  timeRange: ['2013-07-01T00:00:53Z', '2013-07-01T10:05:37Z'],
  bbox: [-8.717706, 41.008275, -8.468415, 41.320215],
  medianStepSeconds: 15,
};

describe('whereto inspect', () => {
  it('--json on the Porto POLYLINE file: 1,262 trips, 60,574 points, the two empty trips rejected with their lines', () => {
    const r = whereto('--json', 'data/porto_train_raw.csv');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual([
      'files',
      'tracks',
      'points',
      'rejectedCount',
      'rejected',
      'timeRange',
      'bbox',
      'medianStepSeconds',
    ]);
    expect(j).toMatchObject({ ...PORTO, rejectedCount: 2 });
    expect(j.files).toEqual([
      { file: 'data/porto_train_raw.csv', format: 'porto', tracks: 1262, points: 60574, rejectedCount: 2 },
    ]);
    expect(j.rejected).toEqual([
      { file: 'data/porto_train_raw.csv', line: 764, reason: 'POLYLINE is empty (trip without points)' },
      { file: 'data/porto_train_raw.csv', line: 1163, reason: 'POLYLINE is empty (trip without points)' },
    ]);
    expect(r.stderr).toContain('2 rows rejected');
  });

  it('--json on the one-row-per-point file gives the same tracks and points, nothing rejected; files add up', () => {
    const r = whereto('--json', 'data/porto_train_points.csv', 'data/porto_train_raw.csv');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.files[0]).toEqual({
      file: 'data/porto_train_points.csv',
      format: 'csv',
      tracks: 1262,
      points: 60574,
      rejectedCount: 0,
    });
    expect(j).toMatchObject({ ...PORTO, tracks: 2524, points: 121148, rejectedCount: 2 });
  });

  it('prints a readable summary without --json', () => {
    const r = whereto('test/fixtures/in/derived/mangled_rows.csv');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      'test/fixtures/in/derived/mangled_rows.csv: csv, 3 tracks, 31 points, 8 rejected rows',
    );
    expect(r.stdout).toContain(
      'test/fixtures/in/derived/mangled_rows.csv:3: latitude 91.5 is out of range [-90, 90]',
    );
  });

  it('exit 1 with the file and why when nothing usable was read; no stack trace for binary, empty, missing or a folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'whereto-inspect-'));
    writeFileSync(join(dir, 'empty.csv'), '');
    writeFileSync(join(dir, 'blob.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0, 0]));
    const r = whereto('--json', join(dir, 'empty.csv'), join(dir, 'blob.bin'), join(dir, 'missing.csv'), dir);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).points).toBe(0);
    expect(r.stderr).toContain(`${join(dir, 'empty.csv')}: it is empty`);
    expect(r.stderr).toContain(`${join(dir, 'blob.bin')}: it is binary`);
    expect(r.stderr).toContain(`${join(dir, 'missing.csv')}: no such file`);
    expect(r.stderr).toContain(`${dir}: is a directory`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exit 0 when one file of several is usable, with the others named on stderr', () => {
    const r = whereto('--json', 'test/fixtures/in/togeojson/run.gpx', 'no/such/file.csv');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).files.map((f: { points: number }) => f.points)).toEqual([205, 0]);
    expect(r.stderr).toContain('no/such/file.csv: no such file');
  });

  it('exit 2 on bad usage: no file, an unknown option, an unknown format or time zone', () => {
    for (const args of [
      [],
      ['--frobnicate', 'x.csv'],
      ['--format', 'xls', 'x.csv'],
      ['--tz', 'Mars/Olympus', 'x.csv'],
    ]) {
      const r = whereto(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('parses its options as data (the usage is a pure function)', () => {
    const p = parseArgs(['a.csv', '--lat', 'Y', '--lon=X', '--tz', '-03:00', '--json'], inspectSpec);
    expect(p).toEqual({
      ok: true,
      positionals: ['a.csv'],
      options: {
        json: true,
        tz: '-03:00',
        format: undefined,
        lat: 'Y',
        lon: 'X',
        time: undefined,
        id: undefined,
      },
    });
  });
});
