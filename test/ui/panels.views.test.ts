// Specs for what the panels display: the active model's card and the evaluation tables.
import { describe, expect, it } from 'vitest';
import type { EvalResult } from '../../src/eval/evalResult.ts';
import {
  encodeWeights,
  parseModelFile,
  serializeModelFile,
  type ModelFile,
} from '../../src/model/modelFile.ts';
import { parameterLayout } from '../../src/model/parameterLayout.ts';
import {
  cellMetres,
  horizonRows,
  indexOfMin,
  modelKeys,
  summaryRows,
  uncertaintyRows,
} from '../../src/ui/panels/evalView.ts';
import { modelCardRows, modelDownloadName, shortFingerprint } from '../../src/ui/panels/modelCard.ts';
import { shrinkageOf } from '../helpers.ts';
import { historyFromModelFile, historyLabel } from '../../src/ui/panels/trainHistory.ts';

function modelFile(): ModelFile {
  const architecture = { cell: 'gru', inputSize: 2, hiddenSize: 4, numLayers: 1, head: 'mean' } as const;
  return {
    format: 'whereto-model',
    version: 1,
    architecture: { ...architecture },
    weights: encodeWeights(new Float32Array(parameterLayout(architecture).total).fill(0.1)),
    encoder: {
      stepSeconds: 15,
      window: 10,
      features: ['dx', 'dy'],
      inputMean: [0, 0],
      inputStd: [1, 1],
      targetStd: 80,
      align: true,
    },
    training: {
      fingerprint: 'sha256:0123456789abcdef0123',
      seed: 42,
      options: {},
      data: {},
      epochs: [
        { epoch: 1, loss: 0.9, valErrorM: 95.25 },
        { epoch: 2, loss: 0.7, valErrorM: 81.5 },
      ],
      bestEpoch: 2,
      stopped: 'interrupted',
      gradNormsThroughTime: [[0.1, 0.2]],
      finalMetrics: { valErrorM: 81.5, adeM: 230.4, cvOneStepMeanErrorM: 84.46, clipEvents: 3 },
      date: '2026-11-25T18:03:09.123Z',
    },
  };
}

describe('modelCardRows()', () => {
  it('describes architecture, encoder, data fingerprint, seed, epochs, metrics and date', () => {
    const rows = Object.fromEntries(modelCardRows(modelFile()).map((r) => [r.label, r.value]));
    expect(rows['Architecture']).toBe(
      `1 × GRU(4) → mean head, ${parameterLayout(modelFile().architecture).total} parameters`,
    );
    expect(rows['Encoder']).toBe('window 10 × 15 s steps; features dx, dy; heading-aligned');
    expect(rows['Training data']).toBe('sha256:0123456789ab…');
    expect(rows['Seed']).toBe('42');
    expect(rows['Epochs']).toBe('2 run, best 2 (interrupted)');
    expect(rows['Validation error']).toBe('82 m (1-step mean, best epoch)');
    expect(rows['Metrics']).toBe('ADE 230 m, CV one step mean error 84 m, clip events 3');
    expect(rows['Trained']).toBe('2026-11-25 18:03 UTC');
  });
  it('survives a model file that went through serialize → parse (what upload and training produce)', () => {
    const mf = parseModelFile(serializeModelFile(modelFile()), 'x.json');
    expect(modelCardRows(mf).length).toBe(8);
  });
  it('names the parent of a fine-tuned model (its training data and date), after the file went through parse', () => {
    const child = modelFile();
    child.training.parent = { fingerprint: 'sha256:fedcba9876543210fedc', date: '2026-11-20T08:00:00.000Z' };
    const rows = modelCardRows(parseModelFile(serializeModelFile(child), 'child.json'));
    expect(rows.find((r) => r.label === 'Fine-tuned from')?.value).toBe(
      'the model trained on sha256:fedcba987654… (2026-11-20 08:00 UTC)',
    );
    expect(modelCardRows(modelFile()).some((r) => r.label === 'Fine-tuned from')).toBe(false);
  });
  it('says an ensemble is one, with every network’s parameters counted', () => {
    const mf = modelFile();
    mf.version = 3;
    mf.members = [mf.weights, mf.weights];
    mf.training.ensemble = [2, 1, 2].map((bestEpoch, m) => ({
      seed: 42 + 1000 * m,
      bestEpoch,
      stopped: 'completed' as const,
      valErrorM: 90,
    }));
    mf.training.finalMetrics = { valOneStepMeanErrorM: 77 };
    const rows = modelCardRows(parseModelFile(serializeModelFile(mf), 'e.json'));
    const n = parameterLayout(mf.architecture).total;
    const row = (label: string) => rows.find((r) => r.label === label)?.value;
    expect(row('Architecture')).toBe(
      `ensemble of 3 networks, each 1 × GRU(4) → mean head; ${3 * n} parameters`,
    );
    expect(row('Validation error')).toBe('77 m (1-step mean, 3 networks averaged)');
    expect(row('Epochs')).toBe('2 run per network, best 2, 1, 2 (interrupted)');
    expect(row('Metrics')).toBeUndefined();
  });
  it('sums up the shrinkage toward constant velocity, its bands by recent step included', () => {
    const mf = modelFile();
    expect(modelCardRows(mf).some((r) => r.label === 'Shrinkage toward CV')).toBe(false);
    mf.version = 3;
    mf.shrinkage = {
      ...shrinkageOf([0.9, 0.95], {
        edges: [2.83, 16],
        alpha: [
          [0.1, 0.2],
          [0.5, 0.6],
          [0.98, 1],
        ],
      }),
      windows: 4506,
    };
    const rows = modelCardRows(parseModelFile(serializeModelFile(mf), 'm.json'));
    expect(rows.find((r) => r.label === 'Shrinkage toward CV')?.value).toBe(
      'α 0.90, 0.95 (4,506 validation windows); by recent step: 3 bands, step-1 α 0.10 below 2.83 m … 0.98 from 16 m',
    );
  });
});

describe('historyFromModelFile()', () => {
  it('turns the training record into curves, labelled with where it came from', () => {
    const h = historyFromModelFile(modelFile(), 'default.json');
    expect(h.epochs).toEqual([1, 2]);
    expect(h.trainLoss).toEqual([0.9, 0.7]);
    expect(h.valErrorM).toEqual([95.25, 81.5]);
    expect(Array.from(h.gradNorms ?? [])).toEqual([0.1, 0.2]);
    expect(historyLabel(h, true)).toBe('default.json: GRU h4');
    expect(historyLabel({ ...h, source: '' }, true)).toBe('previous run: GRU h4');
    expect(historyLabel(h)).toBe('GRU h4');
  });
});

describe('shortFingerprint() and modelDownloadName()', () => {
  it('keeps the algorithm and 12 hex digits, and leaves other strings alone', () => {
    expect(shortFingerprint('sha256:abcdef')).toBe('sha256:abcdef');
    expect(shortFingerprint('custom fingerprint')).toBe('custom fingerprint');
  });
  it('names the download after cell, hidden size and training day', () => {
    expect(modelDownloadName(modelFile())).toBe('whereto-gru-h4-2026-11-25.json');
  });
});

const stats = (base: number, H: number) => ({
  perHorizon: Array.from({ length: H }, (_, h) => ({
    step: h + 1,
    meanM: base * (h + 1),
    medianM: base * (h + 1) * 0.8,
    p90M: base * (h + 1) * 2,
  })),
  adeM: base * 2,
  fdeM: base * H,
});

const result: EvalResult = {
  windows: 120,
  horizon: 3,
  stepSeconds: 15,
  models: {
    last: stats(150, 3),
    kalman: stats(90, 3),
    cv: stats(80, 3),
    model: stats(70, 3),
    extra: stats(200, 3),
  },
};

describe('evaluation tables', () => {
  it('put the model first, then CV, Kalman and last position, then other forecasters', () => {
    expect(modelKeys(result)).toEqual(['model', 'cv', 'kalman', 'last', 'extra']);
  });
  it('give one row per horizon step with its lead time and the best forecaster marked', () => {
    const rows = horizonRows(result, 'p90M');
    expect(rows.map((r) => r.seconds)).toEqual([15, 30, 45]);
    expect(rows[1].valuesM).toEqual([280, 320, 360, 600, 800]);
    expect(rows.every((r) => r.best === 0)).toBe(true);
  });
  it('divide ADE and FDE by constant velocity', () => {
    const model = summaryRows(result)[0];
    expect(model.adeVsCv).toBeCloseTo(140 / 160, 12);
    expect(model.fdeVsCv).toBeCloseTo(210 / 240, 12);
  });
  it('show NaN ratios when there is no constant-velocity row to divide by', () => {
    const noCv: EvalResult = { ...result, models: { model: stats(70, 3) } };
    expect(summaryRows(noCv)[0].adeVsCv).toBeNaN();
  });
  it('list NLL and ellipse coverage only for forecasters that predicted an uncertainty, model first', () => {
    const withSigma: EvalResult = {
      ...result,
      models: {
        ...result.models,
        kalman: {
          ...result.models.kalman,
          nllPerHorizon: [1],
          nll: 11.5,
          inside1Sigma: 0.3,
          inside2Sigma: 0.8,
        },
        model: {
          ...result.models.model,
          nllPerHorizon: [1],
          nll: 10.25,
          inside1Sigma: 0.41,
          inside2Sigma: 0.87,
        },
      },
    };
    expect(uncertaintyRows(withSigma).map((u) => [u.key, u.nll, u.inside1Sigma])).toEqual([
      ['model', 10.25, 0.41],
      ['kalman', 11.5, 0.3],
    ]);
    expect(uncertaintyRows(result)).toEqual([]);
  });
  it('find the smallest finite value and format metres', () => {
    expect(indexOfMin([NaN, 3, 1, 2])).toBe(2);
    expect(indexOfMin([NaN])).toBe(-1);
    expect(cellMetres(56.64)).toBe('56.6');
    expect(cellMetres(393.5)).toBe('394');
    expect(cellMetres(NaN)).toBe('—');
  });
});
