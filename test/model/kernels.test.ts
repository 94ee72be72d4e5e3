// The tiled TypeScript kernels compute what the naive reference kernels compute, for every product
// form and for sizes that are and are not multiples of the 3×4 tile (rows by 3, columns by 4), at
// offsets inside larger buffers; and a whole model run on either gives the same outputs and gradients.
import { describe, expect, it } from 'vitest';
import type { FloatArray, Kernels } from '../../src/model/kernels.ts';
import { createModel } from '../../src/model/model.ts';
import { createNaiveKernels } from '../../src/model/naiveKernels.ts';
import { createTsKernels } from '../../src/model/tsKernels.ts';
import { fastExp } from '../../src/model/fastExp.ts';
import { expectClose, randn } from '../helpers.ts';

const naive = createNaiveKernels('float64');
const tiled = createTsKernels('float64');
const forms = ['matmulNT', 'matmulNN', 'matmulTN'] as const;
const sizes = [
  [1, 1, 1],
  [1, 64, 256],
  [3, 5, 7],
  [4, 4, 4],
  [8, 9, 13],
  [17, 6, 5],
  [6, 7, 8],
  [7, 3, 4],
  [10, 11, 12],
  [64, 64, 256],
];

describe('tiled kernels agree with the naive reference', () => {
  for (const form of forms)
    for (const [M, K, N] of sizes)
      it(`${form} M=${M} K=${K} N=${N}, accumulating at offsets`, () => {
        const a = randn(M * K + 3, M + K);
        const b = randn(K * N + 5, N + 1);
        const start = randn(M * N + 2, 7);
        const o1 = Float64Array.from(start);
        const o2 = Float64Array.from(start);
        naive[form](o1, 2, a, 3, b, 5, M, K, N);
        tiled[form](o2, 2, a, 3, b, 5, M, K, N);
        expectClose(o2, o1, 1e-12, form);
        expect(o2[0]).toBe(start[0]);
      });

  it('a 2-layer LSTM trained on naive and on tiled kernels gives the same loss and gradients', () => {
    const run = (k: Kernels): { loss: number; grads: FloatArray } => {
      const m = createModel(
        { cell: 'lstm', inputSize: 3, hiddenSize: 9, numLayers: 2, head: 'gaussian' },
        { seed: 2, kernels: k },
      );
      const loss = m.lossAndGrad(randn(5 * 6 * 3, 1), randn(5 * 6 * 2, 2), 5, 6, 'bivariate_nll_all', {
        tbpttK: 4,
      }).loss;
      return { loss, grads: m.grads };
    };
    const a = run(naive);
    const b = run(tiled);
    expectClose(b.loss, a.loss, 1e-12, 'loss');
    expectClose(b.grads, a.grads, 1e-12, 'grads');
  });

  it('float32 TypeScript kernels stay within 1e-4 of float64 on a GRU', () => {
    const x = randn(4 * 10 * 3, 3);
    const m32 = createModel(
      { cell: 'gru', inputSize: 3, hiddenSize: 16, numLayers: 1, head: 'mean' },
      { seed: 2, kernels: createTsKernels('float32') },
    );
    const m64 = createModel(
      { cell: 'gru', inputSize: 3, hiddenSize: 16, numLayers: 1, head: 'mean' },
      { seed: 2, kernels: tiled },
    );
    m64.params.set(m32.params);
    expectClose(m32.forward(x, 4, 10), m64.forward(x, 4, 10), 1e-4, 'forward');
  });
});

describe('fastExp (the float32 kernels’ exp)', () => {
  it('is within 1e-8 relative of Math.exp on [−88, 88] and saturates beyond', () => {
    let worst = 0;
    for (let x = -88; x <= 88; x += 0.0137) worst = Math.max(worst, Math.abs(fastExp(x) / Math.exp(x) - 1));
    expect(worst).toBeLessThan(1e-8);
    expect(fastExp(1000)).toBe(fastExp(88));
    expect(fastExp(-1000)).toBe(fastExp(-88));
    expect(fastExp(0)).toBe(1);
  });
});
