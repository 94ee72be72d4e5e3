// The verdict on a set of tracks, with real models whose answer is known: a head with zero weights
// predicts the same delta every step (its bias × targetStd), so on straight constant-speed tracks
// constant velocity is exact and such a model loses, and on zigzag tracks it predicts the mean
// delta and beats CV at every step. Sampling, wording and the full-evaluation path too.
import { describe, expect, it } from 'vitest';
import type { Track } from '../../src/data/track.ts';
import type { EncoderSettings } from '../../src/encode/encoderSettings.ts';
import { windowEnds } from '../../src/encode/windowEnds.ts';
import { evaluate } from '../../src/eval/evaluate.ts';
import type { EvalResult } from '../../src/eval/evalResult.ts';
import {
  formatRatio,
  quickVerdict,
  sampleWindows,
  stepList,
  verdictFromResult,
} from '../../src/eval/verdict.ts';
import { distanceMeters } from '../../src/geo/index.ts';
import { createModel } from '../../src/model/model.ts';
import { parameterLayout } from '../../src/model/parameterLayout.ts';
import { Predictor } from '../../src/predict/predictor.ts';
import { trainOnTracks } from '../../src/train/trainOnTracks.ts';
import { makeTrack } from '../helpers.ts';

const W = 4;
const targetStd = 10;
/** metres per step of 0.0001° of latitude */
const northM = distanceMeters({ lat: 41, lon: -8.6 }, { lat: 41.0001, lon: -8.6 });

/** An LSTM whose head has zero weights and bias (dx, dy)/targetStd: it predicts (dxM, dyM) every step. */
function constantDeltaPredictor(dxM: number, dyM: number): Predictor {
  const arch = { cell: 'lstm' as const, inputSize: 2, hiddenSize: 4, numLayers: 1, head: 'mean' as const };
  const model = createModel(arch, { seed: 2 });
  const layout = parameterLayout(arch);
  model.params.fill(0, layout.headW, layout.headB);
  model.params[layout.headB] = dxM / targetStd;
  model.params[layout.headB + 1] = dyM / targetStd;
  const encoder: EncoderSettings = {
    stepSeconds: 15,
    window: W,
    features: ['dx', 'dy'],
    inputMean: [0, 0],
    inputStd: [1, 1],
    targetStd,
    align: false,
  };
  return new Predictor(model, encoder);
}

/** Due north, 0.0001° of latitude per step; with `zigzagDeg`, longitude alternates by that much. */
function track(id: string, n: number, zigzagDeg = 0): Track {
  return makeTrack(
    id,
    n,
    (i) => 41 + 0.0001 * i,
    (i) => -8.6 + (i % 2) * zigzagDeg,
  );
}

describe('quickVerdict()', () => {
  it('on straight constant-speed tracks constant velocity is exact, so a model that is off loses at every step', () => {
    const tracks = [track('a', 40), track('b', 30)];
    const v = quickVerdict(constantDeltaPredictor(0, 0.9 * northM), tracks);
    expect(v.kind).toBe('loses');
    expect(v.losingSteps).toEqual([1, 2, 3, 4, 5]);
    for (const s of v.steps) {
      expect(s.cvM).toBeLessThan(1e-6);
      expect(s.modelM).toBeCloseTo(0.1 * northM * s.step, 3);
      expect(s.ratio).toBe(Infinity);
    }
    expect(v.text).toBe('loses to constant velocity at steps 1–5 (model/CV ∞, ∞, ∞, ∞, ∞)');
  });

  it('on zigzag tracks the mean delta beats repeating the last one at every step', () => {
    const tracks = Array.from({ length: 4 }, (_, i) => track(`z${i}`, 30, 0.0002));
    const v = quickVerdict(constantDeltaPredictor(0, northM), tracks);
    expect(v.kind).toBe('beats');
    expect(v.losingSteps).toEqual([]);
    for (const s of v.steps) expect(s.ratio).toBeLessThan(0.6);
    expect(v.text).toMatch(/^beats constant velocity at every step \(model\/CV 0\.\d\d, /);
  });

  it('says "too few windows to tell" below the minimum, whatever the errors', () => {
    // 20 points, W = 4, H = 5: 11 windows per track
    const v = quickVerdict(constantDeltaPredictor(0, 0), [track('a', 20), track('b', 20)]);
    expect(v.windows).toBe(22);
    expect(v.kind).toBe('too-few');
    expect(v.text).toBe('too few windows to tell (22; at least 30 are needed)');
  });

  it('on few enough windows gives the full evaluation’s numbers (same rollout, same CV)', async () => {
    const tracks = Array.from({ length: 6 }, (_, i) =>
      makeTrack(
        `t${i}`,
        40,
        (k) => 41 + 0.0003 * k + 0.00005 * Math.sin(k + i),
        (k) => -8.6 + 0.0002 * k * Math.cos(k / 5 + i),
      ),
    );
    const opts = { hidden: 5, window: W, epochs: 1, batch: 16, seed: 4, valFraction: 0 };
    const { modelFile } = await trainOnTracks(tracks, opts);
    const full = evaluate(modelFile, tracks);
    const v = quickVerdict(modelFile, tracks);
    expect(v.windows).toBe(full.windows);
    v.steps.forEach((s, k) => {
      expect(s.modelM).toBeCloseTo(full.models.model.perHorizon[k].meanM, 9);
      expect(s.cvM).toBeCloseTo(full.models.cv.perHorizon[k].meanM, 9);
    });
    // with fewer allowed windows it evaluates exactly that many
    expect(quickVerdict(modelFile, tracks, { maxWindows: 50 }).windows).toBe(50);
  });
});

describe('sampleWindows()', () => {
  const tracks = [track('a', 400), track('b', 50), track('c', 200)];
  const all = windowEnds(tracks, W, 5);

  it('keeps every window when there are few enough', () => {
    expect(sampleWindows(tracks, W, 5, all.end.length)).toEqual(all);
  });

  it('takes at most the maximum, evenly through the list, from every track in proportion', () => {
    const s = sampleWindows(tracks, W, 5, 60);
    expect(s.end.length).toBe(60);
    const perTrack = [0, 1, 2].map((ti) => s.track.filter((x) => x === ti).length);
    // a: 391 windows, b: 41, c: 191 of 623
    expect(perTrack[0]).toBeGreaterThanOrEqual(37);
    expect(perTrack[1]).toBeGreaterThanOrEqual(3);
    expect(perTrack[2]).toBeGreaterThanOrEqual(18);
    // every sampled window is a real one
    for (let i = 0; i < 60; i++) {
      const j = all.end.findIndex((e, k) => e === s.end[i] && all.track[k] === s.track[i]);
      expect(j).toBeGreaterThanOrEqual(0);
    }
    expect(sampleWindows(tracks, W, 5, 60)).toEqual(s);
  });
});

describe('verdictFromResult()', () => {
  const result = (model: number[], cv: number[], windows = 100): EvalResult => {
    const scores = (m: number[]) => ({
      perHorizon: m.map((meanM, k) => ({ step: k + 1, meanM, medianM: meanM, p90M: meanM })),
      adeM: NaN,
      fdeM: NaN,
    });
    return {
      windows,
      horizon: model.length,
      stepSeconds: 15,
      models: { model: scores(model), cv: scores(cv) },
    };
  };

  it('a ratio within half a per cent of 1 is a tie, and a model that only ties never "loses"', () => {
    const v = verdictFromResult(result([10, 20.09, 27], [10, 20, 30]));
    expect(v.kind).toBe('ties');
    expect(v.losingSteps).toEqual([]);
    expect(v.text).toBe(
      'never loses to constant velocity: ties at steps 1–2, beats it at step 3 (model/CV 1.00, 1.00, 0.90)',
    );
  });

  it('names only the losing steps and their ratios', () => {
    const v = verdictFromResult(result([11, 19, 33], [10, 20, 30]));
    expect(v.kind).toBe('loses');
    expect(v.text).toBe('loses to constant velocity at steps 1, 3 (model/CV 1.10, 1.10)');
  });

  it('CV exact and the model not is a loss with ratio ∞; both exact is a tie', () => {
    const v = verdictFromResult(result([0, 1], [0, 0]));
    expect(v.steps.map((s) => s.ratio)).toEqual([1, Infinity]);
    expect(v.text).toBe('loses to constant velocity at step 2 (model/CV ∞)');
  });
});

describe('formatRatio()', () => {
  it('rounds to the given decimals and caps what would only be noise', () => {
    expect(formatRatio(0.91234)).toBe('0.91');
    expect(formatRatio(0.91234, 3)).toBe('0.912');
    expect(formatRatio(1234.5)).toBe('> 100');
    expect(formatRatio(Infinity)).toBe('∞');
  });
});

describe('stepList()', () => {
  it('joins runs of consecutive steps with an en dash', () => {
    expect(stepList([1])).toBe('step 1');
    expect(stepList([1, 2, 3, 5])).toBe('steps 1–3, 5');
  });
});
