// trainOnTracks with `ensemble`: member 0 is exactly the one-network run, the others start from
// other seeds on the same split, the shrinkage and the recorded validation error are the ensemble's,
// and a fine-tune keeps every member.
import { describe, expect, it } from 'vitest';
import { decodeWeights, parseModelFile, serializeModelFile } from '../../src/model/modelFile.ts';
import { Predictor } from '../../src/predict/predictor.ts';
import { trainOnTracks } from '../../src/train/trainOnTracks.ts';
import { randn, wanderingTrack } from '../helpers.ts';

const track = (id: string, seed: number) => wanderingTrack(id, seed, 36, 0.3);

describe('trainOnTracks(…, { ensemble })', () => {
  const tracks = Array.from({ length: 10 }, (_, i) => track(`t${i}`, i));
  const opts = { hidden: 6, window: 4, epochs: 2, batch: 32, seed: 4, patience: 0, valFraction: 0.3 };
  const now = () => new Date(0);

  it('trains N networks on one split: the first is the one-network run, the others differ; the record says how each went', async () => {
    const single = (await trainOnTracks(tracks, opts, { now })).modelFile;
    const members: (number | undefined)[] = [];
    const { modelFile: mf, split } = await trainOnTracks(
      tracks,
      { ...opts, ensemble: 3 },
      { now, onEpoch: (p) => members.push(p.member) },
    );
    expect(decodeWeights(mf.weights)).toEqual(decodeWeights(single.weights));
    expect(mf.members).toHaveLength(2);
    const [w1, w2] = mf.members!.map(decodeWeights);
    expect(w1).not.toEqual(decodeWeights(mf.weights));
    expect(w2).not.toEqual(w1);
    expect(mf.training.ensemble?.map((m) => m.seed)).toEqual([4, 1004, 2004]);
    expect(mf.training.ensemble?.[0].bestEpoch).toBe(single.training.bestEpoch);
    expect(members).toEqual([1, 1, 2, 2, 3, 3]);
    // the recorded validation error and the shrinkage are the ensemble's, not the first network's
    const parsed = parseModelFile(serializeModelFile(mf), 'e.json');
    const ensemble = Predictor.fromModelFile(parsed);
    expect(ensemble.ensembleSize).toBe(3);
    expect(mf.training.finalMetrics.valOneStepMeanErrorM).not.toBe(mf.training.ensemble?.[0].valErrorM);
    expect(mf.shrinkage?.windows).toBeGreaterThan(0);
    expect(mf.shrinkage?.modelErrorM).not.toEqual(single.shrinkage?.modelErrorM);
    expect(split.val.length).toBeGreaterThan(0);
  });

  it('a fine-tune of zero epochs keeps every member, so it predicts as the parent does', async () => {
    const parent = parseModelFile(
      serializeModelFile((await trainOnTracks(tracks, { ...opts, ensemble: 2 }, { now })).modelFile),
    );
    const child = (await trainOnTracks(tracks.slice(0, 6), { ...opts, epochs: 0 }, { now }, { init: parent }))
      .modelFile;
    expect(child.members?.map(decodeWeights)).toEqual(parent.members?.map(decodeWeights));
    const past = randn(3 * 4 * 2, 5, 30);
    const a = Predictor.fromModelFile(parent).forecast(past, 3, 4, { shrink: false });
    const b = Predictor.fromModelFile(child).forecast(past, 3, 4, { shrink: false });
    expect(Array.from(b.dxM)).toEqual(Array.from(a.dxM));
  });

  it('refuses an ensemble of Gaussian heads, saying why', async () => {
    await expect(trainOnTracks(tracks, { ...opts, head: 'gaussian', ensemble: 2 }, { now })).rejects.toThrow(
      'an ensemble is for the mean and direct heads',
    );
  });
});
