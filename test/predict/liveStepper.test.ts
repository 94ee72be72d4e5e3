// The live stepper: one cell update per layer per pushed point, the carried state untouched by the
// rollout, and equal to the windowed prediction where both start from the zero state. Real models
// (float64 TypeScript kernels and the default float32 kernels), cell calls counted on the kernels.
import { describe, expect, it } from 'vitest';
import type { Track } from '../../src/data/track.ts';
import type { EncoderSettings } from '../../src/encode/encoderSettings.ts';
import type { CellKind } from '../../src/model/architecture.ts';
import type { Kernels } from '../../src/model/kernels.ts';
import { createModel } from '../../src/model/model.ts';
import { createStepper } from '../../src/model/stepper.ts';
import { createTsKernels } from '../../src/model/tsKernels.ts';
import { createDefaultKernels } from '../../src/model/defaultKernels.ts';
import { carriesState, copyStepperState, createLiveStepper } from '../../src/predict/liveStepper.ts';
import type { Prediction } from '../../src/predict/prediction.ts';
import { Predictor } from '../../src/predict/predictor.ts';
import { expectClose, shrinkageOf } from '../helpers.ts';

const W = 4;
const CELL_KERNELS = ['lstmForward', 'gruForward', 'rnnForward', 'lstmRecurrence', 'lstmInference'];

/** The real kernels, with every call of a cell kernel counted (one call = one cell update of one layer). */
function countingKernels(inner: Kernels): { kernels: Kernels; calls: () => number } {
  let calls = 0;
  const kernels = new Proxy(inner, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') return v;
      const f = v as (...a: unknown[]) => unknown;
      // A bound live step (the stepper binds one per layer once) counts each time it runs.
      if (prop === 'bindLstmStep')
        return (...a: unknown[]) => {
          const step = f.apply(target, a) as (() => void) | null;
          return (
            step &&
            (() => {
              calls++;
              step();
            })
          );
        };
      if (!CELL_KERNELS.includes(String(prop))) return f.bind(target);
      return (...a: unknown[]) => {
        calls++;
        return f.apply(target, a);
      };
    },
  });
  return { kernels, calls: () => calls };
}

function encoder(opts: Partial<EncoderSettings> = {}): EncoderSettings {
  return {
    stepSeconds: 15,
    window: W,
    features: ['dx', 'dy', 'speed', 'sinHeading', 'cosHeading'],
    inputMean: [3, -2, 6, 0.1, 0.2],
    inputStd: [90, 80, 5, 0.7, 0.7],
    targetStd: 85,
    align: false,
    scaleWindows: false,
    ...opts,
  } as EncoderSettings;
}

function predictor(
  opts: {
    cell?: CellKind;
    layers?: number;
    head?: 'mean' | 'gaussian';
    kernels?: Kernels;
    enc?: EncoderSettings;
  } = {},
): Predictor {
  const enc = opts.enc ?? encoder();
  const model = createModel(
    {
      cell: opts.cell ?? 'lstm',
      inputSize: enc.features.length,
      hiddenSize: 8,
      numLayers: opts.layers ?? 2,
      head: opts.head ?? 'mean',
    },
    opts.kernels ? { seed: 3, kernels: opts.kernels } : { seed: 3, dtype: 'float64' },
  );
  return new Predictor(model, enc);
}

/** A curving path near Porto, one point per 15 s step, n points. */
function path(n: number, bend = 0.02): Track {
  const lat = new Float64Array(n);
  const lon = new Float64Array(n);
  let la = 41.15;
  let lo = -8.61;
  let heading = 0.4;
  for (let i = 0; i < n; i++) {
    lat[i] = la;
    lon[i] = lo;
    heading += bend * (1 + Math.sin(i));
    const stepM = 120 + 40 * Math.cos(0.7 * i);
    la += (stepM * Math.cos(heading)) / 111_195;
    lo += (stepM * Math.sin(heading)) / (111_195 * Math.cos((la * Math.PI) / 180));
  }
  return { id: 'p', file: 'test', lat, lon, t: Float64Array.from({ length: n }, (_, i) => 15 * i) };
}

function pushAll(
  s: { push(lat: number, lon: number): Prediction | null },
  t: Track,
  upTo = t.lat.length - 1,
) {
  const out: (Prediction | null)[] = [];
  for (let i = 0; i <= upTo; i++) out.push(s.push(t.lat[i], t.lon[i]));
  return out;
}

const flat = (p: Prediction | null): number[] => (p ? p.points.flatMap((q) => [q.lat, q.lon]) : []);

describe('createLiveStepper(): one cell update per pushed point', () => {
  for (const cell of ['lstm', 'gru', 'rnn'] as const)
    it(`a ${cell} with 2 layers: every push after the first costs exactly 2 cell calls (K = 1)`, () => {
      const { kernels, calls } = countingKernels(createTsKernels('float64'));
      const live = createLiveStepper(predictor({ cell, layers: 2, kernels }), { steps: 1 });
      const t = path(30);
      expect(live.mode).toBe('carried');
      let before = calls();
      expect(live.push(t.lat[0], t.lon[0])).toBeNull();
      expect(calls() - before).toBe(0);
      for (let i = 1; i < 30; i++) {
        before = calls();
        expect(live.push(t.lat[i], t.lon[i])).not.toBeNull();
        expect(calls() - before, `push ${i}`).toBe(2);
      }
      expect(live.cellUpdates).toBe(29);
    });

  it('with the default float32 kernels (fused LSTM step) too; a K-step forecast adds K − 1 rollout steps', () => {
    const { kernels, calls } = countingKernels(createDefaultKernels('float32'));
    const live = createLiveStepper(predictor({ layers: 2, kernels }), { steps: 5 });
    const t = path(12);
    live.push(t.lat[0], t.lon[0]);
    for (let i = 1; i < 12; i++) {
      const before = calls();
      expect(live.push(t.lat[i], t.lon[i])!.points).toHaveLength(5);
      expect(calls() - before, `push ${i}`).toBe(2 * 5); // 1 carried + 4 rollout steps, 2 layers each
    }
  });

  it('the windowed path it replaces costs W cell calls per layer per predicted step', () => {
    const { kernels, calls } = countingKernels(createTsKernels('float64'));
    const p = predictor({ layers: 2, kernels });
    const t = path(12);
    const before = calls();
    p.predictTrack(t, 8, 1);
    expect(calls() - before).toBe(2 * W);
  });

  it('with resyncEvery R the state is rebuilt over the last W deltas once W + R, W + 2R, … deltas are in', () => {
    const { kernels, calls } = countingKernels(createTsKernels('float64'));
    const live = createLiveStepper(predictor({ layers: 1, kernels }), { steps: 1, resyncEvery: 3 });
    const t = path(20);
    const costs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const before = calls();
      live.push(t.lat[i], t.lon[i]);
      costs.push(calls() - before);
    }
    // point i brings delta i: deltas 7, 10, 13, 16, 19 (W + 3k) re-sync over W = 4 deltas
    expect(costs).toEqual([0, 1, 1, 1, 1, 1, 1, W, 1, 1, W, 1, 1, W, 1, 1, W, 1, 1, W]);
  });
});

describe('createLiveStepper(): predictions', () => {
  it('from the zero state over exactly the first W deltas, step 1 equals the windowed prediction', () => {
    for (const layers of [1, 2]) {
      const p = predictor({ layers });
      const t = path(W + 1);
      const live = pushAll(createLiveStepper(p, { steps: 3 }), t);
      const windowed = p.predictTrack(t, W, 3);
      expectClose(flat(live[W]).slice(0, 2), flat(windowed).slice(0, 2), 1e-10, `${layers} layers`);
    }
  });

  it('applies the shrinkage toward constant velocity as Predictor.forecast does', () => {
    const p = predictor({ layers: 1 });
    const t = path(W + 1);
    const raw = flat(pushAll(createLiveStepper(p, { steps: 1 }), t)[W]);
    p.shrinkage = {
      alpha: [0.3],
      horizon: 1,
      fittedOn: 'validation',
      windows: 1,
      cvErrorM: [1],
      modelErrorM: [1],
      shrunkErrorM: [1],
    };
    const live = flat(pushAll(createLiveStepper(p, { steps: 1 }), t)[W]);
    expectClose(live, flat(p.predictTrack(t, W, 1)), 1e-10, 'shrunk, live vs windowed');
    expect(Math.abs(live[0] - raw[0]) + Math.abs(live[1] - raw[1])).toBeGreaterThan(1e-7);
  });

  it("applies the α of the path's band of recent step length, as Predictor.forecast does", () => {
    const p = predictor({ layers: 1 });
    const t = path(W + 1);
    const raw = flat(pushAll(createLiveStepper(p, { steps: 1 }), t)[W]);
    const withBands = (edge: number) => {
      p.shrinkage = shrinkageOf([0.3], { edges: [edge], alpha: [[0], [1]] });
      const live = flat(pushAll(createLiveStepper(p, { steps: 1 }), t)[W]);
      expectClose(live, flat(p.predictTrack(t, W, 1)), 1e-10, `edge ${edge}, live vs windowed`);
      return live;
    };
    expectClose(withBands(1e-9), raw, 1e-10, 'above the edge: α = 1, the raw model');
    const steady = withBands(1e9); // below the edge: α = 0, constant velocity
    expect(steady).not.toEqual(raw);
    // constant velocity repeats the last delta: the point after W is W + (W − (W − 1))
    const last = t.lat.length - 1;
    expect(steady[0]).toBeCloseTo(2 * t.lat[last] - t.lat[last - 1], 7); // 5e-8 degrees: the tangent planes differ
    expect(steady[1]).toBeCloseTo(2 * t.lon[last] - t.lon[last - 1], 7);
  });

  it('after a re-sync, step 1 equals the windowed prediction again; between re-syncs it does not', () => {
    const p = predictor();
    const t = path(20, 0.15);
    const live = pushAll(createLiveStepper(p, { steps: 1, resyncEvery: 3 }), t);
    for (const e of [W, W + 3, W + 6, W + 9])
      expectClose(flat(live[e]), flat(p.predictTrack(t, e, 1)), 1e-10, `end ${e}`);
    const carried = flat(live[W + 2]);
    const windowed = flat(p.predictTrack(t, W + 2, 1));
    expect(Math.abs(carried[0] - windowed[0]) + Math.abs(carried[1] - windowed[1])).toBeGreaterThan(1e-9);
  });

  it('the rollout leaves the carried state alone: K = 5 and K = 1 agree on step 1 at every point', () => {
    const p = predictor();
    const t = path(25);
    const five = pushAll(createLiveStepper(p, { steps: 5 }), t);
    const one = pushAll(createLiveStepper(p, { steps: 1 }), t);
    for (let i = 1; i < 25; i++) expectClose(flat(five[i]).slice(0, 2), flat(one[i]), 1e-12, `point ${i}`);
  });

  it('pushing the same sequence again after reset() gives identical predictions', () => {
    const p = predictor({ head: 'gaussian' });
    const live = createLiveStepper(p, { steps: 4, samples: 16 });
    const t = path(18);
    const first = pushAll(live, t);
    live.reset();
    expect(live.points).toBe(0);
    expect(live.cellUpdates).toBe(0);
    const second = pushAll(live, t);
    expect(second).toEqual(first);
    expect(first[0]).toBeNull();
  });

  it('uses only the points pushed so far: paths sharing a prefix predict the same until they part', () => {
    const p = predictor();
    const a = path(20, 0.02);
    const b = path(20, 0.02);
    for (let i = 12; i < 20; i++) b.lat[i] += 0.002 * (i - 11); // b turns away after point 11
    const pa = pushAll(createLiveStepper(p), a);
    const pb = pushAll(createLiveStepper(p), b);
    for (let i = 1; i <= 11; i++) expect(pb[i], `point ${i}`).toEqual(pa[i]);
    expect(pb[12]).not.toEqual(pa[12]);
  });

  it('a Gaussian head with samples = 0: step-1 σ and ρ equal the windowed ones over the first W deltas', () => {
    const p = predictor({ head: 'gaussian' });
    p.uncertaintySamples = 0;
    const t = path(W + 1);
    const live = pushAll(createLiveStepper(p, { steps: 3, samples: 0 }), t)[W]!;
    const windowed = p.predictTrack(t, W, 3);
    // the stepper hands its head output back as float32: σ agrees to ~1e-7 relative
    expectClose(live.sigmaXM![0], windowed.sigmaXM![0], 1e-5, 'σx');
    expectClose(live.sigmaYM![0], windowed.sigmaYM![0], 1e-5, 'σy');
    expectClose(live.rho![0], windowed.rho![0], 1e-6, 'ρ');
    // analytic: step covariances add up, so σ never shrinks
    for (let k = 1; k < 3; k++) expect(live.sigmaXM![k]).toBeGreaterThanOrEqual(live.sigmaXM![k - 1]);
  });

  it('sampled σ (Gaussian head) is finite and positive at every step', () => {
    const live = createLiveStepper(predictor({ head: 'gaussian' }), { steps: 5, samples: 32 });
    const pred = pushAll(live, path(9))[8]!;
    for (const s of [...pred.sigmaXM!, ...pred.sigmaYM!]) expect(s > 0 && Number.isFinite(s)).toBe(true);
    for (const r of pred.rho!) expect(Math.abs(r)).toBeLessThan(1);
  });
});

describe('createLiveStepper(): input and modes', () => {
  it('the first point (and the first after reset) returns null', () => {
    const live = createLiveStepper(predictor());
    const t = path(3);
    expect(live.push(t.lat[0], t.lon[0])).toBeNull();
    expect(live.push(t.lat[1], t.lon[1])).not.toBeNull();
    live.reset();
    expect(live.push(t.lat[2], t.lon[2])).toBeNull();
  });

  it('a non-finite or out-of-range point throws a RangeError naming it and changes nothing', () => {
    const p = predictor();
    const t = path(8);
    const clean = pushAll(createLiveStepper(p), t);
    const live = createLiveStepper(p);
    const got: (Prediction | null)[] = [];
    for (let i = 0; i < 8; i++) {
      if (i === 4) {
        expect(() => live.push(NaN, t.lon[i])).toThrow(/NaN/);
        expect(() => live.push(t.lat[i], 200)).toThrow(RangeError);
      }
      got.push(live.push(t.lat[i], t.lon[i]));
    }
    expect(got).toEqual(clean);
  });

  it('an encoder with per-window frames (align, scaleWindows) falls back to windowed prediction', () => {
    for (const enc of [encoder({ align: true }), encoder({ scaleWindows: true })]) {
      expect(carriesState(enc)).toBe(false);
      const p = predictor({ enc });
      const live = createLiveStepper(p, { steps: 3 });
      expect(live.mode).toBe('windowed');
      const t = path(12);
      const preds = pushAll(live, t);
      expect(preds[0]).toBeNull();
      // the last W + 1 points only
      const tail: Track = { ...t, lat: t.lat.slice(11 - W), lon: t.lon.slice(11 - W), t: t.t.slice(11 - W) };
      expect(preds[11]).toEqual(p.predictTrack(tail, W, 3));
    }
    expect(carriesState(encoder())).toBe(true);
  });

  it('Predictor.liveStepper() is a carried-state live stepper', () => {
    const p = predictor();
    const t = path(16);
    const viaPredictor = pushAll(p.liveStepper(3), t);
    expect(viaPredictor).toEqual(pushAll(createLiveStepper(p, { steps: 3, resyncEvery: W }), t));
  });
});

describe('copyStepperState()', () => {
  it('a stepper given a copy of another one’s state continues exactly as the original does', () => {
    const p = predictor({ layers: 2 });
    const a = createStepper(p.model);
    const b = createStepper(p.model);
    const xs = Array.from({ length: 6 }, (_, i) => [0.1 * i, -0.2, 0.3, Math.sin(i), Math.cos(i)]);
    for (const x of xs) a.step(x);
    copyStepperState(a, b, 2);
    const next = [0.5, 0.5, -1, 0, 1];
    const fromCopy = b.step(next);
    expect(Array.from(a.step(next))).toEqual(Array.from(fromCopy));
  });
});
