// Ensembles: a Predictor with further members averages every member's head output at each step, so
// step 1 is the mean of the members' step-1 predictions, two copies of one network are that network,
// and every path that predicts (worker threads, the live stepper, the model file) keeps the members.
import { describe, expect, it } from 'vitest';
import { runForecastSliceInThread } from '../../src/cli/threads.ts';
import type { EncoderSettings } from '../../src/encode/encoderSettings.ts';
import { createModel, type Model } from '../../src/model/model.ts';
import {
  encodeWeights,
  parseModelFile,
  serializeModelFile,
  type ModelFile,
} from '../../src/model/modelFile.ts';
import { seededNormal } from '../../src/model/random.ts';
import { createLiveStepper } from '../../src/predict/liveStepper.ts';
import { parallelForecast } from '../../src/predict/parallelForecast.ts';
import { Predictor } from '../../src/predict/predictor.ts';
import { expectClose, makeTrack } from '../helpers.ts';

const W = 5;
const encoder: EncoderSettings = {
  stepSeconds: 15,
  window: W,
  features: ['dx', 'dy'],
  inputMean: [3, -2],
  inputStd: [90, 80],
  targetStd: 85,
  align: false,
  scaleWindows: false,
};
const net = (seed: number, head: 'mean' | 'direct' = 'mean'): Model =>
  createModel(
    {
      cell: 'lstm',
      inputSize: 2,
      hiddenSize: 8,
      numLayers: 1,
      head,
      ...(head === 'direct' ? { outputSteps: 3 } : {}),
    },
    { seed },
  );

function randomPast(B: number, seed = 4): Float64Array {
  const r = seededNormal(seed);
  return Float64Array.from({ length: B * W * 2 }, () => 60 * r());
}

describe('an ensemble Predictor', () => {
  const B = 40;
  const past = randomPast(B);

  it.each(['mean', 'direct'] as const)(
    '%s head: step 1 is the mean of the members’ step 1, and later steps feed that mean back',
    (head) => {
      const [a, b, c] = [net(1, head), net(2, head), net(3, head)];
      const ensemble = new Predictor(a, encoder, null, [b, c]);
      expect(ensemble.ensembleSize).toBe(3);
      const f = ensemble.forecast(past, B, 3, { shrink: false });
      const alone = [a, b, c].map((m) => new Predictor(m, encoder).forecast(past, B, 3, { shrink: false }));
      for (let i = 0; i < B; i++) {
        const mean = (key: 'dxM' | 'dyM') => alone.reduce((s, g) => s + g[key][i * 3], 0) / 3;
        expectClose([f.dxM[i * 3], f.dyM[i * 3]], [mean('dxM'), mean('dyM')], 1e-4, `window ${i}`);
      }
      // not one member's forecast: the ensemble differs from each of them
      for (const g of alone)
        expect(Math.abs(g.dxM[0] - f.dxM[0]) + Math.abs(g.dyM[0] - f.dyM[0])).toBeGreaterThan(1e-3);
    },
  );

  it('of two copies of one network is that network, at every step', () => {
    const a = net(7);
    const copy = net(8);
    copy.params.set(a.params);
    const one = new Predictor(a, encoder).forecast(past, B, 4);
    const two = new Predictor(a, encoder, null, [copy]).forecast(past, B, 4);
    expectClose(two.dxM, one.dxM, 1e-9, 'dx');
    expectClose(two.dyM, one.dyM, 1e-9, 'dy');
  });

  it('gives the same numbers on worker threads and in the live stepper (windowed) as in one forecast', async () => {
    const p = new Predictor(net(1), encoder, null, [net(2)]);
    const many = randomPast(600, 5);
    const one = p.forecast(many, 600, 3);
    const threaded = await parallelForecast(
      p,
      many,
      600,
      3,
      {},
      {
        threads: 2,
        run: runForecastSliceInThread,
        minWorkPerThread: 1,
      },
    );
    expect(Array.from(threaded.dxM)).toEqual(Array.from(one.dxM));
    expect(Array.from(threaded.dyM)).toEqual(Array.from(one.dyM));

    const n = 12;
    const track = makeTrack(
      'e',
      n,
      (i) => 41.15 + 0.0004 * i + 0.00002 * Math.sin(i),
      (i) => -8.61 + 0.0003 * Math.cos(i / 3),
    );
    const live = createLiveStepper(p, { steps: 2 });
    expect(live.mode).toBe('windowed');
    let last = null;
    for (let i = 0; i < n; i++) last = live.push(track.lat[i], track.lon[i]);
    const windowed = p.predictTrack(track, n - 1, 2);
    expectClose(
      last!.points.flatMap((q) => [q.lat, q.lon]),
      windowed.points.flatMap((q) => [q.lat, q.lon]),
      1e-12,
    );
  });
});

describe('an ensemble model file', () => {
  const arch = { cell: 'lstm', inputSize: 2, hiddenSize: 8, numLayers: 1, head: 'mean' } as const;
  function file(): ModelFile {
    return {
      format: 'whereto-model',
      version: 3,
      architecture: arch,
      weights: encodeWeights(net(1).params),
      members: [encodeWeights(net(2).params), encodeWeights(net(3).params)],
      encoder,
      training: {
        fingerprint: 'sha256:00',
        seed: 1,
        options: {},
        data: {},
        epochs: [],
        bestEpoch: 0,
        stopped: 'completed',
        gradNormsThroughTime: [],
        finalMetrics: {},
        date: '2026-12-07T00:00:00.000Z',
      },
    };
  }

  it('round-trips and predicts as the Predictor built from its networks', () => {
    const mf = parseModelFile(serializeModelFile(file()), 'e.json');
    expect(mf.members).toHaveLength(2);
    const p = Predictor.fromModelFile(mf);
    const direct = new Predictor(net(1), encoder, null, [net(2), net(3)]);
    const past = randomPast(8);
    expect(Array.from(p.forecast(past, 8, 3).dxM)).toEqual(Array.from(direct.forecast(past, 8, 3).dxM));
  });

  it.each([
    [
      'in a version-2 file',
      (o: ModelFile) => Object.assign(o, { version: 2 }),
      'members (an ensemble) needs version 3, this file is version 2',
    ],
    [
      'with a member of another size',
      (o: ModelFile) => (o.members![1] = encodeWeights(new Float32Array(10))),
      'members[1].count is 10 but a 1-layer LSTM',
    ],
    [
      'for a gaussian head',
      (o: ModelFile) => {
        const g = createModel({ ...arch, head: 'gaussian' }, { seed: 1 });
        Object.assign(o, {
          architecture: { ...arch, head: 'gaussian' },
          weights: encodeWeights(g.params),
          members: [encodeWeights(g.params)],
        });
      },
      'members: an ensemble is for the mean and direct heads (averaging Gaussian heads is not a mixture)',
    ],
    ['as an empty list', (o: ModelFile) => (o.members = []), 'members must be a non-empty array of weights'],
  ])('is refused %s, saying why', (_label, mutate, message) => {
    const doc = file();
    mutate(doc);
    expect(() => parseModelFile(JSON.stringify(doc), 'e.json')).toThrow(`e.json: ${message}`);
  });
});
