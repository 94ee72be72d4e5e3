// The kernel contract: every heavy loop of the recurrent engine (matrix products and the fused
// pointwise gate math of each cell) goes through one `Kernels` object, and every parameter,
// gradient and activation buffer is allocated by its `alloc`. A backend (plain TypeScript in
// src/model/tsKernels.ts, WebAssembly SIMD in this folder) can then hand out views into its own
// memory and run fused kernels on them. Types only, importing nothing: it lives in src/model/wasm
// so that this folder depends on nothing outside it; src/model reads it through kernels.ts.
//
// Conventions: every matrix is row-major and addressed as (array, offset in elements). Sizes come
// last. Products ACCUMULATE into `out` (`+=`); callers zero what must start at zero.

/** The element type of every buffer of one model. Float32 for speed, Float64 for tests. */
export type Dtype = 'float32' | 'float64';
export type FloatArray = Float32Array | Float64Array;

/**
 * One LSTM layer's caches as the fused kernels read and write them, gathered into one object when
 * the caches are allocated (not per call). G = 4H, gates in PyTorch's block order [i|f|g|o].
 */
export interface LstmLayerBuffers {
  gates: FloatArray; // (T, B, G) pre-activations on entry to the recurrence, activated gates after
  hs: FloatArray; // (T+1, B, H) slot 0 the initial state
  cs: FloatArray; // (T+1, B, H) slot 0 the initial state
  tanhC: FloatArray; // (T, B, H) tanh(c[t+1])
  whhT: FloatArray; // (H, G) W_hh transposed
  dGates: FloatArray; // (T, B, G) ∂L/∂pre-activations
  dh: FloatArray; // (B, H) scratch: total ∂L/∂h at the current step
  dhRec: FloatArray; // (B, H) ∂L/∂h carried from step t+1 to t; ∂L/∂h0 at the end
  dcRec: FloatArray; // (B, H) ∂L/∂c carried from step t+1 to t; ∂L/∂c0 at the end
}

/** Where one LSTM layer's weights start in the flat parameter array (elements). */
export interface LstmWeightOffsets {
  Wih: number; // (G, X)
  Whh: number; // (G, H)
  bih: number; // (G)
  bhh: number; // (G)
}

export interface Kernels {
  /** A short name for reports, e.g. 'ts-tiled', 'ts-naive', 'wasm-simd'. */
  readonly name: string;
  readonly dtype: Dtype;
  /** A zero-filled buffer of n elements. Buffers stay valid for the kernel object's lifetime. */
  alloc(n: number): FloatArray;

  /** out(M,N) += A(M,K) · B(N,K)ᵀ — activations times a PyTorch-layout weight. */
  matmulNT(
    out: FloatArray,
    oo: number,
    a: FloatArray,
    ao: number,
    b: FloatArray,
    bo: number,
    M: number,
    K: number,
    N: number,
  ): void;
  /** out(M,N) += A(M,K) · B(K,N) — gradients back through a weight. */
  matmulNN(
    out: FloatArray,
    oo: number,
    a: FloatArray,
    ao: number,
    b: FloatArray,
    bo: number,
    M: number,
    K: number,
    N: number,
  ): void;
  /** out(M,N) += A(K,M)ᵀ · B(K,N) — weight gradients summed over K rows (all steps × batch at once). */
  matmulTN(
    out: FloatArray,
    oo: number,
    a: FloatArray,
    ao: number,
    b: FloatArray,
    bo: number,
    M: number,
    K: number,
    N: number,
  ): void;
  /** rows(M,N) += bias(N), bias broadcast over rows. */
  addRowBias(rows: FloatArray, ro: number, bias: FloatArray, bo: number, M: number, N: number): void;
  /** out(N) += Σ_m A(m, ·) — bias gradients. */
  sumRows(out: FloatArray, oo: number, a: FloatArray, ao: number, M: number, N: number): void;

  /**
   * LSTM pointwise step for B rows. `gates` (B,4H) holds pre-activations on entry and the activated
   * [i|f|g|o] on exit. Writes c' = f⊙c + i⊙g into cNext (B,H), tanh(c') into tanhC (B,H), h' = o⊙tanh(c') into hNext (B,H).
   */
  lstmForward(
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
  ): void;
  /**
   * LSTM pointwise backward. dh (B,H) = ∂L/∂h' (all paths); dc (B,H) = ∂L/∂c' from the next step on entry,
   * ∂L/∂c on exit. Writes dGates (B,4H) = ∂L/∂pre-activations.
   */
  lstmBackward(
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
  ): void;

  /**
   * GRU pointwise step (PyTorch): gi (B,3H) = W_ih x + b_ih, pre-activations on entry and activated [r|z|n] on exit;
   * gh (B,3H) = W_hh h + b_hh (read only); h' = (1−z)⊙n + z⊙h with n = tanh(gi_n + r⊙gh_n).
   */
  gruForward(
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
  ): void;
  /**
   * GRU pointwise backward. Writes dGi (B,3H), dGh (B,3H) (they differ in the n block: ∂gh_n = ∂n_pre ⊙ r),
   * and SETS dhPrev (B,H) = dh ⊙ z, the direct path to the previous state.
   */
  gruBackward(
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
  ): void;

  /** RNN step: h' = tanh(pre). `pre` (B,H) is read; hNext (B,H) written (may alias pre). */
  rnnForward(pre: FloatArray, po: number, hNext: FloatArray, hno: number, B: number, H: number): void;
  /** RNN backward: dPre (B,H) = dh ⊙ (1 − h'²). */
  rnnBackward(
    dPre: FloatArray,
    dpo: number,
    dh: FloatArray,
    dho: number,
    hNext: FloatArray,
    hno: number,
    B: number,
    H: number,
  ): void;

  // Optional fused kernels (src/model/wasm runs each as ONE call, so per-call overhead stops
  // dominating small batches); callers fall back to the unfused calls above when absent. Each
  // returns false, having written nothing, when the backend cannot run it on the arrays given
  // (say, outside its memory): the caller then runs the unfused steps itself, so no backend keeps
  // a copy of those loops.
  /**
   * The LSTM recurrence over T steps of buf: for t in 0..T−1, gates[t] += hs[t]·Whhᵀ (W_hh at `whh`
   * in p, (4H,H)), then lstmForward from cs[t] into cs[t+1], tanhC[t], hs[t+1]. gates hold
   * x·Wihᵀ + biases on entry; whhT holds the same weights transposed, for a backend that runs the
   * products in broadcast form. hZero: the initial h is zero (step 0 may skip its product).
   */
  lstmRecurrence?(
    buf: LstmLayerBuffers,
    p: FloatArray,
    whh: number,
    B: number,
    T: number,
    H: number,
    hZero?: boolean,
  ): boolean;
  /** out(M,N) = bias(N) + A(M,K)·W(N,K)ᵀ, SET (not accumulated): a small linear layer such as the head in one call. */
  linearRows?(
    out: FloatArray,
    oo: number,
    a: FloatArray,
    ao: number,
    w: FloatArray,
    wo: number,
    bias: FloatArray,
    bo: number,
    M: number,
    K: number,
    N: number,
  ): void;
  /**
   * Inference through one LSTM layer over T steps keeping only the state (no activation caches):
   * slot 0 of buf.hs, buf.cs (B,H) holds the initial state on entry and the final one on exit; per step
   * gates = bih + bhh + x[t]·Wihᵀ + h·Whhᵀ (weights at offsets w into p), then the lstmForward update.
   * x (T,B,X) time-major from xo; keepSteps: every step's h also goes to buf.hs[1..T] (the next
   * layer's input). hZero: h starts at zero (step 0 may skip W_hh).
   */
  lstmInference?(
    buf: LstmLayerBuffers,
    x: FloatArray,
    xo: number,
    X: number,
    keepSteps: boolean,
    p: FloatArray,
    w: LstmWeightOffsets,
    B: number,
    T: number,
    H: number,
    hZero: boolean,
  ): boolean;
  /**
   * The LSTM backward recurrence over buf, t = T−1 … 0: dh = dOut[t] + dhRec (‖dh‖ into norms[t] when
   * given); lstmBackward into dGates[t] with dcRec carried; dhRec = dGates[t]·W_hh through whhT.
   * tbpttK > 0 cuts dhRec, dcRec where a chunk of k steps starts. dOut (T,B,H) = ∂L/∂h from above.
   * needDh0 false: nobody wants ∂L/∂h0, so the product after step 0 may be skipped (dhRec is then left zero).
   */
  lstmBackwardRecurrence?(
    buf: LstmLayerBuffers,
    dOut: FloatArray,
    norms: Float64Array | null,
    B: number,
    T: number,
    H: number,
    tbpttK: number,
    needDh0?: boolean,
  ): boolean;

  // Bound calls for a caller that passes the same arrays many times (the stepper: one live step
  // per new point): checked and converted once, so a call does only the work. Null when the
  // backend cannot bind these arrays; the caller then uses the methods above.
  /**
   * lstmInference for one row and one step from a state carried in h, c (H, updated in place), input
   * x (X), weights at offsets into p and laid out in `prepared` by prepareLstmInference (stepper.ts).
   */
  bindLstmStep?(
    x: FloatArray,
    h: FloatArray,
    c: FloatArray,
    p: FloatArray,
    wih: number,
    bih: number,
    bhh: number,
    whh: number,
    prepared: FloatArray,
    X: number,
    H: number,
  ): (() => void) | null;
  /** linearRows for one row: out(N) = bias(N) + a(K)·W(N,K)ᵀ with W at wo, bias at bo. */
  bindLinearRow?(
    out: FloatArray,
    a: FloatArray,
    w: FloatArray,
    wo: number,
    bias: FloatArray,
    bo: number,
    K: number,
    N: number,
  ): (() => void) | null;
}
