// The WebAssembly SIMD backend of the Kernels interface (src/model/kernels.ts), float32 only:
// buffers from alloc() are views into a wasm memory ("arena") and each kernel is one call into
// kernels.as with byte addresses, no copying. Not the arithmetic (kernels.as) nor the module
// loading (kernelsModule.ts).
// Memory: a wasm memory never grows once views into it exist (growing detaches every view), so an
// arena is created with room to spare (64 MiB of address space, touched only as used) and a new
// one is opened when it is full; a buffer too large for any wasm memory is a plain typed array. Arrays from another arena or from outside (plain typed
// arrays) are copied into free space of the output's arena for the call; when even that is not
// possible the call runs on the TypeScript kernels, counted in `stats.fallbackCalls`.
import type { FloatArray, Kernels } from '../kernels.ts';
import { createTsKernels } from '../tsKernels.ts';
import { kernelsModule, type KernelsVariant } from './kernelsModule.ts';

/** The functions kernels.as exports; every pointer is a byte address into the arena's memory. */
interface KernelExports {
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

interface Arena {
  x: KernelExports;
  buf: ArrayBuffer;
  f32: Float32Array;
  /** First free byte: alloc() hands out [.., top). */
  top: number;
  /** Scratch pointer of the current call, ≥ top; reset at every call. */
  tmp: number;
  end: number;
}

const PAGE_BYTES = 65536;
const ARENA_MIN_BYTES = 64 * 1024 * 1024;
/** 2 GiB: what every engine with wasm32 grants one memory (4 GiB in some, 2 GiB in others). */
const MAX_ARENA_PAGES = 32768;
const ALIGN_BYTES = 64;
/** Products this thin (K or N ≤ THIN, the input-size side X) are reshaped to run as 2×16 tiles. */
const THIN = 8;

/** Counters a test or benchmark can read to prove the fast path really ran. */
export interface WasmKernelStats {
  wasmCalls: number;
  /** Calls that copied an operand into the arena first. */
  stagedCalls: number;
  /** Calls that ran on the TypeScript kernels because operands could not be placed. */
  fallbackCalls: number;
  arenas: number;
}

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

const align = (bytes: number): number => Math.ceil(bytes / ALIGN_BYTES) * ALIGN_BYTES;

class WasmKernelSet implements WasmKernels {
  readonly name: string;
  readonly dtype = 'float32' as const;
  readonly stats: WasmKernelStats = { wasmCalls: 0, stagedCalls: 0, fallbackCalls: 0, arenas: 0 };
  private readonly module: WebAssembly.Module;
  private readonly arenas: Arena[] = [];
  private cur: Arena | null = null;
  private readonly ts = createTsKernels('float32');

  private readonly maxPages: number;
  /** kernels.as inferenceScratch(H, X) for the last H, X seen (one call into wasm fewer per live step). */
  private inferH = -1;
  private inferX = -1;
  private inferScratchN = 0;

  constructor(module: WebAssembly.Module, variant: KernelsVariant, maxArenaBytes: number) {
    this.module = module;
    this.name = `wasm-${variant}`;
    this.maxPages = Math.min(MAX_ARENA_PAGES, Math.floor(maxArenaBytes / PAGE_BYTES));
  }

  /** A new arena with room for minBytes (twice that, at least 64 MiB, when the engine allows); null if none fits. */
  private openArena(minBytes: number): Arena | null {
    const want = Math.min(
      this.maxPages,
      Math.ceil(Math.max(ARENA_MIN_BYTES, 2 * minBytes + PAGE_BYTES) / PAGE_BYTES),
    );
    const need = Math.ceil((minBytes + PAGE_BYTES) / PAGE_BYTES);
    if (need > this.maxPages) return null;
    let memory: WebAssembly.Memory;
    let pages = want;
    try {
      memory = new WebAssembly.Memory({ initial: pages });
    } catch {
      try {
        pages = need;
        memory = new WebAssembly.Memory({ initial: pages });
      } catch {
        return null;
      }
    }
    const instance = new WebAssembly.Instance(this.module, { env: { memory } });
    const x = instance.exports as unknown as KernelExports;
    const top = align(x.heapBase());
    const arena: Arena = {
      x,
      buf: memory.buffer,
      f32: new Float32Array(memory.buffer),
      top,
      tmp: top,
      end: pages * PAGE_BYTES,
    };
    this.arenas.push(arena);
    this.cur = arena;
    this.stats.arenas++;
    return arena;
  }

  alloc(n: number): Float32Array {
    const bytes = align(Math.max(1, n) * 4);
    let ar = this.cur;
    if (!ar || ar.top + bytes > ar.end) ar = this.openArena(bytes);
    // Too large for any wasm memory: a plain array still works, its products run on TypeScript.
    if (!ar) return new Float32Array(n);
    const view = new Float32Array(ar.buf, ar.top, n);
    ar.top += bytes;
    ar.tmp = ar.top;
    return view;
  }

  /** The arena holding `arr`, or null for arrays from elsewhere. Resets the call's scratch space. */
  private arenaOf(arr: FloatArray): Arena | null {
    const cur = this.cur;
    let ar: Arena | null = null;
    if (cur && arr.buffer === cur.buf) ar = cur;
    else for (const a of this.arenas) if (arr.buffer === a.buf) ar = a;
    if (ar) ar.tmp = ar.top;
    return ar;
  }

  /** Byte address of arr[off..off+n) inside `ar`, copying it into scratch space if needed; −1 if no room. */
  private ptr(ar: Arena, arr: FloatArray, off: number, n: number): number {
    if (arr.buffer === ar.buf) return arr.byteOffset + off * 4;
    const bytes = align(n * 4);
    if (ar.tmp + bytes > ar.end) return -1;
    const at = ar.tmp;
    ar.f32.set(arr.subarray(off, off + n), at >> 2);
    ar.tmp += bytes;
    this.stats.stagedCalls++;
    return at;
  }

  /** Byte address of n floats of scratch space in `ar` for this call, or −1 if there is no room. */
  private scratch(ar: Arena, n: number): number {
    const bytes = align(n * 4);
    if (ar.tmp + bytes > ar.end) return -1;
    const at = ar.tmp;
    ar.tmp += bytes;
    return at;
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
    const ar = this.arenaOf(out);
    if (ar && M > 0 && N > 0) {
      const pa = this.ptr(ar, a, ao, M * K);
      const pb = pa < 0 ? -1 : this.ptr(ar, b, bo, N * K);
      if (pb >= 0 && K <= THIN && M >= 16) {
        // x·Wᵀ with few inputs: dot products of length K would be all reduction, so transpose the
        // small weight (N,K) into scratch and broadcast instead.
        const bT = this.scratch(ar, K * N);
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
    const ar = this.arenaOf(out);
    if (ar && M > 0 && N > 0) {
      const pa = this.ptr(ar, a, ao, M * K);
      const pb = pa < 0 ? -1 : this.ptr(ar, b, bo, K * N);
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
    const ar = this.arenaOf(out);
    if (ar && M > 0 && N > 0) {
      const pa = this.ptr(ar, a, ao, K * M);
      const pb = pa < 0 ? -1 : this.ptr(ar, b, bo, K * N);
      if (pb >= 0 && N <= THIN && M >= 16) {
        // ∂W for few inputs: out(M,N) with N tiny has short rows; compute outᵀ(N,M) = Bᵀ·A with
        // M-wide rows in scratch and add it back transposed.
        const outT = this.scratch(ar, N * M);
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
    const ar = this.arenaOf(rows);
    if (ar) {
      const pb = this.ptr(ar, bias, bo, N);
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
    const ar = this.arenaOf(out);
    if (ar) {
      const pa = this.ptr(ar, a, ao, M * N);
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
    const ar = this.arenaOf(gates);
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
    const ar = this.arenaOf(dGates);
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
    const ar = this.arenaOf(gi);
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
    const ar = this.arenaOf(dGi);
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
    const ar = this.arenaOf(hNext);
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
    const ar = this.arenaOf(dPre);
    if (ar && dh.buffer === ar.buf && hNext.buffer === ar.buf) {
      this.stats.wasmCalls++;
      ar.x.rnnBackward(dPre.byteOffset + dpo * 4, dh.byteOffset + dho * 4, hNext.byteOffset + hno * 4, B * H);
      return;
    }
    this.stats.fallbackCalls++;
    this.ts.rnnBackward(dPre, dpo, dh, dho, hNext, hno, B, H);
  }

  lstmRecurrence(
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
    hZero = false,
  ): boolean {
    const ar = this.arenaOf(gates);
    if (ar && hs.buffer === ar.buf && cs.buffer === ar.buf && tanhC.buffer === ar.buf) {
      const pw = this.ptr(ar, w, wo, 4 * H * H);
      const pt = pw < 0 ? -1 : this.ptr(ar, whhT, 0, 4 * H * H);
      if (pt >= 0) {
        this.stats.wasmCalls++;
        ar.x.lstmRecurrence(
          gates.byteOffset + go * 4,
          hs.byteOffset + ho * 4,
          cs.byteOffset + co * 4,
          tanhC.byteOffset + tco * 4,
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
    const ar = this.arenaOf(out);
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
  ): boolean {
    const ar = this.arenaOf(h);
    if (
      ar &&
      c.buffer === ar.buf &&
      (hsOut === null || hsOut.buffer === ar.buf) &&
      p.buffer === ar.buf &&
      B > 0
    ) {
      const px = this.ptr(ar, x, xo, T * B * X);
      // Always room for the transposed weights: kernels.as decides whether to make them.
      if (this.inferH !== H || this.inferX !== X) {
        this.inferH = H;
        this.inferX = X;
        this.inferScratchN = ar.x.inferenceScratch(H, X);
      }
      const scratch = px < 0 ? -1 : this.scratch(ar, this.inferScratchN);
      if (scratch >= 0) {
        this.stats.wasmCalls++;
        const pp = p.byteOffset;
        ar.x.lstmInference(
          px,
          X,
          h.byteOffset + ho * 4,
          c.byteOffset + co * 4,
          hsOut ? hsOut.byteOffset + hso * 4 : 0,
          scratch,
          pp + wih * 4,
          pp + bih * 4,
          pp + bhh * 4,
          pp + whh * 4,
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
    const ar = this.arenaOf(h);
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
    const ar = this.arenaOf(out);
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
    needDh0 = true,
  ): boolean {
    const ar = this.arenaOf(dGates);
    const inArena = (a: FloatArray): boolean => ar !== null && a.buffer === ar.buf;
    if (
      ar &&
      inArena(dOut) &&
      inArena(dhRec) &&
      inArena(dcRec) &&
      inArena(dh) &&
      inArena(gates) &&
      inArena(cs) &&
      inArena(tanhC) &&
      inArena(whhT)
    ) {
      const pn = norms ? this.scratch(ar, 2 * T) : 0;
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
    let ar = this.cur;
    if (!ar || ar.top + 2 * align(4 * n) > ar.end) ar = this.openArena(2 * align(4 * n));
    if (!ar) throw new RangeError(`${n} values do not fit in a WebAssembly memory`);
    ar.tmp = ar.top;
    const pin = this.ptr(ar, x, 0, n);
    const pout = ar.tmp;
    ar.x[fn](pout, pin, n);
    out.set(ar.f32.subarray(pout >> 2, (pout >> 2) + n));
  }
}

/**
 * A new float32 kernel set backed by WebAssembly SIMD, with its own memory (freed with it), or
 * null when this JavaScript engine cannot run the module (see kernelsModuleFailure()).
 * `maxArenaBytes` (default and cap 2 GiB) bounds one wasm memory; tests lower it.
 */
export function createWasmKernels(opts: { maxArenaBytes?: number } = {}): WasmKernels | null {
  const compiled = kernelsModule();
  return compiled
    ? new WasmKernelSet(compiled.module, compiled.variant, opts.maxArenaBytes ?? 2 ** 31)
    : null;
}
