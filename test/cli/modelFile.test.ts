import { describe, expect, it } from 'vitest';
import {
  decodeWeights,
  encodeWeights,
  parseModelFile,
  serializeModelFile,
  type ModelFile,
} from '../../src/model/modelFile.ts';
import { parameterLayout } from '../../src/model/parameterLayout.ts';
import { expectClose } from '../helpers.ts';

function sampleModelFile(): ModelFile {
  const architecture = { cell: 'lstm', inputSize: 2, hiddenSize: 3, numLayers: 1, head: 'mean' } as const;
  const params = Array.from({ length: parameterLayout(architecture).total }, (_, i) => Math.sin(i) / 3);
  return {
    format: 'whereto-model',
    version: 1,
    architecture: { ...architecture },
    weights: encodeWeights(params),
    encoder: {
      stepSeconds: 15,
      window: 10,
      features: ['dx', 'dy'],
      inputMean: [0.5, -0.25],
      inputStd: [80, 75],
      targetStd: 77.5,
      align: true,
    },
    training: {
      fingerprint: 'sha256:00',
      seed: 7,
      options: {},
      data: {},
      epochs: [{ epoch: 1, loss: 0.9, valErrorM: 80 }],
      bestEpoch: 1,
      stopped: 'completed',
      gradNormsThroughTime: [[0.1, 0.2]],
      finalMetrics: {},
      date: '2026-11-25T00:00:00.000Z',
    },
  };
}

/** A version-3 document whose shrinkage has bands(), changed by `change`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests mutate arbitrary JSON
function withBands(o: Record<string, any>, change: Record<string, unknown>): void {
  Object.assign(o, { version: 3, shrinkage: { ...shrinkage(), bands: { ...bands(), ...change } } });
}

function bands() {
  return {
    by: 'recentStepM' as const,
    edges: [4, 16],
    alpha: [
      [0, 0.1],
      [0.5, 0.6],
      [0.9, 1],
    ],
    windows: [60, 70, 80],
  };
}

function shrinkage() {
  return {
    alpha: [0.5, 1],
    horizon: 2,
    fittedOn: 'validation' as const,
    windows: 10,
    cvErrorM: [10, 20],
    modelErrorM: [9, 21],
    shrunkErrorM: [8.5, 20],
  };
}

describe('the model file', () => {
  it('parameterLayout().total follows PyTorch: 4H(X+H+2) per LSTM layer plus Linear(H, 2)', () => {
    expect(
      parameterLayout({ cell: 'lstm', inputSize: 2, hiddenSize: 64, numLayers: 1, head: 'mean' }).total,
    ).toBe(4 * 64 * (2 + 64 + 2) + 2 * 65);
    expect(
      parameterLayout({ cell: 'gru', inputSize: 4, hiddenSize: 8, numLayers: 2, head: 'gaussian' }).total,
    ).toBe(3 * 8 * (4 + 8 + 2) + 3 * 8 * (8 + 8 + 2) + 5 * 9);
  });

  it('weights survive encode → decode exactly at float32 precision', () => {
    const values = [0, -1.5, 3.14159, 1e-30, -65504.125];
    expectClose(decodeWeights(encodeWeights(values)), Float32Array.from(values), 0);
  });

  it('round-trips through serializeModelFile → parseModelFile unchanged', () => {
    const mf = sampleModelFile();
    expect(parseModelFile(serializeModelFile(mf), 'm.json')).toEqual(mf);
  });

  it('reads version 2 with the cv-residual target, a direct head, shrinkage and a parent', () => {
    const architecture = {
      cell: 'gru',
      inputSize: 2,
      hiddenSize: 3,
      numLayers: 1,
      head: 'direct',
      outputSteps: 4,
    } as const;
    const mf: ModelFile = {
      ...sampleModelFile(),
      version: 2,
      architecture,
      weights: encodeWeights(new Array(parameterLayout(architecture).total).fill(0.25)),
      encoder: {
        ...sampleModelFile().encoder,
        align: false,
        targetStd: 1,
        target: 'cv-residual',
        frameFloorM: 2,
        frameSteps: 3,
      },
      shrinkage: shrinkage(),
    };
    mf.training.parent = { fingerprint: 'sha256:11', date: '2026-12-01T00:00:00.000Z' };
    expect(parameterLayout(architecture).total).toBe(3 * 3 * (2 + 3 + 2) + 8 * 4);
    expect(parseModelFile(serializeModelFile(mf), 'm.json')).toEqual(mf);
  });

  it('reads version 3 with shrinkage bands', () => {
    const mf: ModelFile = { ...sampleModelFile(), version: 3, shrinkage: { ...shrinkage(), bands: bands() } };
    expect(parseModelFile(serializeModelFile(mf), 'm.json')).toEqual(mf);
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests mutate arbitrary JSON
  const broken: [string, (o: Record<string, any>) => void, string][] = [
    ['another format', (o) => (o.format = 'keras'), 'not a whereto model file (format is "keras"'],
    [
      'a newer version',
      (o) => (o.version = 4),
      'unsupported version 4 (this whereto reads versions 1, 2 and 3)',
    ],
    [
      'shrinkage bands in a version-2 file',
      (o) => Object.assign(o, { version: 2, shrinkage: { ...shrinkage(), bands: bands() } }),
      'shrinkage.bands needs version 3, this file is version 2',
    ],
    [
      'band edges that do not ascend',
      (o) => withBands(o, { edges: [16, 4] }),
      'shrinkage.bands.edges must ascend, got 4 after 16',
    ],
    [
      'one band α row too few',
      (o) =>
        withBands(o, {
          alpha: [
            [0, 0.1],
            [0.5, 0.6],
          ],
        }),
      'shrinkage.bands.alpha must hold 3 arrays (one per band)',
    ],
    [
      'a band α above 1',
      (o) =>
        withBands(o, {
          alpha: [
            [0, 0.1],
            [0.5, 2],
            [1, 1],
          ],
        }),
      'shrinkage.bands.alpha[1][1] must be between 0 and 1, got 2',
    ],
    [
      'bands by an unknown measure',
      (o) => withBands(o, { by: 'speed' }),
      'shrinkage.bands.by must be "recentStepM", got "speed"',
    ],
    [
      'an unknown target',
      (o) => (o.encoder.target = 'residual'),
      'encoder.target must be one of delta, cv-residual, got "residual"',
    ],
    [
      'a cv-residual encoder without its frame floor',
      (o) => Object.assign(o.encoder, { target: 'cv-residual', align: false, frameSteps: 3 }),
      'encoder.frameFloorM must be a positive number of metres, got undefined',
    ],
    [
      'a cv-residual encoder that also aligns',
      (o) => Object.assign(o.encoder, { target: 'cv-residual', frameFloorM: 2, frameSteps: 3 }),
      'encoder.align and encoder.scaleWindows must be false with the cv-residual target',
    ],
    [
      'a direct head without its steps',
      (o) => (o.architecture.head = 'direct'),
      'architecture.outputSteps must be a positive whole number, got undefined',
    ],
    [
      'outputSteps on a mean head',
      (o) => (o.architecture.outputSteps = 5),
      'architecture.outputSteps is for the direct head only',
    ],
    [
      'a shrinkage α above 1',
      (o) => (o.shrinkage = { ...shrinkage(), alpha: [0.5, 1.2] }),
      'shrinkage.alpha[1] must be between 0 and 1, got 1.2',
    ],
    [
      'a shrinkage with too few errors',
      (o) => (o.shrinkage = { ...shrinkage(), cvErrorM: [1] }),
      'shrinkage.cvErrorM must be an array of 2 numbers',
    ],
    [
      'a shrinkage not fitted on validation',
      (o) => (o.shrinkage = { ...shrinkage(), fittedOn: 'train' }),
      'shrinkage.fittedOn must be "validation", got "train"',
    ],
    [
      'a parent without a fingerprint',
      (o) => (o.training.parent = { date: 'x' }),
      'training.parent must be an object with the parent model\'s "fingerprint" and "date" strings',
    ],
    ['no architecture', (o) => delete o.architecture, 'missing the "architecture" section'],
    [
      'an unknown cell',
      (o) => (o.architecture.cell = 'tcn'),
      'architecture.cell must be one of lstm, gru, rnn',
    ],
    [
      'a bad hidden size',
      (o) => (o.architecture.hiddenSize = 0),
      'architecture.hiddenSize must be a positive whole number',
    ],
    [
      'a bad step',
      (o) => (o.encoder.stepSeconds = -1),
      'encoder.stepSeconds must be a positive number of seconds',
    ],
    [
      'features ≠ inputSize',
      (o) => o.encoder.features.push('speed'),
      'encoder.features has 3 names but architecture.inputSize is 2',
    ],
    [
      'a zero std',
      (o) => (o.encoder.inputStd[1] = 0),
      'encoder.inputStd[1] must be a finite positive number',
    ],
    ['a short mean', (o) => o.encoder.inputMean.pop(), 'encoder.inputMean must be an array of 2 numbers'],
    [
      'no targetStd',
      (o) => delete o.encoder.targetStd,
      'encoder.targetStd must be a positive number of metres',
    ],
    ['no align', (o) => delete o.encoder.align, 'encoder.align must be true or false'],
    [
      'the wrong weight count',
      (o) => (o.architecture.hiddenSize = 4),
      'weights.count is 92 but a 1-layer LSTM (input 2, hidden 4, mean head) has 138 parameters',
    ],
    [
      'truncated weights',
      (o) => (o.weights.data = o.weights.data.slice(0, 40)),
      'weights.data holds 30 bytes, expected 368',
    ],
    ['non-base64 weights', (o) => (o.weights.data = 'not base64!'), 'weights.data must be a base64 string'],
    [
      'a NaN weight',
      (o) => (o.weights = encodeWeights(new Array(92).fill(NaN))),
      'weights hold a non-finite value at index 0',
    ],
    ['no training record', (o) => delete o.training, 'missing the "training" section'],
  ];
  it.each(broken)('rejects %s and says what is wrong', (_label, mutate, message) => {
    const doc = JSON.parse(serializeModelFile(sampleModelFile()));
    mutate(doc);
    expect(() => parseModelFile(JSON.stringify(doc), 'm.json')).toThrow(`m.json: ${message}`);
  });

  it('rejects text that is not JSON, naming the file', () => {
    expect(() => parseModelFile('{"format":', 'bad.json')).toThrow(/^bad\.json: not JSON/);
  });
});
