// fit(): learns, is reproducible from its seed, counts clipping, keeps the best weights under early
// stopping, stops on abort keeping the best so far, and stops with a clear error on non-finite input
// or loss with the last good weights restored. Also clipGradNorm and lrAt.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/model/model.ts';
import { seededNormal } from '../../src/model/random.ts';
import { clipGradNorm } from '../../src/train/clipGradNorm.ts';
import { fit, TrainingError, type FitData } from '../../src/train/fit.ts';
import { lrAt } from '../../src/train/lrSchedule.ts';
import { expectClose } from '../helpers.ts';

const T = 6;
const X = 2;

/** Target = (sum of channel 0, mean of channel 1) over the window: learnable by any cell. */
function sumTask(n: number, seed: number): FitData {
  const r = seededNormal(seed);
  const x = Float32Array.from({ length: n * T * X }, () => r() * 0.5);
  const y = new Float32Array(n * 2);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < T; t++) {
      y[i * 2] += x[(i * T + t) * X];
      y[i * 2 + 1] += x[(i * T + t) * X + 1] / T;
    }
  return { x, y, n, T, X };
}

const newModel = () =>
  createModel({ cell: 'gru', inputSize: X, hiddenSize: 12, numLayers: 1, head: 'mean' }, { seed: 4 });
const options = { epochs: 8, batchSize: 16, loss: 'mse_last' as const, lr: 0.01, clipNorm: 5, seed: 3 };

describe('fit', () => {
  it('lowers the loss, and the same seeds give the same history and weights', async () => {
    const data = sumTask(128, 1);
    const a = newModel();
    const b = newModel();
    const ha = await fit(a, data, options);
    const hb = await fit(b, data, options);
    expect(ha.epochs[7].loss).toBeLessThan(ha.epochs[0].loss / 3);
    expect(ha.epochs.map((e) => e.loss)).toEqual(hb.epochs.map((e) => e.loss));
    expect(Array.from(a.params)).toEqual(Array.from(b.params));
    expect(ha.steps).toBe(8 * 8);
    expect(ha.epochs[0].gradNormsThroughTime.length).toBe(T);
    expect(ha.epochs[0].gradNormsByLayer[0]).toBe(ha.epochs[0].gradNormsThroughTime);
  });

  it('reports every batch and epoch, and counts clipping events', async () => {
    const batches: number[] = [];
    let epochs = 0;
    const h = await fit(
      newModel(),
      sumTask(40, 2),
      { ...options, epochs: 2, clipNorm: 1e-3 },
      {
        onBatch: (b) => batches.push(b.gradNorm),
        onEpoch: () => epochs++,
      },
    );
    expect(batches.length).toBe(2 * 3);
    expect(epochs).toBe(2);
    expect(h.clipEvents).toBe(6);
    const h2 = await fit(newModel(), sumTask(40, 2), { ...options, epochs: 2, clipNorm: 1e6 });
    expect(h2.clipEvents).toBe(0);
  });

  it('early stopping: stops after `patience` epochs without improvement and restores the best epoch', async () => {
    const m = newModel();
    const scores = [5, 3, 4, 4.5, 6, 1];
    const snapshots: Float32Array[] = [];
    let call = 0;
    const h = await fit(
      m,
      sumTask(64, 3),
      { ...options, epochs: 6, patience: 2 },
      {
        validate: () => {
          snapshots.push(Float32Array.from(m.params));
          return scores[call++];
        },
      },
    );
    expect(h.stopped).toBe('early-stopping');
    expect(h.epochs.length).toBe(4);
    expect(h.bestEpoch).toBe(2);
    expect(h.bestValScore).toBe(3);
    expect(Array.from(m.params)).toEqual(Array.from(snapshots[1]));
  });

  it('an AbortSignal stops training and keeps the best weights so far', async () => {
    const m = newModel();
    const ctrl = new AbortController();
    let best: Float32Array | null = null;
    const h = await fit(
      m,
      sumTask(64, 4),
      { ...options, epochs: 50, signal: ctrl.signal },
      {
        validate: () => {
          best ??= Float32Array.from(m.params);
          return 1; // never improves after epoch 1
        },
        onBatch: (b) => {
          if (b.epoch === 3 && b.batch === 2) ctrl.abort();
        },
      },
    );
    expect(h.stopped).toBe('aborted');
    expect(h.epochs.length).toBe(2);
    expect(Array.from(m.params)).toEqual(Array.from(best!));
  });

  it('a non-finite input stops before training, naming window, step and feature', async () => {
    const data = sumTask(10, 5);
    (data.x as Float32Array)[3 * T * X + 4 * X + 1] = NaN;
    const m = newModel();
    const before = Float32Array.from(m.params);
    await expect(fit(m, data, options)).rejects.toThrow(/input window 3, step 4, feature 1 is NaN/);
    expect(Array.from(m.params)).toEqual(Array.from(before));
  });

  it('a non-finite loss stops with a TrainingError and the last good weights restored', async () => {
    const m = newModel();
    let good: Float32Array | null = null;
    const run = fit(m, sumTask(64, 6), options, {
      onBatch: (b) => {
        if (b.step === 5) {
          good = Float32Array.from(m.params);
          m.params[0] = NaN; // a corrupted weight: the next loss is not finite
        }
      },
    });
    await expect(run).rejects.toThrow(TrainingError);
    await expect(run).rejects.toThrow(
      /epoch 2, batch 2: the loss is NaN; the weights before this batch are kept/,
    );
    expect(Array.from(m.params)).toEqual(Array.from(good!));
  });
});

describe('fit: weights that an update makes non-finite', () => {
  it('stops with a TrainingError naming the weight, and keeps the weights before that update', async () => {
    const m = newModel();
    const run = fit(m, sumTask(32, 7), { ...options, lr: 1e39, epochs: 1 }, {});
    await expect(run).rejects.toThrow(
      /epoch 1, batch 1: the update made rnn\.weight_ih_l0\[\d+\] -?Infinity/,
    );
    expect(Array.from(m.params)).toEqual(Array.from(newModel().params));
  });
});

describe('clipGradNorm', () => {
  it('returns the norm before clipping and scales to maxNorm (PyTorch: × max/(norm + 1e-6))', () => {
    const g = Float64Array.from([3, 4]);
    expect(clipGradNorm(g, 1)).toBe(5);
    expectClose(g, [3 / (5 + 1e-6), 4 / (5 + 1e-6)], 1e-15, 'clipped');
    const h = Float64Array.from([0.3, 0.4]);
    expect(clipGradNorm(h, 1)).toBeCloseTo(0.5, 15);
    expect(Array.from(h)).toEqual([0.3, 0.4]);
  });
});

describe('lrAt', () => {
  it('constant, step decay and cosine with warm-up are pure functions of the step', () => {
    expect(lrAt({ kind: 'constant', lr: 0.01 }, 1000)).toBe(0.01);
    expect(lrAt({ kind: 'step', lr: 1, everySteps: 10, gamma: 0.5 }, 9)).toBe(1);
    expect(lrAt({ kind: 'step', lr: 1, everySteps: 10, gamma: 0.5 }, 25)).toBe(0.25);
    const cos = { kind: 'cosine', lr: 1, totalSteps: 110, warmupSteps: 10, minLr: 0 } as const;
    expect(lrAt(cos, 0)).toBeCloseTo(0.1, 12);
    expect(lrAt(cos, 10)).toBe(1);
    expect(lrAt(cos, 60)).toBeCloseTo(0.5, 12);
    expect(lrAt(cos, 110)).toBeCloseTo(0, 12);
    expect(lrAt(cos, 60)).toBe(lrAt(cos, 60));
  });
});
