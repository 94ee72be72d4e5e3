// The WebAssembly SIMD backend of the Kernels contract (kernelContract.ts), float32 only: adapters
// that turn each kernel call into one call into kernels.as with byte addresses, no copying, on
// buffers alloc() placed in a wasm memory (arenas.ts). Arrays from another arena or from outside
// (plain typed arrays) are copied into free space of the output's arena for the call; when even
// that is not possible the call runs on the fallback kernels it was given (the TypeScript ones),
// counted in `stats.fallbackCalls`. Not the arithmetic (kernels.as) nor module loading (kernelsModule.ts).
import { arenaBytes, Arenas, type WasmKernelStats } from './arenas.ts';
import type { FloatArray, Kernels, LstmLayerBuffers, LstmWeightOffsets } from './kernelContract.ts';
import { kernelsModule, type KernelsVariant } from './kernelsModule.ts';

/** Products this thin (K or N ≤ THIN, the input-size side X) are reshaped to run as 2×16 tiles. */
const THIN = 8;

export interface WasmKernels extends Kernels {
  readonly stats: WasmKernelStats;
  lstmRecurrence: NonNullable<Kernels['lstmRecurrence']>;
  lstmBackwardRecurrence: NonNullable<Kernels['lstmBackwardRecurrence']>;
  lstmInference: NonNullable<Kernels['lstmInference']>;
  linearRows: NonNullable<Kernels['linearRows']>;
  bindLstmStep: NonNullable<Kernels['bindLstmStep']>;
  bindLinearRow: NonNullable<Kernels['bindLinearRow']>;
  /** tanh and σ as the kernels compute them (the rational approximation), for tests. */
  tanh(out: Float32Array, x: Float32Array): void;
  sigmoid(out: Float32Array, x: Float32Array): void;
}

class WasmKernelSet implements WasmKernels {
  readonly name: string;
  readonly dtype = 'float32' as const;
  readonly stats: WasmKernelStats;
  private readonly mem: Arenas;
  private readonly ts: Kernels;
  /** kernels.as inferenceScratch(H, X) for the last H, X seen (one call into wasm fewer per live step). */
  private inferH = -1;
  private inferX = -1;
  private inferScratchN = 0;

  constructor(module: WebAssembly.Module, variant: KernelsVariant, fallback: Kernels, maxArenaBytes: number) {
    this.mem = new Arenas(module, maxArenaBytes);
    this.stats = this.mem.stats;
    this.ts = fallback;
    this.name = `wasm-${variant}`;
  }

  alloc(n: number): Float32Array {
    return this.mem.alloc(n);
  }

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
  ): void {
    const ar = this.mem.of(out);
    if (ar && M > 0 && N > 0) {
      const pa = this.mem.ptr(ar, a, ao, M * K);
      const pb = pa < 0 ? -1 : this.mem.ptr(ar, b, bo, N * K);
      if (pb >= 0 && K <= THIN && M >= 16) {
        // x·Wᵀ with few inputs: dot products of length K would be all reduction, so transpose the
        // small weight (N,K) into scratch and broadcast instead.
        const bT = this.mem.scratch(ar, K * N);
        if (bT >= 0) {
          this.stats.wasmCalls++;
          ar.x.transpose(bT, pb, N, K, 0);
          ar.x.gemmBroadcast(out.byteOffset + oo * 4, pa, bT, M, K, N, K, 1);
          return;
        }
      }
      if (pb >= 0) {
        this.stats.wasmCalls++;
        ar.x.gemmNT(out.byteOffset + oo * 4, pa, pb, M, K, N);
        return;
      }
    }
    this.stats.fallbackCalls++;
    this.ts.matmulNT(out, oo, a, ao, b, bo, M, K, N);
  }

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
  ): void {
    const ar = this.mem.of(out);
    if (ar && M > 0 && N > 0) {
      const pa = this.mem.ptr(ar, a, ao, M * K);
      const pb = pa < 0 ? -1 : this.mem.ptr(ar, b, bo, K * N);
      if (pb >= 0) {
        this.stats.wasmCalls++;
        ar.x.gemmBroadcast(out.byteOffset + oo * 4, pa, pb, M, K, N, K, 1);
        return;
      }
    }
    this.stats.fallbackCalls++;
    this.ts.matmulNN(out, oo, a, ao, b, bo, M, K, N);
  }

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
  ): void {
    const ar = this.mem.of(out);
    if (ar && M > 0 && N > 0) {
      const pa = this.mem.ptr(ar, a, ao, K * M);
      const pb = pa < 0 ? -1 : this.mem.ptr(ar, b, bo, K * N);
      if (pb >= 0 && N <= THIN && M >= 16) {
        // ∂W for few inputs: out(M,N) with N tiny has short rows; compute outᵀ(N,M) = Bᵀ·A with
        // M-wide rows in scratch and add it back transposed.
        const outT = this.mem.scratch(ar, N * M);
        if (outT >= 0) {
          this.stats.wasmCalls++;
          ar.f32.fill(0, outT >> 2, (outT >> 2) + N * M);
          ar.x.gemmBroadcast(outT, pb, pa, N, K, M, 1, N);
          ar.x.transpose(out.byteOffset + oo * 4, outT, N, M, 1);
          return;
        }
      }
      if (pb >= 0) {
        this.stats.wasmCalls++;
        ar.x.gemmBroadcast(out.byteOffset + oo * 4, pa, pb, M, K, N, 1, M);
        return;
      }
    }
    this.stats.fallbackCalls++;
    this.ts.matmulTN(out, oo, a, ao, b, bo, M, K, N);
  }

  addRowBias(rows: FloatArray, ro: number, bias: FloatArray, bo: number, M: number, N: number): void {
    const ar = this.mem.of(rows);
    if (ar) {
      const pb = this.mem.ptr(ar, bias, bo, N);
      if (pb >= 0) {
        this.stats.wasmCalls++;
        ar.x.addRowBias(rows.byteOffset + ro * 4, pb, M, N);
        return;
      }
    }
    this.stats.fallbackCalls++;
    this.ts.addRowBias(rows, ro, bias, bo, M, N);
  }

  sumRows(out: FloatArray, oo: number, a: FloatArray, ao: number, M: number, N: number): void {
    const ar = this.mem.of(out);
    if (ar) {
      const pa = this.mem.ptr(ar, a, ao, M * N);
      if (pa >= 0) {
        this.stats.wasmCalls++;
        ar.x.sumRows(out.byteOffset + oo * 4, pa, M, N);
        return;
      }
    }
    this.stats.fallbackCalls++;
    this.ts.sumRows(out, oo, a, ao, M, N);
  }

  // The pointwise kernels write several outputs, so they run in wasm only when every buffer already
  // lives in one arena (always true for buffers the engine allocated through alloc()).
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
  ): void {
    const ar = this.mem.of(gates);
    if (
      ar &&
      cPrev.buffer === ar.buf &&
      cNext.buffer === ar.buf &&
      tanhC.buffer === ar.buf &&
      hNext.buffer === ar.buf
    ) {
      this.stats.wasmCalls++;
      ar.x.lstmForward(
        gates.byteOffset + go * 4,
        cPrev.byteOffset + cpo * 4,
        cNext.byteOffset + cno * 4,
        tanhC.byteOffset + tco * 4,
        hNext.byteOffset + hno * 4,
        B,
        H,
      );
      return;
    }
    this.stats.fallbackCalls++;
    this.ts.lstmForward(gates, go, cPrev, cpo, cNext, cno, tanhC, tco, hNext, hno, B, H);
  }

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
  ): void {
    const ar = this.mem.of(dGates);
    if (
      ar &&
      dc.buffer === ar.buf &&
      dh.buffer === ar.buf &&
      gates.buffer === ar.buf &&
      cPrev.buffer === ar.buf &&
      tanhC.buffer === ar.buf
    ) {
      this.stats.wasmCalls++;
      ar.x.lstmBackward(
        dGates.byteOffset + dgo * 4,
        dc.byteOffset + dco * 4,
        dh.byteOffset + dho * 4,
        gates.byteOffset + go * 4,
        cPrev.byteOffset + cpo * 4,
        tanhC.byteOffset + tco * 4,
        B,
        H,
      );
      return;
    }
    this.stats.fallbackCalls++;
    this.ts.lstmBackward(dGates, dgo, dc, dco, dh, dho, gates, go, cPrev, cpo, tanhC, tco, B, H);
  }

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
  ): void {
    const ar = this.mem.of(gi);
    if (ar && gh.buffer === ar.buf && hPrev.buffer === ar.buf && hNext.buffer === ar.buf) {
      this.stats.wasmCalls++;
      ar.x.gruForward(
        gi.byteOffset + gio * 4,
        gh.byteOffset + gho * 4,
        hPrev.byteOffset + hpo * 4,
        hNext.byteOffset + hno * 4,
        B,
        H,
      );
      return;
    }
    this.stats.fallbackCalls++;
    this.ts.gruForward(gi, gio, gh, gho, hPrev, hpo, hNext, hno, B, H);
  }

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
  ): void {
    const ar = this.mem.of(dGi);
    if (
      ar &&
      dGh.buffer === ar.buf &&
      dhPrev.buffer === ar.buf &&
      dh.buffer === ar.buf &&
      gi.buffer === ar.buf &&
      gh.buffer === ar.buf &&
      hPrev.buffer === ar.buf
    ) {
      this.stats.wasmCalls++;
      ar.x.gruBackward(
        dGi.byteOffset + dgio * 4,
        dGh.byteOffset + dgho * 4,
        dhPrev.byteOffset + dhpo * 4,
        dh.byteOffset + dho * 4,
        gi.byteOffset + gio * 4,
        gh.byteOffset + gho * 4,
        hPrev.byteOffset + hpo * 4,
        B,
        H,
      );
      return;
    }
    this.stats.fallbackCalls++;
    this.ts.gruBackward(dGi, dgio, dGh, dgho, dhPrev, dhpo, dh, dho, gi, gio, gh, gho, hPrev, hpo, B, H);
  }

  rnnForward(pre: FloatArray, po: number, hNext: FloatArray, hno: number, B: number, H: number): void {
    const ar = this.mem.of(hNext);
    if (ar && pre.buffer === ar.buf) {
      this.stats.wasmCalls++;
      ar.x.rnnForward(pre.byteOffset + po * 4, hNext.byteOffset + hno * 4, B * H);
      return;
    }
    this.stats.fallbackCalls++;
    this.ts.rnnForward(pre, po, hNext, hno, B, H);
  }

  rnnBackward(
    dPre: FloatArray,
    dpo: number,
    dh: FloatArray,
    dho: number,
    hNext: FloatArray,
    hno: number,
    B: number,
    H: number,
  ): void {
    const ar = this.mem.of(dPre);
    if (ar && dh.buffer === ar.buf && hNext.buffer === ar.buf) {
      this.stats.wasmCalls++;
      ar.x.rnnBackward(dPre.byteOffset + dpo * 4, dh.byteOffset + dho * 4, hNext.byteOffset + hno * 4, B * H);
      return;
    }
    this.stats.fallbackCalls++;
    this.ts.rnnBackward(dPre, dpo, dh, dho, hNext, hno, B, H);
  }

  lstmRecurrence(
    buf: LstmLayerBuffers,
    p: FloatArray,
    whh: number,
    B: number,
    T: number,
    H: number,
    hZero = false,
  ): boolean {
    const { gates, hs, cs, tanhC } = buf;
    const ar = this.mem.of(gates);
    if (ar && hs.buffer === ar.buf && cs.buffer === ar.buf && tanhC.buffer === ar.buf) {
      const pw = this.mem.ptr(ar, p, whh, 4 * H * H);
      const pt = pw < 0 ? -1 : this.mem.ptr(ar, buf.whhT, 0, 4 * H * H);
      if (pt >= 0) {
        this.stats.wasmCalls++;
        ar.x.lstmRecurrence(
          gates.byteOffset,
          hs.byteOffset,
          cs.byteOffset,
          tanhC.byteOffset,
          pw,
          pt,
          B,
          T,
          H,
          hZero ? 1 : 0,
        );
        return true;
      }
    }
    this.stats.fallbackCalls++;
    return false;
  }

  linearRows(
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
  ): void {
    const ar = this.mem.of(out);
    if (ar && a.buffer === ar.buf && w.buffer === ar.buf && bias.buffer === ar.buf) {
      this.stats.wasmCalls++;
      ar.x.linearRows(
        out.byteOffset + oo * 4,
        a.byteOffset + ao * 4,
        w.byteOffset + wo * 4,
        bias.byteOffset + bo * 4,
        M,
        K,
        N,
      );
      return;
    }
    this.stats.fallbackCalls++;
    for (let i = 0; i < M; i++) out.set(bias.subarray(bo, bo + N), oo + i * N);
    this.ts.matmulNT(out, oo, a, ao, w, wo, M, K, N);
  }

  lstmInference(
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
  ): boolean {
    const { hs, cs } = buf;
    const ar = this.mem.of(hs);
    if (ar && cs.buffer === ar.buf && p.buffer === ar.buf && B > 0) {
      const px = this.mem.ptr(ar, x, xo, T * B * X);
      // Always room for the transposed weights: kernels.as decides whether to make them.
      if (this.inferH !== H || this.inferX !== X) {
        this.inferH = H;
        this.inferX = X;
        this.inferScratchN = ar.x.inferenceScratch(H, X);
      }
      const scratch = px < 0 ? -1 : this.mem.scratch(ar, this.inferScratchN);
      if (scratch >= 0) {
        this.stats.wasmCalls++;
        const pp = p.byteOffset;
        ar.x.lstmInference(
          px,
          X,
          hs.byteOffset,
          cs.byteOffset,
          keepSteps ? hs.byteOffset + B * H * 4 : 0,
          scratch,
          pp + w.Wih * 4,
          pp + w.bih * 4,
          pp + w.bhh * 4,
          pp + w.Whh * 4,
          B,
          T,
          H,
          hZero ? 1 : 0,
          0,
        );
        return true;
      }
    }
    this.stats.fallbackCalls++;
    return false;
  }

  bindLstmStep(
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
  ): (() => void) | null {
    const ar = this.mem.of(h);
    if (!ar || ![x, c, p, prepared].every((a) => a.buffer === ar.buf)) return null;
    // Its own scratch, so later allocations cannot land on it; in the same memory or not at all.
    const scratch = this.alloc(ar.x.inferenceScratch(H, X));
    if (scratch.buffer !== ar.buf) return null;
    const ex = ar.x;
    const [px, ph, pc, ps, pr] = [x, h, c, scratch, prepared].map((a) => a.byteOffset);
    const pp = p.byteOffset;
    const stats = this.stats;
    return () => {
      stats.wasmCalls++;
      ex.lstmInference(
        px,
        X,
        ph,
        pc,
        0,
        ps,
        pp + wih * 4,
        pp + bih * 4,
        pp + bhh * 4,
        pp + whh * 4,
        1,
        1,
        H,
        0,
        pr,
      );
    };
  }

  bindLinearRow(
    out: FloatArray,
    a: FloatArray,
    w: FloatArray,
    wo: number,
    bias: FloatArray,
    bo: number,
    K: number,
    N: number,
  ): (() => void) | null {
    const ar = this.mem.of(out);
    if (!ar || ![a, w, bias].every((v) => v.buffer === ar.buf)) return null;
    const ex = ar.x;
    const [po, pa, pw, pb] = [out.byteOffset, a.byteOffset, w.byteOffset + wo * 4, bias.byteOffset + bo * 4];
    const stats = this.stats;
    return () => {
      stats.wasmCalls++;
      ex.linearRows(po, pa, pw, pb, 1, K, N);
    };
  }

  lstmBackwardRecurrence(
    buf: LstmLayerBuffers,
    dOut: FloatArray,
    norms: Float64Array | null,
    B: number,
    T: number,
    H: number,
    tbpttK: number,
    needDh0 = true,
  ): boolean {
    const { dGates, dhRec, dcRec, dh, gates, cs, tanhC, whhT } = buf;
    const ar = this.mem.of(dGates);
    if (
      ar &&
      dOut.buffer === ar.buf &&
      dhRec.buffer === ar.buf &&
      dcRec.buffer === ar.buf &&
      dh.buffer === ar.buf &&
      gates.buffer === ar.buf &&
      cs.buffer === ar.buf &&
      tanhC.buffer === ar.buf &&
      whhT.buffer === ar.buf
    ) {
      const pn = norms ? this.mem.scratch(ar, 2 * T) : 0;
      if (pn >= 0) {
        this.stats.wasmCalls++;
        ar.x.lstmBackwardRecurrence(
          dGates.byteOffset,
          dOut.byteOffset,
          dhRec.byteOffset,
          dcRec.byteOffset,
          dh.byteOffset,
          gates.byteOffset,
          cs.byteOffset,
          tanhC.byteOffset,
          whhT.byteOffset,
          pn,
          B,
          T,
          H,
          tbpttK,
          needDh0 ? 1 : 0,
        );
        if (norms) norms.set(new Float64Array(ar.buf, pn, T));
        return true;
      }
    }
    this.stats.fallbackCalls++;
    return false;
  }

  tanh(out: Float32Array, x: Float32Array): void {
    this.elementwise(out, x, 'tanhArray');
  }

  sigmoid(out: Float32Array, x: Float32Array): void {
    this.elementwise(out, x, 'sigmoidArray');
  }

  private elementwise(out: Float32Array, x: Float32Array, fn: 'tanhArray' | 'sigmoidArray'): void {
    const n = x.length;
    const ar = this.mem.withScratch(2 * arenaBytes(n));
    if (!ar) throw new RangeError(`${n} values do not fit in a WebAssembly memory`);
    const pin = this.mem.ptr(ar, x, 0, n);
    const pout = ar.tmp;
    ar.x[fn](pout, pin, n);
    out.set(ar.f32.subarray(pout >> 2, (pout >> 2) + n));
  }
}

/**
 * A new float32 kernel set backed by WebAssembly SIMD, with its own memory (freed with it), or
 * null when this JavaScript engine cannot run the module (see kernelsModuleFailure()). Calls it
 * cannot place in its memory run on `fallback` (float32 kernels: src/model/defaultKernels.ts
 * passes the TypeScript ones). `maxArenaBytes` (default and cap 2 GiB) bounds one wasm memory;
 * tests lower it.
 */
export function createWasmKernels(
  fallback: Kernels,
  opts: { maxArenaBytes?: number } = {},
): WasmKernels | null {
  const compiled = kernelsModule();
  return compiled
    ? new WasmKernelSet(compiled.module, compiled.variant, fallback, opts.maxArenaBytes ?? 2 ** 31)
    : null;
}
