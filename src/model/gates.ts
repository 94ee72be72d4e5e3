// The pointwise gate math of the three cells (LSTM, GRU, vanilla RNN), forward and backward side
// by side, in plain TypeScript. Both TypeScript kernel sets use these; a faster backend may fuse
// them differently but must agree with them. Derivatives are taken from stored activations
// (σ' = s(1−s), tanh' = 1 − y²). Formulas: PyTorch's nn.LSTM / nn.GRU / nn.RNN documentation.
// The forward functions are built around an exp (exact Math.exp, or fastExp.ts for float32).
// B batch rows, H hidden units; gate blocks as in kernels.ts.
import type { FloatArray, Kernels } from './kernels.ts';

type ForwardGates = Pick<Kernels, 'lstmForward' | 'gruForward' | 'rnnForward'>;

/** x[o + k] ← e^{x[o + k]} for k < n, in place, on a float64 scratch row. */
export type ExpInPlace = (x: Float64Array, o: number, n: number) => void;

/** The exact exp for the reference and float64 kernels. */
export const exactExpInPlace: ExpInPlace = (x, o, n) => {
  for (let k = 0; k < n; k++) x[o + k] = Math.exp(x[o + k]);
};

/**
 * The three forward gate kernels computing σ(x) = 1/(1 + e^{−x}) and tanh(x) = 1 − 2/(e^{2x} + 1)
 * (|error| < 4e-16 against Math.tanh with the exact exp). The exps of a row run as one call on a
 * float64 scratch row rather than one call per number: a call per number returns a boxed double
 * whenever V8 does not inline it (its inlining budget runs out at the LSTM's five), which cost the
 * float32 kernels megabytes of garbage per batch.
 */
export function forwardGates(expInPlace: ExpInPlace): ForwardGates {
  let scratch = new Float64Array(0);
  const rowScratch = (n: number): Float64Array =>
    scratch.length >= n ? scratch : (scratch = new Float64Array(n));

  /** See Kernels.lstmForward. gates (B,4H) pre → activated [i|f|g|o]; cNext, tanhC, hNext (B,H). */
  function lstmForward(
    gates: FloatArray,
    go: number,
    cPrev: FloatArray,
    cpo: number,
    cNext: FloatArray,
    cno: number,
    tanhC: FloatArray,
    tco: number,
    hNext: FloatArray,
    hno: number,
    B: number,
    H: number,
  ): void {
    const G = 4 * H;
    const e = rowScratch(G + H);
    for (let b = 0; b < B; b++) {
      const g0 = go + b * G;
      const s = b * H;
      for (let j = 0; j < H; j++) {
        e[j] = -gates[g0 + j];
        e[H + j] = -gates[g0 + H + j];
        e[2 * H + j] = 2 * gates[g0 + 2 * H + j];
        e[3 * H + j] = -gates[g0 + 3 * H + j];
      }
      expInPlace(e, 0, G);
      for (let j = 0; j < H; j++) {
        const i = 1 / (1 + e[j]);
        const f = 1 / (1 + e[H + j]);
        const g = 1 - 2 / (e[2 * H + j] + 1);
        const o = 1 / (1 + e[3 * H + j]);
        gates[g0 + j] = i;
        gates[g0 + H + j] = f;
        gates[g0 + 2 * H + j] = g;
        gates[g0 + 3 * H + j] = o;
        const c = f * cPrev[cpo + s + j] + i * g;
        cNext[cno + s + j] = c;
        e[3 * H + j] = o;
        e[G + j] = 2 * c;
      }
      expInPlace(e, G, H);
      for (let j = 0; j < H; j++) {
        const tc = 1 - 2 / (e[G + j] + 1);
        tanhC[tco + s + j] = tc;
        hNext[hno + s + j] = e[3 * H + j] * tc;
      }
    }
  }

  /** See Kernels.gruForward. gi (B,3H) pre → activated [r|z|n]; gh (B,3H) read; hNext (B,H). */
  function gruForward(
    gi: FloatArray,
    gio: number,
    gh: FloatArray,
    gho: number,
    hPrev: FloatArray,
    hpo: number,
    hNext: FloatArray,
    hno: number,
    B: number,
    H: number,
  ): void {
    const G = 3 * H;
    const e = rowScratch(G);
    for (let b = 0; b < B; b++) {
      const a = gio + b * G;
      const c = gho + b * G;
      const s = b * H;
      for (let j = 0; j < H; j++) {
        e[j] = -(gi[a + j] + gh[c + j]);
        e[H + j] = -(gi[a + H + j] + gh[c + H + j]);
      }
      expInPlace(e, 0, 2 * H);
      for (let j = 0; j < H; j++) {
        const r = 1 / (1 + e[j]);
        const z = 1 / (1 + e[H + j]);
        gi[a + j] = r;
        gi[a + H + j] = z;
        e[H + j] = z;
        e[2 * H + j] = 2 * (gi[a + 2 * H + j] + r * gh[c + 2 * H + j]);
      }
      expInPlace(e, 2 * H, H);
      for (let j = 0; j < H; j++) {
        const n = 1 - 2 / (e[2 * H + j] + 1);
        const z = e[H + j];
        gi[a + 2 * H + j] = n;
        hNext[hno + s + j] = (1 - z) * n + z * hPrev[hpo + s + j];
      }
    }
  }

  /** See Kernels.rnnForward: h' = tanh(pre). */
  function rnnForward(
    pre: FloatArray,
    po: number,
    hNext: FloatArray,
    hno: number,
    B: number,
    H: number,
  ): void {
    const e = rowScratch(H);
    for (let b = 0; b < B; b++) {
      const s = b * H;
      for (let j = 0; j < H; j++) e[j] = 2 * pre[po + s + j];
      expInPlace(e, 0, H);
      for (let j = 0; j < H; j++) hNext[hno + s + j] = 1 - 2 / (e[j] + 1);
    }
  }

  return { lstmForward, gruForward, rnnForward };
}

/** The exact forward gates (Math.exp): the reference, and the float64 kernels. */
export const { lstmForward, gruForward, rnnForward } = forwardGates(exactExpInPlace);

/** See Kernels.lstmBackward. dc is ∂L/∂c' on entry and ∂L/∂c on exit. */
export function lstmBackward(
  dGates: FloatArray,
  dgo: number,
  dc: FloatArray,
  dco: number,
  dh: FloatArray,
  dho: number,
  gates: FloatArray,
  go: number,
  cPrev: FloatArray,
  cpo: number,
  tanhC: FloatArray,
  tco: number,
  B: number,
  H: number,
): void {
  const G = 4 * H;
  for (let b = 0; b < B; b++) {
    const g0 = go + b * G;
    const d0 = dgo + b * G;
    const s = b * H;
    for (let j = 0; j < H; j++) {
      const i = gates[g0 + j];
      const f = gates[g0 + H + j];
      const g = gates[g0 + 2 * H + j];
      const o = gates[g0 + 3 * H + j];
      const tc = tanhC[tco + s + j];
      const dhj = dh[dho + s + j];
      const dct = dc[dco + s + j] + dhj * o * (1 - tc * tc);
      dGates[d0 + j] = dct * g * i * (1 - i);
      dGates[d0 + H + j] = dct * cPrev[cpo + s + j] * f * (1 - f);
      dGates[d0 + 2 * H + j] = dct * i * (1 - g * g);
      dGates[d0 + 3 * H + j] = dhj * tc * o * (1 - o);
      dc[dco + s + j] = dct * f;
    }
  }
}

/** See Kernels.gruBackward. Sets dhPrev = dh ⊙ z (the recurrent matmul adds the rest). */
export function gruBackward(
  dGi: FloatArray,
  dgio: number,
  dGh: FloatArray,
  dgho: number,
  dhPrev: FloatArray,
  dhpo: number,
  dh: FloatArray,
  dho: number,
  gi: FloatArray,
  gio: number,
  gh: FloatArray,
  gho: number,
  hPrev: FloatArray,
  hpo: number,
  B: number,
  H: number,
): void {
  const G = 3 * H;
  for (let b = 0; b < B; b++) {
    const a = gio + b * G;
    const c = gho + b * G;
    const da = dgio + b * G;
    const dcc = dgho + b * G;
    const s = b * H;
    for (let j = 0; j < H; j++) {
      const r = gi[a + j];
      const z = gi[a + H + j];
      const n = gi[a + 2 * H + j];
      const dhj = dh[dho + s + j];
      const dnPre = dhj * (1 - z) * (1 - n * n);
      const dzPre = dhj * (hPrev[hpo + s + j] - n) * z * (1 - z);
      const drPre = dnPre * gh[c + 2 * H + j] * r * (1 - r);
      dGi[da + j] = drPre;
      dGi[da + H + j] = dzPre;
      dGi[da + 2 * H + j] = dnPre;
      dGh[dcc + j] = drPre;
      dGh[dcc + H + j] = dzPre;
      dGh[dcc + 2 * H + j] = dnPre * r;
      dhPrev[dhpo + s + j] = dhj * z;
    }
  }
}

/** See Kernels.rnnBackward: dPre = dh ⊙ (1 − h'²). */
export function rnnBackward(
  dPre: FloatArray,
  dpo: number,
  dh: FloatArray,
  dho: number,
  hNext: FloatArray,
  hno: number,
  B: number,
  H: number,
): void {
  const n = B * H;
  for (let k = 0; k < n; k++) {
    const y = hNext[hno + k];
    dPre[dpo + k] = dh[dho + k] * (1 - y * y);
  }
}
