import { describe, expect, it } from 'vitest';
import { decodeHead } from '../../src/encode/decodeHead.ts';
import type { EncoderSettings } from '../../src/encode/encoderSettings.ts';
import { encodeWindow } from '../../src/encode/encodeWindow.ts';
import { IDENTITY_FRAME, windowFrame } from '../../src/encode/windowFrame.ts';
import { createModel } from '../../src/model/model.ts';
import { encodeWeights, type ModelFile } from '../../src/model/modelFile.ts';
import { Predictor } from '../../src/predict/predictor.ts';
import { expectClose, makeTrack } from '../helpers.ts';

const W = 4;
function encoder(align: boolean, scaleWindows = false): EncoderSettings {
  return {
    stepSeconds: 15,
    window: W,
    features: ['dx', 'dy'],
    inputMean: [3, -2],
    inputStd: [90, 80],
    targetStd: 85,
    align,
    scaleWindows,
  };
}
function predictor(head: 'mean' | 'gaussian', align: boolean, seed = 5, scaleWindows = false): Predictor {
  const model = createModel(
    { cell: 'lstm', inputSize: 2, hiddenSize: 8, numLayers: 1, head },
    { seed, dtype: 'float64' },
  );
  return new Predictor(model, encoder(align, scaleWindows));
}
// a curving path of W deltas, metres
const past = Float64Array.from([100, 10, 95, 30, 80, 50, 60, 70]);

describe('Predictor.forecast()', () => {
  it('step 1 is the model head on the encoded window, decoded to metres', () => {
    const p = predictor('mean', false);
    const x = new Float32Array(W * 2);
    encodeWindow(x, 0, past, 0, p.encoder, new Float64Array(W * 2), IDENTITY_FRAME);
    const head = p.model.forwardLast(x, 1, W);
    const f = p.forecast(past, 1, 1);
    expectClose([f.dxM[0], f.dyM[0]], [head[0] * 85, head[1] * 85], 1e-9);
  });

  it('rolls forward by feeding each predicted delta back and dropping the oldest', () => {
    const p = predictor('mean', true);
    const f = p.forecast(past, 1, 3);
    const win = Array.from(past);
    const step = { dxM: 0, dyM: 0, sxx: 0, syy: 0, sxy: 0 };
    for (let k = 0; k < 3; k++) {
      const rot = windowFrame(win, 0, p.encoder);
      const x = new Float32Array(W * 2);
      encodeWindow(x, 0, win, 0, p.encoder, new Float64Array(W * 2), rot);
      decodeHead(p.model.forwardLast(x, 1, W), 0, 2, rot, 85, step);
      expectClose([f.dxM[k], f.dyM[k]], [step.dxM, step.dyM], 1e-9, `step ${k + 1}`);
      win.splice(0, 2);
      win.push(step.dxM, step.dyM);
    }
  });

  it('with align, rotating the observed path rotates the prediction by the same angle', () => {
    const p = predictor('mean', true);
    const th = 1.1;
    const rotated = Float64Array.from(past, (_, i) =>
      i % 2 === 0
        ? past[i] * Math.cos(th) - past[i + 1] * Math.sin(th)
        : past[i - 1] * Math.sin(th) + past[i] * Math.cos(th),
    );
    const a = p.forecast(past, 1, 3);
    const b = p.forecast(rotated, 1, 3);
    for (let k = 0; k < 3; k++)
      expectClose(
        [b.dxM[k], b.dyM[k]],
        [
          a.dxM[k] * Math.cos(th) - a.dyM[k] * Math.sin(th),
          a.dxM[k] * Math.sin(th) + a.dyM[k] * Math.cos(th),
        ],
        1e-6,
      );
  });

  it('with scaleWindows, a path walked 10 times slower gets the same prediction, 10 times shorter', () => {
    const p = predictor('mean', true, 5, true);
    const a = p.forecast(past, 1, 3);
    const b = p.forecast(
      past.map((d) => d / 10),
      1,
      3,
    );
    expectClose(
      b.dxM,
      a.dxM.map((d) => d / 10),
      1e-4,
    );
    expectClose(
      b.dyM,
      a.dyM.map((d) => d / 10),
      1e-4,
    );
  });

  it('with samples: 0, a Gaussian head sums the step covariances over the rollout', () => {
    const p = predictor('gaussian', false);
    const f = p.forecast(past, 1, 3, { samples: 0 });
    const x = new Float32Array(W * 2);
    encodeWindow(x, 0, past, 0, p.encoder, new Float64Array(W * 2), IDENTITY_FRAME);
    const head = p.model.forwardLast(x, 1, W);
    expectClose(f.sigmaXM![0], Math.exp(head[2]) * 85, 1e-9);
    expectClose(f.sigmaYM![0], Math.exp(head[3]) * 85, 1e-9);
    expectClose(f.rho![0], Math.tanh(head[4]), 1e-9);
    for (let k = 1; k < 3; k++) {
      expect(f.sigmaXM![k]).toBeGreaterThan(f.sigmaXM![k - 1]);
      expect(f.sigmaYM![k]).toBeGreaterThan(f.sigmaYM![k - 1]);
    }
  });
});

/**
 * A Gaussian-head predictor whose output ignores its input: every weight 0, head bias =
 * [μx, μy, log σx, log σy, atanh ρ] with targetStd 1, so every step's delta is N(μ, Σ) and the
 * position after k steps is exactly N(k·μ, k·Σ).
 */
function constantGaussian(mu: [number, number], sx: number, sy: number, rho: number): Predictor {
  const model = createModel(
    { cell: 'lstm', inputSize: 2, hiddenSize: 4, numLayers: 1, head: 'gaussian' },
    { seed: 1, dtype: 'float64' },
  );
  model.params.fill(0);
  model.view('head.bias').set([mu[0], mu[1], Math.log(sx), Math.log(sy), Math.atanh(rho)]);
  return new Predictor(model, { ...encoder(false), inputMean: [0, 0], inputStd: [1, 1], targetStd: 1 });
}

describe('Predictor.forecast() sampled rollouts (Gaussian head)', () => {
  const mu: [number, number] = [10, -4];
  const [sx, sy, rho] = [6, 3, 0.5];

  it('the sampled mean and covariance after k steps match N(k·μ, k·Σ) when steps are independent', () => {
    const p = constantGaussian(mu, sx, sy, rho);
    const f = p.forecast(past, 1, 4, { samples: 20000, seed: 3 });
    let x = 0;
    let y = 0;
    for (let k = 0; k < 4; k++) {
      x += f.dxM[k];
      y += f.dyM[k];
      const n = k + 1;
      // standard error of a mean of 20000 draws with σ ≤ 12 m is < 0.1 m; of a σ estimate about 0.5 %
      expectClose([x, y], [n * mu[0], n * mu[1]], 0.35, `mean position at step ${n}`);
      expectClose(f.sigmaXM![k] / (sx * Math.sqrt(n)), 1, 0.025, `σx at step ${n}`);
      expectClose(f.sigmaYM![k] / (sy * Math.sqrt(n)), 1, 0.025, `σy at step ${n}`);
      expectClose(f.rho![k], rho, 0.02, `ρ at step ${n}`);
    }
  });

  it('agrees with the analytic sum (samples: 0) when steps are independent', () => {
    const p = constantGaussian(mu, sx, sy, rho);
    const analytic = p.forecast(past, 1, 3, { samples: 0 });
    const sampled = p.forecast(past, 1, 3, { samples: 20000, seed: 9 });
    expectClose(Array.from(sampled.sigmaXM!), Array.from(analytic.sigmaXM!), 0.03 * sx * Math.sqrt(3));
    expectClose(Array.from(sampled.sigmaYM!), Array.from(analytic.sigmaYM!), 0.03 * sy * Math.sqrt(3));
    expectClose(Array.from(sampled.rho!), Array.from(analytic.rho!), 0.02);
  });

  it('is deterministic in its seed and differs between seeds', () => {
    const p = predictor('gaussian', false);
    const a = p.forecast(past, 2, 3, { samples: 16, seed: 4 });
    const b = p.forecast(past, 2, 3, { samples: 16, seed: 4 });
    const c = p.forecast(past, 2, 3, { samples: 16, seed: 5 });
    expect(Array.from(b.sigmaXM!)).toEqual(Array.from(a.sigmaXM!));
    expect(Array.from(b.dxM)).toEqual(Array.from(a.dxM));
    expect(Array.from(c.sigmaXM!)).not.toEqual(Array.from(a.sigmaXM!));
  });

  it('feeds each sample back: for a constant-velocity model the spread grows like Σ·(1² + 2² + … + k²)', () => {
    // A tanh RNN with tiny input weights a and no recurrence is linear: head mean = h/a ≈ last input
    // delta, i.e. constant velocity. A delta's noise then repeats in every later step, so after k steps
    // the position variance is Σ·Σ m² (m = 1…k), not the analytic sum's Σ·k.
    const a = 1e-5;
    const model = createModel(
      { cell: 'rnn', inputSize: 2, hiddenSize: 2, numLayers: 1, head: 'gaussian' },
      { seed: 1, dtype: 'float64' },
    );
    model.params.fill(0);
    model.view('rnn.weight_ih_l0').set([a, 0, 0, a]);
    model.view('head.weight').set([1 / a, 0, 0, 1 / a, 0, 0, 0, 0, 0, 0]);
    model.view('head.bias').set([0, 0, Math.log(sx), Math.log(sy), Math.atanh(rho)]);
    const p = new Predictor(model, { ...encoder(false), inputMean: [0, 0], inputStd: [1, 1], targetStd: 1 });
    const analytic = p.forecast(past, 1, 3, { samples: 0 });
    const sampled = p.forecast(past, 1, 3, { samples: 20000, seed: 2 });
    expectClose([analytic.dxM[2], analytic.dyM[2]], [60, 70], 0.01, 'the mean repeats the last delta');
    for (let k = 1; k <= 3; k++) {
      const grow = Math.sqrt((k * (k + 1) * (2 * k + 1)) / 6); // √(Σ m²)
      expectClose(sampled.sigmaXM![k - 1] / (sx * grow), 1, 0.03, `sampled σx at step ${k}`);
      expectClose(sampled.sigmaYM![k - 1] / (sy * grow), 1, 0.03, `sampled σy at step ${k}`);
      expectClose(analytic.sigmaXM![k - 1], sx * Math.sqrt(k), 1e-6, `analytic σx at step ${k}`);
    }
  });

  it('windows of one batch keep their own samples (batching is invisible)', () => {
    const p = predictor('gaussian', true);
    const two = new Float64Array(2 * W * 2);
    two.set(past, 0);
    two.set(
      past.map((v) => v * 0.5),
      W * 2,
    );
    const both = p.forecast(two, 2, 3, { samples: 8, seed: 1 });
    const first = p.forecast(past, 1, 3, { samples: 8, seed: 1 });
    expect(Array.from(both.dxM.subarray(0, 3))).toEqual(Array.from(first.dxM));
    expect(Array.from(both.sigmaXM!.subarray(0, 3))).toEqual(Array.from(first.sigmaXM!));
  });
});

describe('Predictor on tracks', () => {
  const n = 12;
  const track = makeTrack(
    'a',
    n,
    (i) => 41.15 + i * 0.0005 + 0.0001 * Math.sin(i),
    (i) => -8.61 + i * 0.0004,
    { file: 'a.csv' },
  );

  it('predictTrack() uses points at or before endIndex only', () => {
    const p = predictor('mean', true);
    const a = p.predictTrack(track, 7, 3);
    const altered = { ...track, lat: track.lat.slice(), lon: track.lon.slice() };
    for (let i = 8; i < n; i++) altered.lat[i] += 0.01;
    expect(p.predictTrack(altered, 7, 3)).toEqual(a);
    expect(a.points).toHaveLength(3);
  });

  it('fromModelFile() loads the weights it was saved with', () => {
    const p = predictor('mean', false, 9);
    const mf = {
      architecture: p.architecture,
      encoder: p.encoder,
      weights: encodeWeights(p.model.params),
    } as unknown as ModelFile;
    const q = Predictor.fromModelFile(mf);
    expectClose(q.model.params, Float32Array.from(p.model.params), 0);
  });

  it('liveStepper() predicts from the second pushed point on, from the points pushed so far', () => {
    const p = predictor('mean', false);
    const live = p.liveStepper(2);
    expect(live.push(track.lat[0], track.lon[0])).toBeNull();
    let last = null;
    for (let i = 1; i <= 6; i++) last = live.push(track.lat[i], track.lon[i]);
    expect(last!.points).toHaveLength(2);
    // the state is carried (test/predict/liveStepper.test.ts); over exactly the first W deltas both
    // start from the zero state, so step 1 is the windowed prediction
    const fresh = p.liveStepper(1);
    let atW = null;
    for (let i = 0; i <= W; i++) atW = fresh.push(track.lat[i], track.lon[i]);
    const windowed = p.predictTrack(track, W, 1).points[0];
    expectClose([atW!.points[0].lat, atW!.points[0].lon], [windowed.lat, windowed.lon], 1e-10);
  });
});
