import { describe, expect, it } from 'vitest';
import type { Track } from '../../src/data/track.ts';
import { createModel } from '../../src/model/model.ts';
import { encodeWeights, type ModelEncoder, type ModelFile } from '../../src/model/modelFile.ts';
import { Predictor } from '../../src/predict/predictor.ts';
import { decodeHead, encodeWindow, IDENTITY_FRAME, windowFrame } from '../../src/predict/windowInputs.ts';
import { expectClose } from '../helpers.ts';

const W = 4;
function encoder(align: boolean, scaleWindows = false): ModelEncoder {
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

  it('a Gaussian head accumulates the position variance over the rollout', () => {
    const p = predictor('gaussian', false);
    const f = p.forecast(past, 1, 3);
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

describe('Predictor on tracks', () => {
  const n = 12;
  const track: Track = {
    id: 'a',
    file: 'a.csv',
    lat: Float64Array.from({ length: n }, (_, i) => 41.15 + i * 0.0005 + 0.0001 * Math.sin(i)),
    lon: Float64Array.from({ length: n }, (_, i) => -8.61 + i * 0.0004),
    t: Float64Array.from({ length: n }, (_, i) => 1.4e9 + 15 * i),
  };

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
    expect(last).toEqual(p.predictTrack(track, 6, 2));
  });
});
