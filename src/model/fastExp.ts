// A faster e^x for the float32 kernels: 2^n · e^r with n = round(x·log2 e), |r| ≤ ln2/2, e^r by a
// degree-7 Taylor polynomial and 2^n from a table. Relative error < 1e-8 on [−88, 88] (below float32's
// 6e-8 rounding), about twice as fast as Math.exp in V8. Not for float64 work: there Math.exp is used.

import type { ExpInPlace } from './gates.ts';

const POW2 = Float64Array.from({ length: 256 }, (_, i) => Math.pow(2, i - 127));
const LOG2E = 1.4426950408889634;
// ln 2 split in two so n·LN2_HI is exact (Cody–Waite range reduction).
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;

/** e^x for x clamped to [−88, 88] (so σ and tanh saturate instead of overflowing). */
export function fastExp(x: number): number {
  const v = x > 88 ? 88 : x < -88 ? -88 : x;
  const n = Math.floor(v * LOG2E + 0.5);
  const r = v - n * LN2_HI - n * LN2_LO;
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r / 5040))))));
  return p * POW2[n + 127];
}

/** fastExp over a scratch row in place (see gates.ts: one call per row, not per number). */
export const fastExpInPlace: ExpInPlace = (x, o, n) => {
  for (let k = 0; k < n; k++) x[o + k] = fastExp(x[o + k]);
};
