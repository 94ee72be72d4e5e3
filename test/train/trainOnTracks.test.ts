// trainOnTracks' data side: the split by start time, training with augmentation and that split, and
// normalization fitted on the training split only (a leak of validation or test statistics fails here).
// Training itself is covered end to end by test/cli/commands.test.ts; the loop by test/train/fit.test.ts.
import { describe, expect, it } from 'vitest';
import type { Track } from '../../src/data/track.ts';
import { splitByTime } from '../../src/train/splitByTime.ts';
import { trainOnTracks } from '../../src/train/trainOnTracks.ts';
import { makeTrack } from '../helpers.ts';

function track(id: string, t0: number, points = 20): Track {
  return makeTrack(
    id,
    points,
    (i) => 41.15 + i * 0.0005 + Number(id.length) * 1e-6,
    (i) => -8.61 + i * 0.0003 * Math.sin(i / 3),
    { t0, file: 'f.csv' },
  );
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

describe('trainOnTracks() normalization', () => {
  // Ten trips of different speeds and turns, split at random by track (val 0.2, test 0.2).
  const tracks = Array.from({ length: 10 }, (_, k) =>
    makeTrack(
      `trip${k}`,
      30,
      (i) => 41.15 + i * (0.0002 + 0.0001 * k),
      (i) => -8.61 + i * 0.0003 * Math.sin(i / (2 + k)),
    ),
  );
  // The delta target: its targetStd is fitted too (the cv-residual target's is 1 by definition).
  const opts = {
    hidden: 4,
    window: 4,
    epochs: 1,
    seed: 3,
    valFraction: 0.2,
    testFraction: 0.2,
    target: 'delta' as const,
  };
  // Triples every step of a track and puts it elsewhere: different speeds, and a different place.
  const faster = (t: Track): Track => ({
    ...t,
    lat: t.lat.map((v) => 40 + 3 * (v - t.lat[0])),
    lon: t.lon.map((v) => -9 + 3 * (v - t.lon[0])),
  });

  it('comes from the training split only: changing the validation and test tracks leaves the encoder unchanged', async () => {
    const { modelFile, split } = await trainOnTracks(tracks, opts);
    const held = new Set([...split.val, ...split.test].map((t) => t.id));
    expect(held.size).toBe(4);
    const changed = tracks.map((t) => (held.has(t.id) ? faster(t) : t));
    const again = await trainOnTracks(changed, opts);
    expect(again.split.train.map((t) => t.id)).toEqual(split.train.map((t) => t.id));
    expect(again.modelFile.encoder).toEqual(modelFile.encoder);
    // the same change made to a training track does move the normalization
    const trainChanged = tracks.map((t) => (t.id === split.train[0].id ? faster(t) : t));
    const moved = await trainOnTracks(trainChanged, opts);
    expect(moved.modelFile.encoder.targetStd).not.toBe(modelFile.encoder.targetStd);
    expect(moved.modelFile.encoder.inputStd).not.toEqual(modelFile.encoder.inputStd);
  });
});
