// Data-parallel training (src/train/threadedGradients.ts with Node's worker threads): the summed
// gradient of N slices is the whole batch's for every loss, with unequal slices; fit() at N threads
// gives one thread's model in float64 up to summation order and the same model on every run at the
// same N in float32; a worker that throws or dies fails the run with its message instead of hanging;
// workers are released however training ends.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { spawnGradientThread, watchThread } from '../../src/cli/threads.ts';
import type { Architecture, LossKind } from '../../src/model/architecture.ts';
import { createModel } from '../../src/model/model.ts';
import { seededNormal } from '../../src/model/random.ts';
import { fit, type FitData } from '../../src/train/fit.ts';
import { threadedGradients, type SpawnGradientWorker } from '../../src/train/threadedGradients.ts';
import { expectClose } from '../helpers.ts';

const T = 5;
const X = 3;
const arch = (head: Architecture['head']): Architecture => ({
  cell: 'lstm',
  inputSize: X,
  hiddenSize: 8,
  numLayers: 2,
  head,
});

function randomData(n: number, Y: number, seed: number): FitData {
  const r = seededNormal(seed);
  return {
    x: Float32Array.from({ length: n * T * X }, () => r()),
    y: Float32Array.from({ length: n * Y }, () => r()),
    n,
    T,
    X,
  };
}

/** Counts terminate() calls of the real thread spawner. */
function countingSpawn(): { spawn: SpawnGradientWorker; terminated: () => number } {
  let count = 0;
  return {
    spawn: (init, onFailure) => {
      const h = spawnGradientThread(init, onFailure);
      return {
        terminate: () => {
          count++;
          h.terminate();
        },
      };
    },
    terminated: () => count,
  };
}

describe('threadedGradients', () => {
  const cases: [LossKind, Architecture['head'], number][] = [
    ['mse_last', 'mean', 2],
    ['mse_all', 'mean', 0],
    ['bivariate_nll_last', 'gaussian', 3],
    ['bivariate_nll_all', 'gaussian', 0],
  ];
  it.each(cases)(
    '%s: 7 rows in slices of 3, 2, 2 sum to the whole batch’s loss, gradient and norms (float64, tol 1e-13)',
    async (loss, head, tbpttK) => {
      const Y = loss.endsWith('_all') ? T * 2 : 2;
      const data = randomData(7, Y, 11);
      const model = createModel(arch(head), { dtype: 'float64', seed: 2 });
      const whole = model.lossAndGrad(data.x, data.y, 7, T, loss, { tbpttK });
      const expected = Float64Array.from(model.grads);
      const g = threadedGradients(
        model,
        { maxRows: 8, T, X, Y, loss, tbpttK },
        { threads: 3, spawn: spawnGradientThread },
      );
      try {
        g.x.set(data.x as Float32Array);
        g.y.set(data.y as Float32Array);
        model.grads.fill(0);
        const parts = await g.compute(7);
        expectClose(parts.loss, whole.loss, 1e-13, 'loss');
        expectClose(model.grads, expected, 1e-13, 'gradient');
        for (let l = 0; l < 2; l++)
          expectClose(parts.gradNormsByLayer[l], whole.gradNormsByLayer[l], 1e-13, `norms of layer ${l}`);
        // Fewer rows than threads: the empty slices add nothing.
        const two = model.lossAndGrad(data.x, data.y, 2, T, loss, { tbpttK });
        const expectedTwo = Float64Array.from(model.grads);
        const partsTwo = await g.compute(2);
        expectClose(partsTwo.loss, two.loss, 1e-13, 'loss of 2 rows');
        expectClose(model.grads, expectedTwo, 1e-13, 'gradient of 2 rows');
      } finally {
        g.close();
      }
    },
  );
});

describe('threadedGradients.forwardLast', () => {
  it('batch inference across 3 threads gives model.forwardLast’s outputs (float64, tol 1e-13)', async () => {
    const data = randomData(10, 2, 12);
    const model = createModel(arch('gaussian'), { dtype: 'float64', seed: 5 });
    const expected = Float64Array.from(model.forwardLast(data.x, 10, T));
    const g = threadedGradients(
      model,
      { maxRows: 10, T, X, Y: 2, loss: 'bivariate_nll_last', tbpttK: 0 },
      { threads: 3, spawn: spawnGradientThread },
    );
    try {
      g.x.set(data.x as Float32Array);
      const out = await g.forwardLast(10);
      expect(out.length).toBe(10 * 5);
      expectClose(out, expected, 1e-13, 'head outputs');
    } finally {
      g.close();
    }
  });
});

describe('fit with threads', () => {
  const options = { epochs: 3, batchSize: 16, loss: 'mse_last' as const, lr: 0.01, clipNorm: 1, seed: 3 };
  // 50 windows: batches of 16, 16, 16, 2, split into unequal slices at 3 threads.
  const data = randomData(50, 2, 1);

  it('float64: 2 and 3 threads train the model one thread trains, up to summation order (tol 1e-12)', async () => {
    const train = async (threads: number) => {
      const m = createModel(arch('mean'), { dtype: 'float64', seed: 4 });
      const h = await fit(m, data, { ...options, parallel: { threads, spawn: spawnGradientThread } });
      return { params: Float64Array.from(m.params), losses: h.epochs.map((e) => e.loss) };
    };
    const one = await train(1);
    for (const threads of [2, 3]) {
      const many = await train(threads);
      expectClose(many.params, one.params, 1e-12, `weights at ${threads} threads`);
      expectClose(many.losses, one.losses, 1e-12, `epoch losses at ${threads} threads`);
    }
  });

  it('float32: the same seed and thread count give the same model, and the threads are released', async () => {
    const { spawn, terminated } = countingSpawn();
    const train = async () => {
      const m = createModel(arch('mean'), { seed: 4 });
      await fit(m, data, { ...options, parallel: { threads: 2, spawn } });
      return Array.from(m.params);
    };
    expect(await train()).toEqual(await train());
    expect(terminated()).toBe(2);
  });

  it('validate gets a forward on the same threads: model.forwardLast of any number of windows (float64, tol 1e-12)', async () => {
    const m = createModel(arch('mean'), { dtype: 'float64', seed: 4 });
    const checked: number[] = [];
    await fit(
      m,
      data,
      { ...options, epochs: 2, parallel: { threads: 3, spawn: spawnGradientThread } },
      {
        validate: async (forward) => {
          // 50 windows: more than a batch (16), so the threads see several chunks
          const out = await forward(data.x as Float32Array, 50);
          expectClose(out, m.forwardLast(data.x, 50, T), 1e-12, 'validation outputs');
          checked.push(out.length);
          return 1;
        },
      },
    );
    expect(checked).toEqual([100, 100]);
  });

  it('an AbortSignal stops after the current batch, keeps the best weights and releases the threads', async () => {
    const { spawn, terminated } = countingSpawn();
    const m = createModel(arch('mean'), { seed: 4 });
    const ctrl = new AbortController();
    let best: Float32Array | null = null;
    let batches = 0;
    const h = await fit(
      m,
      data,
      { ...options, epochs: 50, signal: ctrl.signal, parallel: { threads: 2, spawn } },
      {
        validate: () => {
          best ??= Float32Array.from(m.params);
          return 1;
        },
        onBatch: (b) => {
          batches++;
          if (b.epoch === 2 && b.batch === 2) ctrl.abort();
        },
      },
    );
    expect(h.stopped).toBe('aborted');
    expect(batches).toBe(4 + 2);
    expect(Array.from(m.params)).toEqual(Array.from(best!));
    expect(terminated()).toBe(1);
  });

  it('a worker that throws fails the run with its message; the threads are released', async () => {
    let terminated = 0;
    const spawn: SpawnGradientWorker = (init, onFailure) => {
      const h = spawnGradientThread(
        { ...init, architecture: { ...init.architecture, hiddenSize: 0 } },
        onFailure,
      );
      return { terminate: () => (terminated++, h.terminate()) };
    };
    const m = createModel(arch('mean'), { seed: 4 });
    await expect(fit(m, data, { ...options, parallel: { threads: 2, spawn } })).rejects.toThrow(
      /gradient worker 1 of 1 failed: .*invalid architecture: .*hidden/,
    );
    expect(terminated).toBe(1);
  });

  it('a worker thread that dies fails the run naming how it ended, never hangs', async () => {
    const spawn: SpawnGradientWorker = (_init, onFailure) =>
      watchThread(new Worker('setTimeout(() => process.exit(7), 50)', { eval: true }), onFailure);
    const m = createModel(arch('mean'), { seed: 4 });
    await expect(fit(m, data, { ...options, parallel: { threads: 2, spawn } })).rejects.toThrow(
      /gradient worker 1 of 1 failed: the thread exited \(code 7\)/,
    );
  });

  it('without Atomics.waitAsync (older Firefox) training still works and a dead worker still fails the run', async () => {
    const waitAsync = Atomics.waitAsync;
    Reflect.set(Atomics, 'waitAsync', undefined);
    try {
      const m = createModel(arch('mean'), { seed: 4 });
      const h = await fit(m, data, {
        ...options,
        epochs: 1,
        parallel: { threads: 2, spawn: spawnGradientThread },
      });
      expect(h.steps).toBe(4);
      const dead: SpawnGradientWorker = (_init, onFailure) =>
        watchThread(new Worker('setTimeout(() => process.exit(7), 50)', { eval: true }), onFailure);
      await expect(
        fit(createModel(arch('mean'), { seed: 4 }), data, {
          ...options,
          parallel: { threads: 2, spawn: dead },
        }),
      ).rejects.toThrow(/the thread exited \(code 7\)/);
    } finally {
      Reflect.set(Atomics, 'waitAsync', waitAsync);
    }
  });
});
