// Finite-difference gradient checks in Float64 at tiny sizes: every cell, every head, every
// loss (the Euclidean one on the mean and the direct head), 1- and 2-layer stacks and truncated BPTT, over every parameter and every input
// (x, h0, c0). Analytic gradients must match central differences to a relative error below 1e-5.
import { describe, expect, it } from 'vitest';
import { headForLoss, lossOnAllSteps, type CellKind, type LossKind } from '../../src/model/architecture.ts';
import { createModel, type Model } from '../../src/model/model.ts';
import { randn } from '../helpers.ts';

const X = 3;
const H = 4;
const B = 2;
const T = 6;
const EPS = 1e-6;

/** |a − n| / max(|a| + |n|, floor): relative, with a floor so gradients that are ~0 compare absolutely. */
function relError(a: number, n: number): number {
  return Math.abs(a - n) / Math.max(Math.abs(a) + Math.abs(n), 1e-3);
}

function slice(
  src: ArrayLike<number>,
  rows: number,
  rowLen: number,
  from: number,
  to: number,
  stride: number,
): Float64Array {
  const out = new Float64Array(rows * (to - from) * rowLen);
  for (let b = 0; b < rows; b++)
    for (let t = from; t < to; t++)
      for (let i = 0; i < rowLen; i++)
        out[(b * (to - from) + t - from) * rowLen + i] = src[(b * stride + t) * rowLen + i];
  return out;
}

/** The state (h, c) the model reaches at each chunk start 0, k, 2k, … (computed once, unperturbed). */
function chunkStarts(
  model: Model,
  x: Float64Array,
  h0: Float64Array,
  c0: Float64Array,
  k: number,
): { h: Float64Array; c: Float64Array }[] {
  const starts = [{ h: h0, c: c0 }];
  for (let t0 = 0; t0 + k < T; t0 += k) {
    const prev = starts[starts.length - 1];
    const d = model.forwardDetailed(slice(x, B, X, t0, t0 + k, T), B, k, { h0: prev.h, c0: prev.c });
    starts.push({ h: d.hN, c: d.cN ?? c0 });
  }
  return starts;
}

/**
 * The loss whose exact gradient truncated BPTT computes: chunks of k steps, each started from the
 * state the UNPERTURBED model reached (so perturbations cannot flow across a chunk boundary), with
 * the first chunk started from the (possibly perturbed) h0, c0.
 */
function surrogateLoss(
  model: Model,
  starts: { h: Float64Array; c: Float64Array }[],
  x: Float64Array,
  y: Float64Array,
  h0: Float64Array,
  c0: Float64Array,
  loss: LossKind,
  k: number,
): number {
  if (k === 0) return model.loss(x, y, B, T, loss, { h0, c0 });
  const all = lossOnAllSteps(loss);
  let total = 0;
  for (let t0 = 0, c = 0; t0 < T; t0 += k, c++) {
    const t1 = Math.min(T, t0 + k);
    const state = c === 0 ? { h0, c0 } : { h0: starts[c].h, c0: starts[c].c };
    const xc = slice(x, B, X, t0, t1, T);
    if (all) total += (model.loss(xc, slice(y, B, 2, t0, t1, T), B, t1 - t0, loss, state) * (t1 - t0)) / T;
    else if (t1 === T) total += model.loss(xc, y, B, t1 - t0, loss, state);
  }
  return total;
}

function check(cell: CellKind, loss: LossKind, numLayers: number, tbpttK: number, direct = false): void {
  const head = direct ? { head: 'direct' as const, outputSteps: 3 } : { head: headForLoss(loss) };
  const arch = { cell, inputSize: X, hiddenSize: H, numLayers, ...head };
  const model = createModel(arch, { seed: 7, dtype: 'float64' });
  // Larger weights than the default init so every gate works away from its linear region.
  const w = randn(model.params.length, 11, 0.6);
  model.params.set(w);
  const x = randn(B * T * X, 12);
  const y = randn(B * T * 2, 13);
  const h0 = randn(numLayers * B * H, 14, 0.5);
  const c0 = randn(numLayers * B * H, 15, 0.5);
  const r = model.lossAndGrad(x, y, B, T, loss, { h0, c0, tbpttK, inputGrads: true });
  const analytic = Float64Array.from(model.grads);
  const starts = tbpttK > 0 ? chunkStarts(model, x, h0, c0, tbpttK) : [];
  const f = (): number => surrogateLoss(model, starts, x, y, h0, c0, loss, tbpttK);
  expect(r.loss).toBeCloseTo(model.loss(x, y, B, T, loss, { h0, c0 }), 12);
  let worst = 0;
  let where = '';
  const probe = (arr: Float64Array, i: number, a: number, label: string): void => {
    const keep = arr[i];
    arr[i] = keep + EPS;
    const up = f();
    arr[i] = keep - EPS;
    const down = f();
    arr[i] = keep;
    const e = relError(a, (up - down) / (2 * EPS));
    if (e > worst) [worst, where] = [e, label];
  };
  const p = model.params as Float64Array;
  for (const e of model.layout.entries)
    for (let i = 0; i < e.size; i++) probe(p, e.offset + i, analytic[e.offset + i], `${e.name}[${i}]`);
  for (let i = 0; i < x.length; i++) probe(x, i, r.dx![i], `x[${i}]`);
  for (let i = 0; i < h0.length; i++) probe(h0, i, r.dh0![i], `h0[${i}]`);
  if (cell === 'lstm') for (let i = 0; i < c0.length; i++) probe(c0, i, r.dc0![i], `c0[${i}]`);
  expect(worst, `worst relative error at ${where}`).toBeLessThan(1e-5);
}

describe('gradients match finite differences (Float64, relative error < 1e-5)', () => {
  const cells: CellKind[] = ['lstm', 'gru', 'rnn'];
  const losses: LossKind[] = ['mse_last', 'mse_all', 'bivariate_nll_last', 'bivariate_nll_all'];
  for (const cell of cells)
    for (const loss of losses) it(`${cell}, 1 layer, ${loss}`, () => check(cell, loss, 1, 0));
  for (const cell of cells) it(`${cell}, 2 layers, mse_all`, () => check(cell, 'mse_all', 2, 0));
  for (const cell of cells)
    it(`${cell}, 2 layers, bivariate_nll_last`, () => check(cell, 'bivariate_nll_last', 2, 0));
  for (const cell of cells) it(`${cell}, truncated BPTT k=2, mse_all`, () => check(cell, 'mse_all', 1, 2));
  it('lstm, 2 layers, truncated BPTT k=4 (uneven chunks), bivariate_nll_all', () =>
    check('lstm', 'bivariate_nll_all', 2, 4));
  for (const cell of cells) it(`${cell}, 1 layer, euclidean_last`, () => check(cell, 'euclidean_last', 1, 0));
  it('lstm, direct head of 3 steps, euclidean_last', () => check('lstm', 'euclidean_last', 1, 0, true));
  it('gru, 2 layers, direct head of 3 steps, mse_last', () => check('gru', 'mse_last', 2, 0, true));
});
