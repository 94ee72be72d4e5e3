// The functions kernels.as exports, as TypeScript sees them: the ABI between the adapters
// (wasmKernels.ts) and the arithmetic. Every pointer is a byte address into one arena's memory
// (arenas.ts); sizes are element counts. Declarations only.
/** The functions kernels.as exports; every pointer is a byte address into the arena's memory. */
export interface KernelExports {
  heapBase(): number;
  tanhArray(out: number, x: number, n: number): void;
  sigmoidArray(out: number, x: number, n: number): void;
  gemmBroadcast(
    out: number,
    a: number,
    b: number,
    M: number,
    K: number,
    N: number,
    sAi: number,
    sAk: number,
  ): void;
  gemmNT(out: number, a: number, b: number, M: number, K: number, N: number): void;
  transpose(dst: number, src: number, R: number, C: number, accumulate: number): void;
  addRowBias(rows: number, bias: number, M: number, N: number): void;
  sumRows(out: number, a: number, M: number, N: number): void;
  lstmForward(
    gates: number,
    cPrev: number,
    cNext: number,
    tanhC: number,
    hNext: number,
    B: number,
    H: number,
  ): void;
  lstmBackward(
    dGates: number,
    dc: number,
    dh: number,
    gates: number,
    cPrev: number,
    tanhC: number,
    B: number,
    H: number,
  ): void;
  gruForward(gi: number, gh: number, hPrev: number, hNext: number, B: number, H: number): void;
  gruBackward(
    dGi: number,
    dGh: number,
    dhPrev: number,
    dh: number,
    gi: number,
    gh: number,
    hPrev: number,
    B: number,
    H: number,
  ): void;
  rnnForward(pre: number, hNext: number, n: number): void;
  rnnBackward(dPre: number, dh: number, hNext: number, n: number): void;
  lstmRecurrence(
    gates: number,
    hs: number,
    cs: number,
    tanhC: number,
    whh: number,
    whhT: number,
    B: number,
    T: number,
    H: number,
    hZero: number,
  ): void;
  lstmBackwardRecurrence(
    dGates: number,
    dOut: number,
    dhRec: number,
    dcRec: number,
    dh: number,
    gates: number,
    cs: number,
    tanhC: number,
    whhT: number,
    norms: number,
    B: number,
    T: number,
    H: number,
    tbpttK: number,
    needDh0: number,
  ): void;
  linearRows(out: number, a: number, w: number, bias: number, M: number, K: number, N: number): void;
  inferenceScratch(H: number, X: number): number;
  lstmInference(
    x: number,
    X: number,
    h: number,
    c: number,
    hsOut: number,
    scratch: number,
    wih: number,
    bih: number,
    bhh: number,
    whh: number,
    B: number,
    T: number,
    H: number,
    hZero: number,
    prepared: number,
  ): void;
}
