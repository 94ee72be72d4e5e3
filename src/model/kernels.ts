// The kernel interface: every heavy loop of the recurrent engine (matrix products and the fused
// pointwise gate math of each cell) goes through one `Kernels` object, and every parameter,
// gradient and activation buffer is allocated by its `alloc`. A backend (plain TypeScript here,
// WebAssembly SIMD in src/model/wasm) can then hand out views into its own memory and run fused
// kernels on them. This file holds only types and the gate-block constants, no arithmetic.
//
// Conventions: every matrix is row-major and addressed as (array, offset in elements). Sizes come
// last. Products ACCUMULATE into `out` (`+=`); callers zero what must start at zero.

/** The element type of every buffer of one model. Float32 for speed, Float64 for tests. */
export type Dtype = 'float32' | 'float64';
export type FloatArray = Float32Array | Float64Array;

/** Gates per cell, in PyTorch's block order: LSTM [i|f|g|o], GRU [r|z|n], RNN a single block. */
export const LSTM_GATES = 4;
export const GRU_GATES = 3;
export const RNN_GATES = 1;

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
   * The LSTM recurrence over T steps: for t in 0..T−1, gates[t] += hs[t]·Whhᵀ (w at wo, (4H,H)), then
   * lstmForward from cs[t] into cs[t+1], tanhC[t], hs[t+1]. gates (T,B,4H) hold x·Wihᵀ + biases on entry;
   * hs, cs (T+1,B,H), slot 0 the initial state; tanhC (T,B,H); whhT (H,4H) the same weights transposed,
   * for a backend that runs the products in broadcast form. hZero: that initial h is zero (step 0 may
   * skip its product).
   */
  lstmRecurrence?(
    gates: FloatArray,
    go: number,
    hs: FloatArray,
    ho: number,
    cs: FloatArray,
    co: number,
    tanhC: FloatArray,
    tco: number,
    w: FloatArray,
    wo: number,
    whhT: FloatArray,
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
   * h, c (B,H) hold the initial state on entry and the final one on exit; per step gates = bih + bhh +
   * x[t]·Wihᵀ + h·Whhᵀ (parameters at offsets into p), then the lstmForward update. x (T,B,X) time-major;
   * hsOut (T,B,H) receives every step's h when not null. hZero: h starts at zero (step 0 may skip W_hh).
   */
  lstmInference?(
    x: FloatArray,
    xo: number,
    X: number,
    h: FloatArray,
    ho: number,
    c: FloatArray,
    co: number,
    hsOut: FloatArray | null,
    hso: number,
    p: FloatArray,
    wih: number,
    bih: number,
    bhh: number,
    whh: number,
    B: number,
    T: number,
    H: number,
    hZero: boolean,
  ): boolean;
  /**
   * The LSTM backward recurrence, t = T−1 … 0: dh = dOut[t] + dhRec (‖dh‖ into norms[t] when given); lstmBackward
   * into dGates[t] with dcRec carried; dhRec = dGates[t]·W_hh through whhT (H,4H). tbpttK > 0 cuts dhRec, dcRec where a
   * chunk of k steps starts. dGates, gates (T,B,4H); dOut (T,B,H); cs (T+1,B,H); tanhC (T,B,H); dhRec, dcRec, dh (B,H).
   * needDh0 false: nobody wants ∂L/∂h0, so the product after step 0 may be skipped (dhRec is then left zero).
   */
  lstmBackwardRecurrence?(
    dGates: FloatArray,
    dOut: FloatArray,
    dhRec: FloatArray,
    dcRec: FloatArray,
    dh: FloatArray,
    gates: FloatArray,
    cs: FloatArray,
    tanhC: FloatArray,
    whhT: FloatArray,
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
