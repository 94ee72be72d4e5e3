// Fine-tuning through trainOnTracks' `init`: the child starts from the parent's weights and encoder
// (normalization kept), so a fine-tune of zero epochs reproduces the parent's forecasts exactly, and
// the child records its parent.
import { describe, expect, it } from 'vitest';
import type { Track } from '../../src/data/track.ts';
import { decodeWeights, parseModelFile, serializeModelFile } from '../../src/model/modelFile.ts';
import { Predictor } from '../../src/predict/predictor.ts';
import { trainOnTracks } from '../../src/train/trainOnTracks.ts';
import { makeTrack, randn } from '../helpers.ts';

function track(id: string, seed: number, points = 30, speed = 1): Track {
  const wobble = randn(points, seed, 0.00005);
  return makeTrack(
    id,
    points,
    (i) => 41.15 + i * 0.0004 * speed + wobble[i],
    (i) => -8.61 + i * 0.0003 * speed * Math.sin(i / 4 + seed),
    { t0: 1.7e9 + seed * 3600, file: 'f.csv' },
  );
}

describe('trainOnTracks(…, { init })', () => {
  const parentTracks = Array.from({ length: 8 }, (_, i) => track(`p${i}`, i));
  const childTracks = Array.from({ length: 6 }, (_, i) => track(`c${i}`, 100 + i, 30, 0.3));
  const opts = { hidden: 6, window: 4, epochs: 2, batch: 16, seed: 3, patience: 0, valFraction: 0.25 };
  const now = () => new Date(0);

  it('with zero epochs reproduces the parent: same weights and encoder, same raw forecasts (shrinkage off: it is refitted on the new validation split)', async () => {
    const parent = parseModelFile(
      serializeModelFile((await trainOnTracks(parentTracks, opts, { now })).modelFile),
    );
    // the child's options try to change the architecture; the parent's wins
    const child = (
      await trainOnTracks(
        childTracks,
        { ...opts, hidden: 9, window: 6, epochs: 0 },
        { now },
        { init: parent },
      )
    ).modelFile;
    expect(child.architecture).toEqual(parent.architecture);
    expect(child.encoder).toEqual(parent.encoder);
    expect(decodeWeights(child.weights)).toEqual(decodeWeights(parent.weights));
    expect(child.training.parent).toEqual({
      fingerprint: parent.training.fingerprint,
      date: parent.training.date,
    });
    const past = randn(3 * 4 * 2, 5, 30);
    const a = Predictor.fromModelFile(parent).forecast(past, 3, 4, { shrink: false });
    const b = Predictor.fromModelFile(child).forecast(past, 3, 4, { shrink: false });
    expect(parent.shrinkage?.alpha).toHaveLength(5);
    expect(child.shrinkage?.alpha).toHaveLength(5);
    expect(Array.from(b.dxM)).toEqual(Array.from(a.dxM));
    expect(Array.from(b.dyM)).toEqual(Array.from(a.dyM));
  });

  it('with epochs moves the weights from the parent, not from a fresh initialization', async () => {
    const parent = (await trainOnTracks(parentTracks, opts, { now })).modelFile;
    const fresh = (await trainOnTracks(childTracks, { ...opts, epochs: 1 }, { now })).modelFile;
    const child = (await trainOnTracks(childTracks, { ...opts, epochs: 1 }, { now }, { init: parent }))
      .modelFile;
    const p = decodeWeights(parent.weights);
    const c = decodeWeights(child.weights);
    const f = decodeWeights(fresh.weights);
    const dist = (u: Float32Array, v: Float32Array) => Math.hypot(...Array.from(u, (x, i) => x - v[i]));
    expect(dist(c, p)).toBeGreaterThan(0);
    expect(dist(c, p)).toBeLessThan(dist(f, p));
    expect(fresh.training.parent).toBeUndefined();
  });

  it("holds out the parent's test tracks and the tracks named by testTracks (by file name too)", async () => {
    const parent = (await trainOnTracks(parentTracks, { ...opts, testFraction: 0.25 }, { now })).modelFile;
    const parentTest = parent.training.data.testSourceIds as string[];
    expect(parentTest).toHaveLength(2);
    const named = { ...track('gpx0', 50), file: 'data/gpx/run.gpx' };
    const { split, modelFile } = await trainOnTracks(
      [...parentTracks, ...childTracks, named],
      { ...opts, epochs: 0, testTracks: ['run.gpx', 'c1'] },
      { now },
      { init: parent },
    );
    expect(split.test.map((t) => t.id).sort()).toEqual([...parentTest, 'c1', 'gpx0'].sort());
    expect(modelFile.training.data.testSourceIds).toEqual(split.test.map((t) => t.id));
    // recorded even when the parent's test tracks were not loaded
    const childOnly = await trainOnTracks(childTracks, { ...opts, epochs: 0 }, { now }, { init: parent });
    expect(childOnly.modelFile.training.data.testSourceIds).toEqual(parentTest);
    for (const t of [...split.train, ...split.val]) expect(split.test).not.toContain(t);
    await expect(trainOnTracks(childTracks, { ...opts, testTracks: ['nope.gpx'] })).rejects.toThrow(
      /test tracks nope\.gpx: no track has that id or file name/,
    );
  });
  it('validates on the tracks named by valTracks (by file name too) and on no share of the others', async () => {
    const parent = (await trainOnTracks(parentTracks, { ...opts, testFraction: 0.25 }, { now })).modelFile;
    const roles = parent.training.data as Record<string, string[]>;
    const hike = { ...track('gpx1', 51, 30, 0.2), file: 'data/gpx/hike.gpx' };
    const { split, modelFile } = await trainOnTracks(
      [...parentTracks, ...childTracks, hike],
      { ...opts, epochs: 0, valFraction: 0.5, valTracks: ['hike.gpx', 'c2'] },
      { now },
      { init: parent },
    );
    // the parent's validation trips, the named ones, and none of the child's other tracks
    expect(split.val.map((t) => t.id).sort()).toEqual([...roles.valSourceIds, 'c2', 'gpx1'].sort());
    expect(modelFile.training.data.valSourceIds).toEqual(split.val.map((t) => t.id));
    expect(split.train.map((t) => t.id)).toEqual(expect.arrayContaining(['c0', 'c1', 'c3', 'c4', 'c5']));
    await expect(trainOnTracks(childTracks, { ...opts, valTracks: ['nope.gpx'] })).rejects.toThrow(
      /validation tracks nope\.gpx: no track has that id or file name/,
    );
    await expect(
      trainOnTracks(childTracks, { ...opts, valTracks: ['c1'], testTracks: ['c1'] }),
    ).rejects.toThrow('validation tracks c1: already held out for testing');
    await expect(
      trainOnTracks(
        parentTracks,
        { ...opts, valTracks: [roles.trainSourceIds[0]] },
        { now },
        { init: parent },
      ),
    ).rejects.toThrow(`validation tracks ${roles.trainSourceIds[0]}: already trained on by the parent model`);
  });

  it('keeps every parent track in the role the parent gave it: its training trips never validate the child', async () => {
    const parent = (await trainOnTracks(parentTracks, { ...opts, testFraction: 0.25 }, { now })).modelFile;
    const roles = parent.training.data as Record<string, string[]>;
    expect(roles.trainSourceIds.length).toBeGreaterThan(0);
    expect(roles.valSourceIds.length).toBeGreaterThan(0);
    // a large validation share would put some parent training trips into validation if they were free
    const { split, modelFile } = await trainOnTracks(
      [...parentTracks, ...childTracks],
      { ...opts, epochs: 0, valFraction: 0.5 },
      { now },
      { init: parent },
    );
    const ids = (ts: Track[]) => ts.map((t) => t.id);
    for (const id of roles.trainSourceIds) expect(ids(split.train)).toContain(id);
    for (const id of roles.valSourceIds) expect(ids(split.val)).toContain(id);
    for (const id of roles.testSourceIds) expect(ids(split.test)).toContain(id);
    // the child's own tracks are split as usual
    expect(ids(split.val).some((id) => id.startsWith('c'))).toBe(true);
    const data = modelFile.training.data as Record<string, string[]>;
    expect(data.trainSourceIds).toEqual(expect.arrayContaining(roles.trainSourceIds));
    expect(data.valSourceIds).toEqual(expect.arrayContaining(roles.valSourceIds));
  });
});
