// Forward and backward through time of a stack of recurrent layers plus its linear head, on
// activation caches allocated once (grown only when a longer sequence or larger batch arrives).
// Caches are time-major: h (T+1,B,H) and c (T+1,B,H) with slot 0 the initial state, so step t reads
// h[t] and writes h[t+1]. All arithmetic goes through a Kernels object. This file knows nothing of
// losses (losses.ts seeds dPred) or optimizers.
// Letters: T steps, B batch, X input, H hidden, G = gates·H, O head outputs, L layers.
import type { CellKind } from './architecture.ts';
import type { FloatArray, Kernels, LstmLayerBuffers } from './kernels.ts';
import type { ParameterLayout } from './parameterLayout.ts';

interface LayerCache {
  hs: FloatArray; // (T+1, B, H)
  cs: FloatArray | null; // (T+1, B, H), LSTM only
  tanhC: FloatArray | null; // (T, B, H), LSTM only
  gates: FloatArray; // (T, B, G) activated gates (pre-activations for the RNN)
  gh: FloatArray | null; // (T, B, G) GRU only: W_hh h + b_hh
  dGi: FloatArray; // (T, B, G) ∂L/∂(input-side pre-activations)
  dGh: FloatArray; // (T, B, G) ∂L/∂(recurrent-side pre-activations); the same array as dGi except for the GRU
  dIn: FloatArray; // (T, B, in) ∂L/∂(layer input)
  WhhT: FloatArray; // (H, G) W_hh transposed by forward(): the fused recurrence's broadcast products and backward's dh = dG · W_hh read it
  bias: FloatArray; // (G) b_ih + b_hh (LSTM, RNN) or b_ih (GRU): the value every gate row starts from
  biasHh: FloatArray; // (G) b_hh, the value every GRU recurrent row starts from
  lstm: LstmLayerBuffers | null; // the arrays above (and the stack's dh, dhRec, dcRec) for the fused LSTM kernels
}

export interface StackShape {
  cell: CellKind;
  X: number;
  H: number;
  G: number;
  O: number;
  L: number;
}

/** Which steps the head runs on: every step, or the last one only. */
export type HeadSteps = 'all' | 'last';

export class RecurrentStack {
  readonly shape: StackShape;
  readonly kernels: Kernels;
  readonly layout: ParameterLayout;
  /** Allocated capacity: batch rows and steps. */
  capB = 0;
  capT = 0;
  xT!: FloatArray; // (T, B, X) the input, time-major
  layers: LayerCache[] = [];
  pred!: FloatArray; // (T, B, O) head outputs, time-major
  dPred!: FloatArray; // (T, B, O) seeded by the loss
  dHtop!: FloatArray; // (T, B, H) ∂L/∂h of the top layer from the head
  dh!: FloatArray; // (B, H) total ∂L/∂h at the current step
  dhRec!: FloatArray; // (B, H) ∂L/∂h reaching step t from step t+1
  dcRec!: FloatArray; // (B, H) ∂L/∂c reaching step t from step t+1
  dBias!: FloatArray; // (G) Σ over rows of dG, added to both biases
  /** The last forward() started from a zero state (no h0): backward() skips the products of h0 = 0. */
  h0Zero = true;

  constructor(shape: StackShape, layout: ParameterLayout, kernels: Kernels) {
    this.shape = shape;
    this.layout = layout;
    this.kernels = kernels;
  }

  /** Grows the caches to hold B rows × T steps; allocates only when the capacity grows. */
  ensureCapacity(B: number, T: number): void {
    if (B <= this.capB && T <= this.capT) return;
    const nb = Math.max(B, this.capB);
    const nt = Math.max(T, this.capT);
    const { X, H, G, O, L, cell } = this.shape;
    const k = this.kernels;
    this.xT = k.alloc(nt * nb * X);
    this.pred = k.alloc(nt * nb * O);
    this.dPred = k.alloc(nt * nb * O);
    this.dHtop = k.alloc(nt * nb * H);
    this.dh = k.alloc(nb * H);
    this.dhRec = k.alloc(nb * H);
    this.dcRec = k.alloc(nb * H);
    this.dBias = k.alloc(G);
    this.layers = [];
    for (let l = 0; l < L; l++) {
      const inSize = l === 0 ? X : H;
      const hs = k.alloc((nt + 1) * nb * H);
      const cs = cell === 'lstm' ? k.alloc((nt + 1) * nb * H) : null;
      const tanhC = cell === 'lstm' ? k.alloc(nt * nb * H) : null;
      const gates = k.alloc(nt * nb * G);
      const dGi = k.alloc(nt * nb * G);
      const WhhT = k.alloc(H * G);
      const { dh, dhRec, dcRec } = this;
      this.layers.push({
        hs,
        cs,
        tanhC,
        gates,
        gh: cell === 'gru' ? k.alloc(nt * nb * G) : null,
        dGi,
        dGh: cell === 'gru' ? k.alloc(nt * nb * G) : dGi,
        dIn: k.alloc(nt * nb * inSize),
        WhhT,
        bias: k.alloc(G),
        biasHh: k.alloc(G),
        lstm: cs && tanhC ? { gates, hs, cs, tanhC, whhT: WhhT, dGates: dGi, dh, dhRec, dcRec } : null,
      });
    }
    this.capB = nb;
    this.capT = nt;
  }

  /**
   * What every forward starts with: caches for B × T, x (B,T,X) copied time-major into xT, and each
   * layer's initial h (and c) from h0, c0 (L,B,H), or zeros, in slot 0 of hs (cs).
   */
  private begin(
    x: ArrayLike<number>,
    B: number,
    T: number,
    h0?: ArrayLike<number>,
    c0?: ArrayLike<number>,
  ): void {
    this.ensureCapacity(B, T);
    this.h0Zero = h0 === undefined;
    const { X, H, L } = this.shape;
    const xT = this.xT;
    for (let b = 0; b < B; b++)
      for (let t = 0; t < T; t++) {
        const src = (b * T + t) * X;
        const dst = (t * B + b) * X;
        for (let i = 0; i < X; i++) xT[dst + i] = x[src + i];
      }
    const BH = B * H;
    for (let l = 0; l < L; l++) {
      const c = this.layers[l];
      if (h0) for (let i = 0; i < BH; i++) c.hs[i] = h0[l * BH + i];
      else c.hs.fill(0, 0, BH);
      if (c.cs && c0) for (let i = 0; i < BH; i++) c.cs[i] = c0[l * BH + i];
      else if (c.cs) c.cs.fill(0, 0, BH);
    }
  }

  /**
   * Runs the stack over x (B,T,X) batch-first. h0/c0 are (L,B,H) or absent (zeros). Fills the caches
   * and the head outputs `pred` for the chosen steps.
   */
  forward(
    p: FloatArray,
    x: ArrayLike<number>,
    B: number,
    T: number,
    heads: HeadSteps | 'none',
    h0?: ArrayLike<number>,
    c0?: ArrayLike<number>,
  ): void {
    this.begin(x, B, T, h0, c0);
    const { H, G, O, L, cell } = this.shape;
    const k = this.kernels;
    for (let l = 0; l < L; l++) {
      const lo = this.layout.layers[l];
      const c = this.layers[l];
      const inp = l === 0 ? this.xT : this.layers[l - 1].hs;
      const inpOff = l === 0 ? 0 : B * H;
      const BH = B * H;
      const BG = B * G;
      for (let j = 0; j < G; j++) c.bias[j] = cell === 'gru' ? p[lo.bih + j] : p[lo.bih + j] + p[lo.bhh + j];
      for (let j = 0; j < G; j++) c.biasHh[j] = p[lo.bhh + j];
      for (let r = 0; r < T * B; r++) c.gates.set(c.bias, r * G);
      // W_hh transposed once per forward, for the fused recurrence and for backward().
      for (let r = 0; r < G; r++) for (let j = 0; j < H; j++) c.WhhT[j * G + r] = p[lo.Whh + r * H + j];
      k.matmulNT(c.gates, 0, inp, inpOff, p, lo.Wih, T * B, lo.inputSize, G);
      // A backend with the fused recurrence runs all T steps of the layer in one call (or declines
      // and leaves them to the loop below).
      if (cell === 'lstm' && k.lstmRecurrence?.(c.lstm!, p, lo.Whh, B, T, H, !h0) === true) continue;
      for (let t = 0; t < T; t++) {
        const go = t * BG;
        // From a zero state (no h0) step 0's recurrent product adds nothing: skipped.
        const recur = t > 0 || h0 !== undefined;
        if (cell === 'lstm') {
          if (recur) k.matmulNT(c.gates, go, c.hs, t * BH, p, lo.Whh, B, H, G);
          k.lstmForward(
            c.gates,
            go,
            c.cs!,
            t * BH,
            c.cs!,
            (t + 1) * BH,
            c.tanhC!,
            t * BH,
            c.hs,
            (t + 1) * BH,
            B,
            H,
          );
        } else if (cell === 'gru') {
          const gh = c.gh!;
          for (let b = 0; b < B; b++) gh.set(c.biasHh, go + b * G);
          if (recur) k.matmulNT(gh, go, c.hs, t * BH, p, lo.Whh, B, H, G);
          k.gruForward(c.gates, go, gh, go, c.hs, t * BH, c.hs, (t + 1) * BH, B, H);
        } else {
          if (recur) k.matmulNT(c.gates, go, c.hs, t * BH, p, lo.Whh, B, H, G);
          k.rnnForward(c.gates, go, c.hs, (t + 1) * BH, B, H);
        }
      }
    }
    if (heads === 'none') return;
    const top = this.layers[L - 1].hs;
    const t0 = heads === 'all' ? 0 : T - 1;
    const rows = (T - t0) * B;
    this.pred.fill(0, t0 * B * O, T * B * O);
    k.matmulNT(this.pred, t0 * B * O, top, (t0 + 1) * B * H, p, this.layout.headW, rows, H, O);
    k.addRowBias(this.pred, t0 * B * O, p, this.layout.headB, rows, O);
  }

  /**
   * Inference only: like forward(x, B, T, 'last') for an LSTM on a backend with the fused
   * lstmInference, but only the state is kept (each layer's h, c in slot 0 of hs, cs; every step's h
   * of the lower layers in hs[1..T] as the next layer's input). No gate or tanh(c) caches are written,
   * so backward() must not follow it. Returns false (nothing done) when the backend cannot.
   */
  forwardInference(
    p: FloatArray,
    x: ArrayLike<number>,
    B: number,
    T: number,
    h0?: ArrayLike<number>,
    c0?: ArrayLike<number>,
  ): boolean {
    const k = this.kernels;
    if (this.shape.cell !== 'lstm' || !k.lstmInference) return false;
    this.begin(x, B, T, h0, c0);
    const { H, O, L } = this.shape;
    const BH = B * H;
    for (let l = 0; l < L; l++) {
      const lo = this.layout.layers[l];
      const c = this.layers[l];
      const inp = l === 0 ? this.xT : this.layers[l - 1].hs;
      const top = l === L - 1;
      const done = k.lstmInference(c.lstm!, inp, l === 0 ? 0 : BH, lo.inputSize, !top, p, lo, B, T, H, !h0);
      // Declined: the caller runs the full forward, which starts again from h0, c0.
      if (!done) return false;
    }
    const o = (T - 1) * B * O;
    this.pred.fill(0, o, T * B * O);
    k.matmulNT(this.pred, o, this.layers[L - 1].hs, 0, p, this.layout.headW, B, H, O);
    k.addRowBias(this.pred, o, p, this.layout.headB, B, O);
    return true;
  }

  /**
   * Backpropagation through time after forward(); dPred (T,B,O) holds ∂L/∂pred for the head steps.
   * Adds into g (the flat gradient array). tbpttK > 0 cuts the gradient between chunks of k steps
   * (chunks start at step 0). Writes ‖∂L/∂h_t‖ of layer l into gradNorms[l] (T) and, with
   * `inputGrads`, leaves ∂L/∂x time-major in layers[0].dIn and ∂L/∂h0, ∂L/∂c0 in dh0/dc0 (L,B,H).
   */
  backward(
    p: FloatArray,
    g: FloatArray,
    B: number,
    T: number,
    heads: HeadSteps,
    tbpttK: number,
    gradNorms: Float64Array[] | null,
    inputGrads: { dh0: FloatArray; dc0: FloatArray | null } | null,
  ): void {
    const { H, G, O, L, cell } = this.shape;
    const k = this.kernels;
    const BH = B * H;
    const BG = B * G;
    const t0 = heads === 'all' ? 0 : T - 1;
    const rows = (T - t0) * B;
    const topHs = this.layers[L - 1].hs;
    k.matmulTN(g, this.layout.headW, this.dPred, t0 * B * O, topHs, (t0 + 1) * BH, O, rows, H);
    k.sumRows(g, this.layout.headB, this.dPred, t0 * B * O, rows, O);
    this.dHtop.fill(0, 0, T * BH);
    k.matmulNN(this.dHtop, t0 * BH, this.dPred, t0 * B * O, p, this.layout.headW, rows, O, H);
    let dOut = this.dHtop;
    const { dh, dhRec, dcRec } = this;
    for (let l = L - 1; l >= 0; l--) {
      const lo = this.layout.layers[l];
      const c = this.layers[l];
      dhRec.fill(0, 0, BH);
      dcRec.fill(0, 0, BH);
      // A backend with the fused backward recurrence runs all T steps in one call (the loop then has
      // none left), or declines and leaves them all to the loop.
      const fused =
        cell === 'lstm' &&
        k.lstmBackwardRecurrence?.(
          c.lstm!,
          dOut,
          gradNorms ? gradNorms[l] : null,
          B,
          T,
          H,
          tbpttK,
          inputGrads !== null,
        ) === true;
      const fusedSteps = fused ? T : 0;
      for (let t = T - 1 - fusedSteps; t >= 0; t--) {
        if (tbpttK > 0 && (t + 1) % tbpttK === 0 && t + 1 < T) {
          dhRec.fill(0, 0, BH);
          dcRec.fill(0, 0, BH);
        }
        let ss = 0;
        for (let i = 0; i < BH; i++) {
          const v = dOut[t * BH + i] + dhRec[i];
          dh[i] = v;
          ss += v * v;
        }
        if (gradNorms) gradNorms[l][t] = Math.sqrt(ss);
        const go = t * BG;
        if (cell === 'lstm') {
          k.lstmBackward(c.dGi, go, dcRec, 0, dh, 0, c.gates, go, c.cs!, t * BH, c.tanhC!, t * BH, B, H);
          dhRec.fill(0, 0, BH);
        } else if (cell === 'gru') {
          k.gruBackward(c.dGi, go, c.dGh, go, dhRec, 0, dh, 0, c.gates, go, c.gh!, go, c.hs, t * BH, B, H);
        } else {
          k.rnnBackward(c.dGi, go, dh, 0, c.hs, (t + 1) * BH, B, H);
          dhRec.fill(0, 0, BH);
        }
        // ∂L/∂h0 is only wanted as an input gradient.
        if (t > 0 || inputGrads) k.matmulNT(dhRec, 0, c.dGh, go, c.WhhT, 0, B, G, H);
      }
      const inp = l === 0 ? this.xT : this.layers[l - 1].hs;
      const inpOff = l === 0 ? 0 : BH;
      k.matmulTN(g, lo.Wih, c.dGi, 0, inp, inpOff, G, T * B, lo.inputSize);
      // ∂L/∂W_hh = Σ_t dG[t]ᵀ·h[t−1]; from a zero state the rows of step 0 add nothing.
      const r0 = this.h0Zero ? B : 0;
      k.matmulTN(g, lo.Whh, c.dGh, r0 * G, c.hs, r0 * H, G, T * B - r0, H);
      if (cell === 'gru') {
        k.sumRows(g, lo.bih, c.dGi, 0, T * B, G);
        k.sumRows(g, lo.bhh, c.dGh, 0, T * B, G);
      } else {
        // dGh is dGi: one sum serves both biases.
        this.dBias.fill(0);
        k.sumRows(this.dBias, 0, c.dGi, 0, T * B, G);
        for (let j = 0; j < G; j++) {
          g[lo.bih + j] += this.dBias[j];
          g[lo.bhh + j] += this.dBias[j];
        }
      }
      if (inputGrads) {
        for (let i = 0; i < BH; i++) inputGrads.dh0[l * BH + i] = dhRec[i];
        if (inputGrads.dc0) for (let i = 0; i < BH; i++) inputGrads.dc0[l * BH + i] = dcRec[i];
      }
      if (l > 0 || inputGrads) {
        c.dIn.fill(0, 0, T * B * lo.inputSize);
        k.matmulNN(c.dIn, 0, c.dGi, 0, p, lo.Wih, T * B, G, lo.inputSize);
      }
      dOut = c.dIn;
    }
  }
}
