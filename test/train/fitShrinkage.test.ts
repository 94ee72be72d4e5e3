// Shrinkage toward constant velocity: α fitted on a synthetic case with a known answer, applied
// exactly (α = 0 is CV, α = 1 the model), and never worse than CV on the model's own validation split.
import { describe, expect, it } from 'vitest';
import type { Track } from '../../src/data/track.ts';
import { evaluateWindows } from '../../src/eval/evaluate.ts';
import { parseModelFile, serializeModelFile } from '../../src/model/modelFile.ts';
import { Predictor } from '../../src/predict/predictor.ts';
import { shrinkTowardCv } from '../../src/predict/shrinkage.ts';
import { fitAlpha } from '../../src/train/fitShrinkage.ts';
import { trainOnTracks } from '../../src/train/trainOnTracks.ts';
import { makeTrack, randn } from '../helpers.ts';

describe('fitAlpha()', () => {
  const n = 50;
  const K = 3;
  const cv = randn(n * K * 2, 1, 100);
  const residual = randn(n * K * 2, 2, 10);
  const truth = cv.map((c, i) => c + residual[i]);

  it('finds α = 0.5 when the model corrects constant velocity by exactly twice the true residual', () => {
    const model = cv.map((c, i) => c + 2 * residual[i]);
    const fit = fitAlpha(cv, model, truth, n, K);
    expect(fit.alpha).toEqual([0.5, 0.5, 0.5]);
    for (const e of fit.shrunkErrorM) expect(e).toBeLessThan(1e-9);
    expect(fit.cvErrorM[0]).toBeGreaterThan(5);
    expect(fit.modelErrorM[0]).toBeCloseTo(fit.cvErrorM[0], 9); // |2r − r| = |r|
  });

  it('finds α = 1 for a perfect model and α near 0 for a large correction unrelated to the truth', () => {
    expect(fitAlpha(cv, truth, truth, n, K).alpha).toEqual([1, 1, 1]);
    const noise = randn(n * K * 2, 3, 30);
    const unrelated = cv.map((c, i) => c + noise[i]);
    for (const a of fitAlpha(cv, unrelated, truth, n, K).alpha) expect(a).toBeLessThan(0.05);
  });
});

describe('shrinkTowardCv()', () => {
  it('keeps the rollout with α = 1, gives constant velocity with α = 0, and halves the correction with 0.5', () => {
    const dx = Float64Array.from([1, 2, 3]);
    const dy = Float64Array.from([0, 1, 1]);
    const keep = [dx.slice(), dy.slice()];
    shrinkTowardCv(dx, dy, 0, 1, 3, 1, 0, [1, 1]);
    expect([Array.from(dx), Array.from(dy)]).toEqual(keep.map((a) => Array.from(a)));
    shrinkTowardCv(dx, dy, 0, 1, 3, 1, 0, [0, 0]);
    expect([Array.from(dx), Array.from(dy)]).toEqual([
      [1, 1, 1],
      [0, 0, 0],
    ]);
    // displacements (1,0) (3,1) (6,2) vs CV (1,0) (2,0) (3,0): with α_1 = 1, α_2 = 0.5 (and beyond)
    const x = Float64Array.from([1, 2, 3]);
    const y = Float64Array.from([0, 1, 1]);
    shrinkTowardCv(x, y, 0, 1, 3, 1, 0, [1, 0.5]);
    expect(Array.from(x)).toEqual([1, 1.5, 2]); // positions 1, 2.5, 4.5
    expect(Array.from(y)).toEqual([0, 0.5, 0.5]);
  });
});

describe('the shrinkage fitted by trainOnTracks', () => {
  function track(id: string, seed: number): Track {
    const turn = randn(40, seed, 0.4);
    let heading = seed;
    const lat = [41.15];
    const lon = [-8.61];
    for (let i = 1; i < 40; i++) {
      heading += turn[i];
      lat.push(lat[i - 1] + 0.0003 * Math.cos(heading));
      lon.push(lon[i - 1] + 0.0004 * Math.sin(heading));
    }
    return makeTrack(
      id,
      40,
      (i) => lat[i],
      (i) => lon[i],
      { t0: 1.7e9 + seed * 7200 },
    );
  }

  it('never makes the model worse than constant velocity on its own validation split', async () => {
    const tracks = Array.from({ length: 12 }, (_, i) => track(`t${i}`, i));
    for (const target of ['delta', 'cv-residual'] as const) {
      const { modelFile, split } = await trainOnTracks(tracks, {
        target,
        hidden: 8,
        window: 5,
        epochs: 2,
        batch: 32,
        seed: 5,
        patience: 0,
        valFraction: 0.3,
      });
      const mf = parseModelFile(serializeModelFile(modelFile));
      expect(mf.shrinkage?.fittedOn).toBe('validation');
      expect(mf.shrinkage?.windows).toBeGreaterThan(0);
      const predictor = Predictor.fromModelFile(mf);
      const { result } = evaluateWindows(predictor, split.val, { horizon: 5, stepSeconds: 15 });
      const model = result.models.model.perHorizon;
      const cv = result.models.cv.perHorizon;
      for (let k = 0; k < 5; k++) {
        expect(model[k].meanM, `${target}, step ${k + 1}`).toBeLessThanOrEqual(
          cv[k].meanM * (1 + 1e-9) + 1e-9,
        );
        expect(mf.shrinkage!.shrunkErrorM[k]).toBeLessThanOrEqual(mf.shrinkage!.cvErrorM[k]);
      }
    }
  });
});
