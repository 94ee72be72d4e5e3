// One step at a time with the state carried between calls: the live-prediction path (a track
// grows by one point, the model advances one step). Uses the same kernels as the batched forward,
// with B = 1 and buffers allocated once, on a copy of the parameters taken when it is created (an
// inference session: the LSTM's weights are also laid out once for the backend's fast single-row
// product). Not for training.
import type { FloatArray, Kernels } from './kernels.ts';
import type { Model } from './model.ts';
import type { LayerOffsets } from './parameterLayout.ts';

export interface Stepper {
  /** Feeds one input vector (X) and returns the head output (O) for this step, a new array. */
  step(x: ArrayLike<number>): Float32Array;
  /** Back to the zero initial state. */
  reset(): void;
  /** The carried state of layer l: h (H), and c (H) for the LSTM. Views, not copies. */
  state(l: number): { h: FloatArray; c: FloatArray | null };
}

/**
 * One LSTM layer's weights laid out for Kernels.bindLstmStep: rows [W_hhᵀ (H); W_ihᵀ (X);
 * bih + bhh (1)] of 4H columns, so a backend can run a single row's gates as broadcast products
 * without transposing the weights at every step.
 */
export function prepareLstmInference(k: Kernels, p: FloatArray, lo: LayerOffsets, H: number): FloatArray {
  const G = 4 * H;
  const X = lo.inputSize;
  const out = k.alloc((H + X + 1) * G);
  for (let j = 0; j < G; j++) {
    for (let i = 0; i < H; i++) out[i * G + j] = p[lo.Whh + j * H + i];
    for (let i = 0; i < X; i++) out[(H + i) * G + j] = p[lo.Wih + j * X + i];
    out[(H + X) * G + j] = p[lo.bih + j] + p[lo.bhh + j];
  }
  return out;
}

/**
 * Creates a stepper over a copy of `model`'s parameters as they are now: later updates to the model
 * are not seen (create a new stepper after training).
 */
export function createStepper(model: Model): Stepper {
  const { cell, hiddenSize: H, numLayers: L, inputSize: X } = model.architecture;
  const k = model.kernels;
  const G = model.gateRows;
  const O = model.outputSize;
  const p = k.alloc(model.params.length);
  p.set(model.params);
  const layout = model.layout;
  const xin = k.alloc(X);
  const hs = Array.from({ length: L }, () => k.alloc(2 * H)); // (2, H): the state, then the next state before it is copied back
  const cs = Array.from({ length: L }, () => k.alloc(H)); // (H) updated in place, LSTM only
  const tanhC = k.alloc(H);
  const gates = k.alloc(G);
  const gh = k.alloc(G);
  const out = k.alloc(O);
  // The LSTM's live step as bound calls (one per layer, then the head) where the backend has them;
  // else the unfused kernel calls below.
  const bindStep = cell === 'lstm' ? k.bindLstmStep?.bind(k) : undefined;
  const boundLayers = bindStep
    ? layout.layers.map((lo, l) =>
        bindStep(
          l === 0 ? xin : hs[l - 1],
          hs[l],
          cs[l],
          p,
          lo.Wih,
          lo.bih,
          lo.bhh,
          lo.Whh,
          prepareLstmInference(k, p, lo, H),
          lo.inputSize,
          H,
        ),
      )
    : null;
  const boundHead = k.bindLinearRow?.(out, hs[L - 1], p, layout.headW, p, layout.headB, H, O) ?? null;
  const bound =
    boundLayers && boundLayers.every((f) => f !== null) && boundHead
      ? [...(boundLayers as (() => void)[]), boundHead]
      : null;
  const reset = (): void => {
    for (let l = 0; l < L; l++) {
      hs[l].fill(0);
      cs[l].fill(0);
    }
  };
  return {
    reset,
    state: (l) => ({ h: hs[l].subarray(0, H), c: cell === 'lstm' ? cs[l].subarray(0, H) : null }),
    step(x) {
      for (let i = 0; i < X; i++) xin[i] = x[i];
      if (bound) {
        for (const call of bound) call();
        return out.slice() as Float32Array;
      }
      let inp: FloatArray = xin;
      for (let l = 0; l < L; l++) {
        const lo = layout.layers[l];
        const h = hs[l];
        gates.fill(0);
        k.matmulNT(gates, 0, inp, 0, p, lo.Wih, 1, lo.inputSize, G);
        k.addRowBias(gates, 0, p, lo.bih, 1, G);
        if (cell === 'lstm') {
          k.addRowBias(gates, 0, p, lo.bhh, 1, G);
          k.matmulNT(gates, 0, h, 0, p, lo.Whh, 1, H, G);
          k.lstmForward(gates, 0, cs[l], 0, cs[l], 0, tanhC, 0, h, H, 1, H);
        } else if (cell === 'gru') {
          for (let j = 0; j < G; j++) gh[j] = p[lo.bhh + j];
          k.matmulNT(gh, 0, h, 0, p, lo.Whh, 1, H, G);
          k.gruForward(gates, 0, gh, 0, h, 0, h, H, 1, H);
        } else {
          k.addRowBias(gates, 0, p, lo.bhh, 1, G);
          k.matmulNT(gates, 0, h, 0, p, lo.Whh, 1, H, G);
          k.rnnForward(gates, 0, h, H, 1, H);
        }
        h.copyWithin(0, H, 2 * H);
        inp = h;
      }
      if (k.linearRows) k.linearRows(out, 0, inp, 0, p, layout.headW, p, layout.headB, 1, H, O);
      else {
        out.fill(0);
        k.matmulNT(out, 0, inp, 0, p, layout.headW, 1, H, O);
        k.addRowBias(out, 0, p, layout.headB, 1, O);
      }
      // slice() copies a float32 view in one memcpy; float64 models convert.
      return out instanceof Float32Array ? out.slice() : Float32Array.from(out);
    },
  };
}
