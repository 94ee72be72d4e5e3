// Shrinkage toward constant velocity: α fitted on a synthetic case with a known answer, applied
// exactly (α = 0 is CV, α = 1 the model), and never worse than CV on the model's own validation split.
import { describe, expect, it } from 'vitest';
import { evaluateWindows } from '../../src/eval/evaluate.ts';
import { parseModelFile, serializeModelFile } from '../../src/model/modelFile.ts';
import { recentStepM } from '../../src/encode/windowFrame.ts';
import { Predictor } from '../../src/predict/predictor.ts';
import { alphaFor, bandOf, BAND_STEPS, shrinkForecast, shrinkTowardCv } from '../../src/predict/shrinkage.ts';
import { BAND_EDGES_M, fitAlpha, fitBands } from '../../src/train/fitShrinkage.ts';
import { trainOnTracks } from '../../src/train/trainOnTracks.ts';
import { randn, shrinkageOf, wanderingTrack } from '../helpers.ts';

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

describe('fitBands()', () => {
  const K = 2;
  // 300 windows with a recent step of 3 m where the model's correction is noise unrelated to the
  // truth, 300 at 100 m where the model is exact, and 10 at 20 m (too few for a band of their own)
  const groups = [
    { e: 3, n: 300, exact: false },
    { e: 100, n: 300, exact: true },
    { e: 20, n: 10, exact: true },
  ];
  const n = groups.reduce((a, g) => a + g.n, 0);
  const e = new Float64Array(n);
  const cv = randn(n * K * 2, 11, 50);
  const residual = randn(n * K * 2, 12, 10);
  const noise = randn(n * K * 2, 13, 20);
  const truth = cv.map((c, i) => c + residual[i]);
  const model = new Float64Array(n * K * 2);
  let i = 0;
  for (const g of groups)
    for (let j = 0; j < g.n; j++, i++) {
      e[i] = g.e;
      for (let q = 0; q < K * 2; q++) {
        const r = i * K * 2 + q;
        model[r] = g.exact ? truth[r] : cv[r] + noise[r];
      }
    }

  it('keeps constant velocity where the model only adds noise and the model where it is exact', () => {
    const fit = fitBands(e, cv, model, truth, K)!;
    expect(fit).not.toBeNull();
    const { bands } = fit;
    expect(bands.windows.reduce((a, b) => a + b)).toBe(n);
    for (const w of bands.windows) expect(w).toBeGreaterThanOrEqual(50);
    for (const edge of bands.edges) expect(BAND_EDGES_M).toContain(edge);
    const low = bands.alpha[bandOf(bands.edges, 3)];
    const high = bands.alpha[bandOf(bands.edges, 100)];
    expect(bandOf(bands.edges, 3)).not.toBe(bandOf(bands.edges, 100));
    for (const a of low) expect(a).toBeLessThan(0.1);
    expect(high).toEqual([1, 1]);
    // the 10 windows at 20 m share a band with one of the large groups
    expect(bands.edges.length).toBe(1);
    // never worse than CV, and never worse than one α per step, on the windows it was fitted on
    const one = fitAlpha(cv, model, truth, n, K);
    for (let k = 0; k < K; k++) {
      expect(fit.shrunkErrorM[k]).toBeLessThanOrEqual(one.shrunkErrorM[k] + 1e-9);
      expect(one.shrunkErrorM[k]).toBeLessThanOrEqual(one.cvErrorM[k]);
    }
    expect(fit.shrunkErrorM[0]).toBeLessThan(one.shrunkErrorM[0] * 0.9);
  });

  it('gives no bands when the windows do not fill two', () => {
    expect(fitBands(e.subarray(0, 60), cv, model, truth, K)).toBeNull();
  });
});

describe('recentStepM() and the banded shrinkage', () => {
  it("is the RMS length of the window's last 3 deltas", () => {
    const d = [99, 99, 10, 0, 10, 0, 12, 5]; // lengths 140, 10, 10, 13
    expect(recentStepM(d, 0, 4, BAND_STEPS)).toBeCloseTo(Math.sqrt((100 + 100 + 169) / 3), 12);
    expect(recentStepM(d, 0, 4, BAND_STEPS, 2)).toBeCloseTo(Math.sqrt((100 + 169) / 2), 12); // a live path's pushed deltas only
    expect(recentStepM(d, 2, 3, BAND_STEPS)).toBeCloseTo(Math.sqrt((100 + 100 + 169) / 3), 12);
    expect(recentStepM(d, 0, 4, BAND_STEPS, 4)).toBe(0);
  });

  it("shrinks each window of a forecast with its band's α", () => {
    const sh = shrinkageOf([0.5], { edges: [8], alpha: [[0], [1]] });
    // window 0 slow (v = 1 m), window 1 fast (v ≈ 17 m): W = 2 deltas each
    const past = Float64Array.from([1, 0, 1, 0, 10, 0, 10, 20]);
    expect(alphaFor(sh, past, 0, 2)).toEqual([0]);
    expect(alphaFor(sh, past, 4, 2)).toEqual([1]);
    const dx = Float64Array.from([3, 3]);
    const dy = Float64Array.from([3, 3]);
    shrinkForecast(dx, dy, past, 2, 2, 1, sh);
    expect([dx[0], dy[0]]).toEqual([1, 0]); // constant velocity
    expect([dx[1], dy[1]]).toEqual([3, 3]); // the model
    const { bands: _, ...one } = sh;
    const ox = Float64Array.from([3, 3]);
    const oy = Float64Array.from([3, 3]);
    shrinkForecast(ox, oy, past, 2, 2, 1, one);
    expect([ox[0], oy[0], ox[1], oy[1]]).toEqual([2, 1.5, 6.5, 11.5]); // α = 0.5 for both
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
  const track = (id: string, seed: number) => wanderingTrack(id, seed, 40, 0.4);

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
