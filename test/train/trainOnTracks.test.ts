// trainOnTracks' data side: the split by start time, and training with augmentation and that split.
// Training itself is covered end to end by test/cli/commands.test.ts; the loop by test/train/fit.test.ts.
import { describe, expect, it } from 'vitest';
import type { Track } from '../../src/data/track.ts';
import { splitByTime } from '../../src/train/splitByTime.ts';
import { trainOnTracks } from '../../src/train/trainOnTracks.ts';

function track(id: string, t0: number, points = 20): Track {
  const n = points;
  return {
    id,
    file: 'f.csv',
    lat: Float64Array.from({ length: n }, (_, i) => 41.15 + i * 0.0005 + Number(id.length) * 1e-6),
    lon: Float64Array.from({ length: n }, (_, i) => -8.61 + i * 0.0003 * Math.sin(i / 3)),
    t: Float64Array.from({ length: n }, (_, i) => t0 + 15 * i),
  };
}

describe('splitByTime()', () => {
  it('puts the oldest source tracks in training, then validation, the newest in test', () => {
    const tracks = [50, 10, 40, 20, 30, 60, 70, 80, 90, 0].map((h, i) => track(`t${i}`, h * 3600));
    const s = splitByTime(tracks, { val: 0.2, test: 0.3 });
    const starts = (ts: Track[]) => ts.map((t) => t.t[0] / 3600).sort((a, b) => a - b);
    expect(starts(s.train)).toEqual([0, 10, 20, 30, 40]);
    expect(starts(s.val)).toEqual([50, 60]);
    expect(starts(s.test)).toEqual([70, 80, 90]);
  });

  it('keeps the pieces of one recording together, dated by the earliest piece', () => {
    const a1 = { ...track('a1', 100), sourceId: 'a' };
    const a2 = { ...track('a2', 5000), sourceId: 'a' };
    const b = track('b', 3000);
    const s = splitByTime([a2, b, a1], { val: 0, test: 0.5 });
    expect(s.test.map((t) => t.id)).toEqual(['b']);
    expect(s.train.map((t) => t.id)).toEqual(['a2', 'a1']);
  });
});

describe('trainOnTracks() with augmentation and the time split', () => {
  const tracks = Array.from({ length: 10 }, (_, i) => track(`trip${i}`, 1.7e9 + i * 600, 30));
  const opts = {
    hidden: 4,
    window: 4,
    epochs: 2,
    batch: 16,
    seed: 2,
    patience: 0,
    augmentRotate: true,
    augmentMirror: true,
    augmentSpeedMin: 0.2,
    augmentSpeedMax: 1.5,
    splitBy: 'time' as const,
    valFraction: 0.2,
    testFraction: 0.3,
  };
  const now = () => new Date(0);

  it('is deterministic in its seed and records the split', async () => {
    const a = (await trainOnTracks(tracks, opts, { now })).modelFile;
    const b = (await trainOnTracks(tracks, opts, { now })).modelFile;
    expect(b.weights.data).toBe(a.weights.data);
    expect(a.training.data.testSourceIds).toEqual(['trip7', 'trip8', 'trip9']);
    expect(a.training.data.valSourceIds).toEqual(['trip5', 'trip6']);
    expect(a.training.data.testStartsFrom).toBe(new Date((1.7e9 + 7 * 600) * 1000).toISOString());
    const off = (await trainOnTracks(tracks, { ...opts, augmentRotate: false }, { now })).modelFile;
    expect(off.weights.data).not.toBe(a.weights.data);
  });

  it('rejects speed factors that are not 0 < min ≤ max', async () => {
    await expect(trainOnTracks(tracks, { ...opts, augmentSpeedMin: 0 })).rejects.toThrow(/speed factors/);
    await expect(trainOnTracks(tracks, { ...opts, augmentSpeedMin: 2, augmentSpeedMax: 1 })).rejects.toThrow(
      /speed factors/,
    );
  });
});
