// Properties of the model as a whole: the stepper equals the batched forward, identical batch rows
// give identical outputs, Float32 stays within 1e-4 of Float64, initialization is seeded and shaped
// as documented, and gradient norms through time are recorded for every step.
import { describe, expect, it } from 'vitest';
import type { Architecture, CellKind } from '../../src/model/architecture.ts';
import { createModel } from '../../src/model/model.ts';
import { createStepper } from '../../src/model/stepper.ts';
import { expectClose, randn } from '../helpers.ts';

const cells: CellKind[] = ['lstm', 'gru', 'rnn'];
const archOf = (cell: CellKind, head: 'mean' | 'gaussian' = 'mean'): Architecture => ({
  cell,
  inputSize: 3,
  hiddenSize: 6,
  numLayers: 2,
  head,
});

describe('Model', () => {
  for (const cell of cells) {
    it(`${cell}: stepping one input at a time equals the batched forward, every step`, () => {
      const m = createModel(archOf(cell, 'gaussian'), { seed: 3, dtype: 'float64' });
      const T = 7;
      const x = randn(T * 3, 1);
      const batched = m.forward(x, 1, T);
      const s = createStepper(m);
      for (let t = 0; t < T; t++)
        expectClose(
          s.step(x.subarray(t * 3, t * 3 + 3)),
          batched.subarray(t * 5, t * 5 + 5),
          1e-6,
          `step ${t}`,
        );
      s.reset();
      expectClose(s.step(x.subarray(0, 3)), batched.subarray(0, 5), 1e-6, 'after reset');
    });

    it(`${cell}: a zero state given as h0, c0 or left out, with or without input gradients, gives the same gradients`, () => {
      // Left out, the engine skips the products of h0 = 0 (step 0's recurrent product, its rows of
      // ∂L/∂W_hh) and, without input gradients, the product that would only give ∂L/∂h0.
      for (const dtype of ['float64', 'float32'] as const) {
        const m = createModel(archOf(cell), { seed: 6, dtype });
        const [B, T] = [3, 5];
        const x = randn(B * T * 3, 8);
        const y = randn(B * T * 2, 9);
        const zeros = new Float64Array(2 * B * 6);
        const run = (opts: object): Float64Array => {
          m.lossAndGrad(x, y, B, T, 'mse_all', { tbpttK: 2, ...opts });
          return Float64Array.from(m.grads);
        };
        const skipped = run({});
        const tol = dtype === 'float64' ? 1e-12 : 1e-6;
        expectClose(skipped, run({ h0: zeros, c0: zeros }), tol, `${dtype} zero h0 given`);
        expectClose(skipped, run({ inputGrads: true }), tol, `${dtype} with input gradients`);
      }
    });

    it(`${cell}: identical batch rows give identical outputs, and a row does not depend on its neighbours`, () => {
      const m = createModel(archOf(cell), { seed: 4 });
      const T = 5;
      const row = randn(T * 3, 2);
      const other = randn(T * 3, 3);
      const x = new Float32Array(4 * T * 3);
      x.set(row, 0);
      x.set(other, T * 3);
      x.set(row, 2 * T * 3);
      x.set(row, 3 * T * 3);
      const y = m.forward(x, 4, T);
      const n = T * 2;
      expect(Array.from(y.subarray(2 * n, 3 * n))).toEqual(Array.from(y.subarray(0, n)));
      expect(Array.from(y.subarray(3 * n, 4 * n))).toEqual(Array.from(y.subarray(0, n)));
      expectClose(m.forward(row, 1, T), y.subarray(0, n), 1e-6, 'alone vs in a batch');
    });

    it(`${cell}: Float32 stays within 1e-4 of Float64 (outputs, loss, gradients)`, () => {
      const m32 = createModel(archOf(cell, 'gaussian'), { seed: 5, dtype: 'float32' });
      const m64 = createModel(archOf(cell, 'gaussian'), { seed: 5, dtype: 'float64' });
      m64.params.set(m32.params);
      const B = 3;
      const T = 8;
      const x = Float32Array.from(randn(B * T * 3, 6));
      const y = Float32Array.from(randn(B * T * 2, 7));
      expectClose(m32.forward(x, B, T), m64.forward(x, B, T), 1e-4, 'forward');
      const a = m32.lossAndGrad(x, y, B, T, 'bivariate_nll_all');
      const b = m64.lossAndGrad(x, y, B, T, 'bivariate_nll_all');
      expectClose(a.loss, b.loss, 1e-4, 'loss');
      expectClose(m32.grads, m64.grads, 1e-4, 'grads');
      expectClose(a.gradNormsThroughTime, b.gradNormsThroughTime, 1e-4, 'gradient norms through time');
    });
  }

  it('initialization is reproducible from the seed, uniform within ±1/√H, LSTM forget bias 1', () => {
    const a = createModel(
      { cell: 'lstm', inputSize: 4, hiddenSize: 16, numLayers: 2, head: 'mean' },
      { seed: 11 },
    );
    const b = createModel(
      { cell: 'lstm', inputSize: 4, hiddenSize: 16, numLayers: 2, head: 'mean' },
      { seed: 11 },
    );
    const c = createModel(
      { cell: 'lstm', inputSize: 4, hiddenSize: 16, numLayers: 2, head: 'mean' },
      { seed: 12 },
    );
    expect(Array.from(a.params)).toEqual(Array.from(b.params));
    expect(Array.from(a.params)).not.toEqual(Array.from(c.params));
    for (const l of [0, 1]) {
      const bih = a.view(`rnn.bias_ih_l${l}`);
      const bhh = a.view(`rnn.bias_hh_l${l}`);
      for (let j = 0; j < 16; j++) expect(bih[16 + j] + bhh[16 + j]).toBe(1);
    }
    const w = a.view('rnn.weight_hh_l1');
    expect(Math.max(...Array.from(w, Math.abs))).toBeLessThanOrEqual(0.25);
    expect(Math.max(...Array.from(w, Math.abs))).toBeGreaterThan(0.2);
  });

  it('views are carved from the one flat parameter and gradient arrays', () => {
    const m = createModel(archOf('gru'));
    m.view('head.bias')[1] = 42;
    expect(m.params[m.entry('head.bias').offset + 1]).toBe(42);
    expect(m.gradView('head.bias').buffer).toBe(m.grads.buffer);
    expect(m.layout.total).toBe(m.params.length);
  });

  it('records ‖∂L/∂h_t‖ for every step; with a last-step loss it shrinks going back in time for a small RNN', () => {
    const m = createModel(
      { cell: 'rnn', inputSize: 3, hiddenSize: 6, numLayers: 1, head: 'mean' },
      { seed: 1, dtype: 'float64' },
    );
    const T = 12;
    const r = m.lossAndGrad(randn(2 * T * 3, 8), randn(4, 9), 2, T, 'mse_last');
    expect(r.gradNormsThroughTime.length).toBe(T);
    for (const g of r.gradNormsThroughTime) expect(g).toBeGreaterThan(0);
    expect(r.gradNormsThroughTime[0]).toBeLessThan(r.gradNormsThroughTime[T - 1] / 10);
  });

  it('records the gradient norms of every layer of a stack; the top one is gradNormsThroughTime', () => {
    const m = createModel(archOf('lstm'), { seed: 1, dtype: 'float64' });
    const r = m.lossAndGrad(randn(2 * 5 * 3, 8), randn(2 * 5 * 2, 9), 2, 5, 'mse_all');
    expect(r.gradNormsByLayer.length).toBe(2);
    expect(r.gradNormsByLayer[1]).toBe(r.gradNormsThroughTime);
    expect(Array.from(r.gradNormsByLayer[0]).every((g) => g > 0)).toBe(true);
    expect(Array.from(r.gradNormsByLayer[0])).not.toEqual(Array.from(r.gradNormsByLayer[1]));
  });

  it('accumulate adds into the gradients; truncated BPTT with k ≥ T is full BPTT, with k = 1 it is not', () => {
    const m = createModel(archOf('lstm'), { seed: 6, dtype: 'float64' });
    const x = randn(2 * 6 * 3, 10);
    const y = randn(2 * 6 * 2, 11);
    m.lossAndGrad(x, y, 2, 6, 'mse_all');
    const once = Float64Array.from(m.grads);
    m.lossAndGrad(x, y, 2, 6, 'mse_all', { accumulate: true });
    expectClose(
      m.grads,
      once.map((g) => 2 * g),
      1e-12,
      'accumulated',
    );
    m.lossAndGrad(x, y, 2, 6, 'mse_all', { tbpttK: 6 });
    expectClose(m.grads, once, 0, 'k = T');
    m.lossAndGrad(x, y, 2, 6, 'mse_all', { tbpttK: 1 });
    expect(
      Math.abs(m.grads[m.entry('rnn.weight_hh_l0').offset] - once[m.entry('rnn.weight_hh_l0').offset]),
    ).toBeGreaterThan(1e-6);
  });

  it('refuses a loss that does not fit the head, and too short an input', () => {
    const m = createModel(archOf('lstm'));
    expect(() =>
      m.lossAndGrad(new Float32Array(18), new Float32Array(2), 1, 3, 'bivariate_nll_last'),
    ).toThrow(/bivariate_nll_last cannot train the mean head/);
    expect(() => m.forward(new Float32Array(5), 1, 3)).toThrow(/input holds 5 numbers/);
    expect(() => m.lossAndGrad(new Float32Array(18), new Float32Array(2), 1, 3, 'mse_all')).toThrow(
      /target holds 2 numbers, mse_all needs 6/,
    );
  });
});
