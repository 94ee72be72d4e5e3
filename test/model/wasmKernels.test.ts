// The WebAssembly SIMD kernels agree with the naive TypeScript reference (naiveKernels.ts,
// gates.ts) on random data at odd and edge sizes, their fast tanh/σ stay within the error budget
// the PyTorch fixtures allow, and their memory keeps every handed-out view valid.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/model/model.ts';
import { createStepper } from '../../src/model/stepper.ts';
import type { FloatArray, LstmLayerBuffers } from '../../src/model/kernels.ts';
import { createNaiveKernels } from '../../src/model/naiveKernels.ts';
import { seededRandom } from '../../src/model/random.ts';
import { createTsKernels } from '../../src/model/tsKernels.ts';
import {
  kernelsModule,
  kernelsModuleFailure,
  loadKernelsModule,
} from '../../src/model/wasm/kernelsModule.ts';
import { createWasmKernels, type WasmKernels } from '../../src/model/wasm/wasmKernels.ts';
import { expectClose } from '../helpers.ts';

const naive = createNaiveKernels('float64');

function wasm(): WasmKernels {
  const k = createWasmKernels(createTsKernels('float32'));
  if (!k) throw new Error('this Node cannot run the WebAssembly SIMD kernels');
  return k;
}

/** A wasm buffer of n random values in [−1, 1) and its Float64 twin for the reference. */
function randomPair(k: WasmKernels, n: number, rnd: () => number): [Float32Array, Float64Array] {
  const a = k.alloc(n) as Float32Array;
  for (let i = 0; i < n; i++) a[i] = 2 * rnd() - 1;
  return [a, Float64Array.from(a)];
}

/** An LSTM layer's buffers for B × T × H: the arrays given, the rest fresh from `k.alloc`. */
function layerBuffers(
  k: { alloc(n: number): FloatArray },
  B: number,
  T: number,
  H: number,
  given: Partial<LstmLayerBuffers>,
): LstmLayerBuffers {
  const G = 4 * H;
  return {
    gates: given.gates ?? k.alloc(T * B * G),
    hs: given.hs ?? k.alloc((T + 1) * B * H),
    cs: given.cs ?? k.alloc((T + 1) * B * H),
    tanhC: given.tanhC ?? k.alloc(T * B * H),
    whhT: given.whhT ?? k.alloc(H * G),
    dGates: given.dGates ?? k.alloc(T * B * G),
    dh: given.dh ?? k.alloc(B * H),
    dhRec: given.dhRec ?? k.alloc(B * H),
    dcRec: given.dcRec ?? k.alloc(B * H),
  };
}

const SIZES = [1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 32, 33, 64, 67];

describe('wasm SIMD tanh and sigmoid', () => {
  it('stay within 4e-7 of Math.tanh and the exact logistic on [−20, 20]', () => {
    const k = wasm();
    const n = 400001;
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = -20 + (40 * i) / (n - 1);
    const t = new Float32Array(n);
    const s = new Float32Array(n);
    k.tanh(t, x);
    k.sigmoid(s, x);
    expectClose(
      t,
      Array.from(x, (v) => Math.tanh(v)),
      4e-7,
      'tanh',
    );
    expectClose(
      s,
      Array.from(x, (v) => 1 / (1 + Math.exp(-v))),
      4e-7,
      'sigmoid',
    );
  });

  it('saturate within 3e-7 of ±1 for infinite input and propagate NaN', () => {
    const k = wasm();
    const out = new Float32Array(5);
    k.tanh(out, Float32Array.of(Infinity, -Infinity, NaN, 0, 1e-30));
    expectClose(out.subarray(0, 2), [1, -1], 3e-7, 'tanh(±∞)');
    expect(out[2]).toBeNaN();
    expect(out[3]).toBe(0);
  });
});

describe('wasm SIMD matrix products', () => {
  const forms = ['matmulNT', 'matmulNN', 'matmulTN'] as const;
  for (const form of forms) {
    it(`${form} accumulates the same products as the naive loops at odd and edge sizes`, () => {
      const k = wasm();
      const rnd = seededRandom(7);
      const pick = (): number => SIZES[Math.floor(rnd() * SIZES.length)];
      for (let trial = 0; trial < 60; trial++) {
        const M = trial < SIZES.length ? SIZES[trial] : pick();
        const K = trial < SIZES.length ? SIZES[(trial + 5) % SIZES.length] : pick();
        const N = trial < SIZES.length ? SIZES[(trial + 9) % SIZES.length] : pick();
        const oo = trial % 3;
        const ao = (trial * 7) % 5;
        const bo = (trial * 3) % 4;
        const [out, out64] = randomPair(k, oo + M * N, rnd);
        const [a, a64] = randomPair(k, ao + M * K, rnd);
        const [b, b64] = randomPair(k, bo + K * N, rnd);
        k[form](out, oo, a, ao, b, bo, M, K, N);
        naive[form](out64, oo, a64, ao, b64, bo, M, K, N);
        expectClose(out, out64, 2e-6 * K + 1e-6, `${form} M=${M} K=${K} N=${N}`);
      }
      expect(k.stats.fallbackCalls).toBe(0);
      expect(k.stats.wasmCalls).toBe(60);
    });
  }

  it('addRowBias and sumRows match the reference', () => {
    const k = wasm();
    const rnd = seededRandom(3);
    for (const [M, N] of [
      [1, 1],
      [3, 5],
      [4, 16],
      [7, 33],
    ]) {
      const [rows, rows64] = randomPair(k, 1 + M * N, rnd);
      const [bias, bias64] = randomPair(k, 2 + N, rnd);
      k.addRowBias(rows, 1, bias, 2, M, N);
      naive.addRowBias(rows64, 1, bias64, 2, M, N);
      expectClose(rows, rows64, 1e-6, `addRowBias ${M}x${N}`);
      const [sum, sum64] = randomPair(k, N, rnd);
      k.sumRows(sum, 0, rows, 1, M, N);
      naive.sumRows(sum64, 0, rows64, 1, M, N);
      expectClose(sum, sum64, 1e-5, `sumRows ${M}x${N}`);
    }
    expect(k.stats.fallbackCalls).toBe(0);
  });

  it('copies operands that live outside its memory into it, and falls back for outside outputs', () => {
    const k = wasm();
    const rnd = seededRandom(11);
    const M = 5,
      K = 9,
      N = 6;
    const [out, out64] = randomPair(k, M * N, rnd);
    const a = Float32Array.from({ length: M * K }, () => rnd() - 0.5);
    const [b, b64] = randomPair(k, N * K, rnd);
    k.matmulNT(out, 0, a, 0, b, 0, M, K, N);
    naive.matmulNT(out64, 0, Float64Array.from(a), 0, b64, 0, M, K, N);
    expectClose(out, out64, 1e-5, 'staged A');
    expect(k.stats.stagedCalls).toBe(1);
    const plainOut = Float32Array.from(out);
    k.matmulNT(plainOut, 0, a, 0, b, 0, M, K, N);
    naive.matmulNT(out64, 0, Float64Array.from(a), 0, b64, 0, M, K, N);
    expectClose(plainOut, out64, 1e-5, 'fallback');
    expect(k.stats.fallbackCalls).toBe(1);
  });
});

describe('wasm SIMD gate kernels', () => {
  for (const H of [1, 3, 4, 5, 8, 13, 64]) {
    it(`LSTM, GRU and RNN forward and backward match gates.ts at H=${H}`, () => {
      const k = wasm();
      const rnd = seededRandom(100 + H);
      const B = 3;
      const big = (n: number): [Float32Array, Float64Array] => {
        const [a, a64] = randomPair(k, n, rnd);
        for (let i = 0; i < n; i++) a64[i] = a[i] = 4 * a[i];
        return [a, a64];
      };
      // LSTM forward: gates pre → activated, c', tanh(c'), h'
      const [g, g64] = big(4 * B * H);
      const [cp, cp64] = randomPair(k, B * H, rnd);
      const [cn, cn64] = randomPair(k, B * H, rnd);
      const [tc, tc64] = randomPair(k, B * H, rnd);
      const [hn, hn64] = randomPair(k, B * H, rnd);
      k.lstmForward(g, 0, cp, 0, cn, 0, tc, 0, hn, 0, B, H);
      naive.lstmForward(g64, 0, cp64, 0, cn64, 0, tc64, 0, hn64, 0, B, H);
      for (const [w, r, name] of [
        [g, g64, 'gates'],
        [cn, cn64, 'c'],
        [tc, tc64, 'tanhC'],
        [hn, hn64, 'h'],
      ] as const)
        expectClose(w, r, 1e-6, `lstmForward ${name}`);
      // LSTM backward from those activations (the float32 ones, so both sides see the same input)
      const g2 = Float64Array.from(g);
      const tc2 = Float64Array.from(tc);
      const [dg, dg64] = randomPair(k, 4 * B * H, rnd);
      const [dc, dc64] = randomPair(k, B * H, rnd);
      const [dh, dh64] = randomPair(k, B * H, rnd);
      k.lstmBackward(dg, 0, dc, 0, dh, 0, g, 0, cp, 0, tc, 0, B, H);
      naive.lstmBackward(dg64, 0, dc64, 0, dh64, 0, g2, 0, cp64, 0, tc2, 0, B, H);
      expectClose(dg, dg64, 1e-6, 'lstmBackward dGates');
      expectClose(dc, dc64, 1e-6, 'lstmBackward dc');
      // GRU
      const [gi, gi64] = big(3 * B * H);
      const [gh, gh64] = big(3 * B * H);
      const [hp, hp64] = randomPair(k, B * H, rnd);
      k.gruForward(gi, 0, gh, 0, hp, 0, hn, 0, B, H);
      naive.gruForward(gi64, 0, gh64, 0, hp64, 0, hn64, 0, B, H);
      expectClose(gi, gi64, 1e-6, 'gruForward gates');
      expectClose(hn, hn64, 1e-6, 'gruForward h');
      const gi2 = Float64Array.from(gi);
      const [dgi, dgi64] = randomPair(k, 3 * B * H, rnd);
      const [dgh, dgh64] = randomPair(k, 3 * B * H, rnd);
      const [dhp, dhp64] = randomPair(k, B * H, rnd);
      k.gruBackward(dgi, 0, dgh, 0, dhp, 0, dh, 0, gi, 0, gh, 0, hp, 0, B, H);
      naive.gruBackward(dgi64, 0, dgh64, 0, dhp64, 0, dh64, 0, gi2, 0, gh64, 0, hp64, 0, B, H);
      expectClose(dgi, dgi64, 1e-6, 'gruBackward dGi');
      expectClose(dgh, dgh64, 1e-6, 'gruBackward dGh');
      expectClose(dhp, dhp64, 1e-6, 'gruBackward dhPrev');
      // RNN
      const [pre, pre64] = big(B * H);
      k.rnnForward(pre, 0, hn, 0, B, H);
      naive.rnnForward(pre64, 0, hn64, 0, B, H);
      expectClose(hn, hn64, 1e-6, 'rnnForward');
      const hn2 = Float64Array.from(hn);
      k.rnnBackward(dg, 0, dh, 0, hn, 0, B, H);
      naive.rnnBackward(dg64, 0, dh64, 0, hn2, 0, B, H);
      expectClose(dg.subarray(0, B * H), dg64.subarray(0, B * H), 1e-6, 'rnnBackward');
      expect(k.stats.fallbackCalls).toBe(0);
    });
  }
});

describe('the wasm kernel module', () => {
  it('compiles once, synchronously or asynchronously (the page may need the latter), to the same module', async () => {
    const sync = kernelsModule();
    expect(sync).not.toBeNull();
    expect(kernelsModuleFailure()).toBe('');
    expect(await loadKernelsModule()).toBe(sync);
    expect(['simd', 'relaxed-simd']).toContain(sync!.variant);
  });
});

describe('wasm kernel memory', () => {
  it('hands out a plain array, still computed correctly, for a buffer no wasm memory can hold', () => {
    const k = createWasmKernels(createTsKernels('float32'), { maxArenaBytes: 64 * 1024 * 1024 })!;
    const tooBig = k.alloc(20_000_000); // 80 MB: past this kernel set's 64 MiB limit per memory
    expect(tooBig.length).toBe(20_000_000);
    expect(k.stats.arenas).toBe(0);
    const a = k.alloc(4) as Float32Array;
    a.set([1, 2, 3, 4]);
    tooBig.set([1, 1, 1, 1]);
    const out = k.alloc(1) as Float32Array;
    k.matmulNT(out, 0, a, 0, tooBig, 0, 1, 4, 1);
    expect(out[0]).toBe(10);
    k.matmulNT(tooBig, 0, a, 0, a, 0, 1, 4, 1);
    expect(tooBig[0]).toBe(31);
    expect(k.stats.fallbackCalls).toBe(1);
  });

  it('keeps earlier views valid when a full arena makes it open another', () => {
    const k = wasm();
    const first = k.alloc(1000) as Float32Array;
    first.fill(3);
    const huge = k.alloc(20_000_000); // 80 MB: more than the first arena holds
    expect(k.stats.arenas).toBe(2);
    expect(first.length).toBe(1000);
    expect(first[999]).toBe(3);
    expect(huge.length).toBe(20_000_000);
    // A product whose output lives in the new arena and operand in the old one still runs in wasm.
    const out = k.alloc(4) as Float32Array;
    k.matmulNT(out, 0, first, 0, first, 4, 1, 4, 1);
    expect(out[0]).toBe(36);
    expect(k.stats.fallbackCalls).toBe(0);
  });
});

describe('wasm SIMD fused LSTM kernels', () => {
  for (const [B, T, H] of [
    [1, 1, 5],
    [3, 4, 7],
    [2, 6, 64],
    [5, 3, 9],
    // From 16 rows × steps and up to H = 64 the products run in broadcast form on whhT.
    [4, 6, 9],
    [3, 8, 64],
    [4, 4, 128],
  ]) {
    it(`lstmRecurrence equals T unfused steps of the reference at B=${B} T=${T} H=${H}`, () => {
      const k = wasm();
      const rnd = seededRandom(B * 100 + T * 10 + H);
      const G = 4 * H;
      const [gates, gates64] = randomPair(k, T * B * G, rnd);
      const [hs, hs64] = randomPair(k, (T + 1) * B * H, rnd);
      const [cs, cs64] = randomPair(k, (T + 1) * B * H, rnd);
      const [tc, tc64] = randomPair(k, T * B * H, rnd);
      const [w, w64] = randomPair(k, 3 + G * H, rnd);
      const whhT = k.alloc(H * G);
      for (let r = 0; r < G; r++) for (let j = 0; j < H; j++) whhT[j * G + r] = w[3 + r * H + j];
      k.lstmRecurrence(layerBuffers(k, B, T, H, { gates, hs, cs, tanhC: tc, whhT }), w, 3, B, T, H);
      for (let t = 0; t < T; t++) {
        naive.matmulNT(gates64, t * B * G, hs64, t * B * H, w64, 3, B, H, G);
        naive.lstmForward(
          gates64,
          t * B * G,
          cs64,
          t * B * H,
          cs64,
          (t + 1) * B * H,
          tc64,
          t * B * H,
          hs64,
          (t + 1) * B * H,
          B,
          H,
        );
      }
      // float32 rounding accumulates over the steps and over H-term dot products.
      const tol = 2e-6 * Math.max(1, T / 4) * Math.max(1, H / 64);
      expectClose(hs, hs64, tol, 'h');
      expectClose(cs, cs64, tol, 'c');
      expectClose(gates, gates64, tol, 'gates');
      expect(k.stats.fallbackCalls).toBe(0);
    });
  }
});

describe('wasm SIMD linearRows (the head in one call)', () => {
  for (const [M, K, N] of [
    [1, 64, 2],
    [1, 13, 5],
    [3, 7, 1],
    [2, 33, 8],
  ])
    it(`sets bias + A·Wᵀ (not accumulated) at M=${M} K=${K} N=${N}`, () => {
      const k = wasm();
      const rnd = seededRandom(M * 100 + K + N);
      const [a, a64] = randomPair(k, 1 + M * K, rnd);
      const [p, p64] = randomPair(k, 2 + N * K + N, rnd);
      const [out] = randomPair(k, 1 + M * N, rnd); // garbage to be overwritten
      k.linearRows(out, 1, a, 1, p, 2, p, 2 + N * K, M, K, N);
      const ref = new Float64Array(M * N);
      naive.addRowBias(ref, 0, p64, 2 + N * K, M, N);
      naive.matmulNT(ref, 0, a64, 1, p64, 2, M, K, N);
      expectClose(out.subarray(1), ref, 2e-6, 'out');
      expect(k.stats.fallbackCalls).toBe(0);
    });
});

describe('wasm SIMD LSTM inference (state only)', () => {
  for (const [B, T, H, X, hZero] of [
    [1, 1, 5, 3, false],
    [1, 6, 64, 4, true],
    [3, 4, 7, 5, false],
    [2, 5, 9, 1, true],
    [5, 3, 64, 4, false],
    // From 16 rows × steps the kernel transposes the weights and runs broadcast-form products:
    // row pairs, a single row (1×48, 1×16 and 1×4 tiles), ragged H (the scalar transpose).
    [1, 20, 64, 4, true],
    [1, 17, 9, 2, false],
    [3, 6, 7, 5, false],
    [33, 3, 9, 3, false],
    [34, 2, 64, 4, true],
  ] as const) {
    it(`lstmInference equals biases + both products + the pointwise step per step at B=${B} T=${T} H=${H} X=${X}${hZero ? ' from h = 0' : ''}`, () => {
      const k = wasm();
      const rnd = seededRandom(B * 1000 + T * 100 + H + X);
      const G = 4 * H;
      const [p, p64] = randomPair(k, G * X + G * H + 2 * G + 1, rnd);
      const wih = 1,
        whh = wih + G * X,
        bih = whh + G * H,
        bhh = bih + G;
      const [x, x64] = randomPair(k, T * B * X + 2, rnd);
      // Slot 0 of hs, cs: the state in and out; hs[1..T]: every step's h.
      const [hs] = randomPair(k, (T + 1) * B * H, rnd);
      const h = hs.subarray(0, B * H);
      if (hZero) h.fill(0);
      const h64 = Float64Array.from(h);
      const [c, c64] = randomPair(k, B * H, rnd);
      const weights = { Wih: wih, bih, bhh, Whh: whh };
      k.lstmInference(layerBuffers(k, B, T, H, { hs, cs: c }), x, 2, X, true, p, weights, B, T, H, hZero);
      const hsRef = new Float64Array(T * B * H);
      for (let t = 0; t < T; t++) {
        const g64 = new Float64Array(B * G);
        naive.addRowBias(g64, 0, p64, bih, B, G);
        naive.addRowBias(g64, 0, p64, bhh, B, G);
        naive.matmulNT(g64, 0, x64, 2 + t * B * X, p64, wih, B, X, G);
        naive.matmulNT(g64, 0, Float64Array.from(h64), 0, p64, whh, B, H, G);
        naive.lstmForward(g64, 0, c64, 0, c64, 0, new Float64Array(B * H), 0, h64, 0, B, H);
        hsRef.set(h64, t * B * H);
      }
      // float32 rounding accumulates over the steps (c reaches |c| ≈ 3 after 20 steps here).
      const tol = 2e-6 * Math.max(1, T / 4);
      expectClose(h, h64, tol, 'final h');
      expectClose(c, c64, tol, 'final c');
      expectClose(hs.subarray(B * H), hsRef, tol, 'every step h');
      expect(k.stats.fallbackCalls).toBe(0);
    });
  }
});

describe('wasm SIMD fused LSTM backward', () => {
  for (const [B, T, H, k] of [
    [1, 5, 7, 0],
    [3, 7, 9, 3],
    [2, 4, 64, 0],
  ]) {
    it(`lstmBackwardRecurrence equals the unfused steps, norms included, at B=${B} T=${T} H=${H} tbpttK=${k}`, () => {
      const kk = wasm();
      const rnd = seededRandom(B * 1000 + T * 10 + H);
      const G = 4 * H;
      const [gates, gates64] = randomPair(kk, T * B * G, rnd);
      for (let i = 0; i < gates.length; i++) gates64[i] = gates[i] = 0.5 + 0.5 * gates[i]; // activations in (0, 1)
      const [cs, cs64] = randomPair(kk, (T + 1) * B * H, rnd);
      const [tc, tc64] = randomPair(kk, T * B * H, rnd);
      const [dOut, dOut64] = randomPair(kk, T * B * H, rnd);
      const [whhT, whhT64] = randomPair(kk, H * G, rnd);
      const [dhRec, dhRec64] = randomPair(kk, B * H, rnd);
      const [dcRec, dcRec64] = randomPair(kk, B * H, rnd);
      const dG = kk.alloc(T * B * G);
      const dh = kk.alloc(B * H);
      const norms = new Float64Array(T);
      expect(
        kk.lstmBackwardRecurrence(
          layerBuffers(kk, B, T, H, { dGates: dG, dhRec, dcRec, dh, gates, cs, tanhC: tc, whhT }),
          dOut,
          norms,
          B,
          T,
          H,
          k,
        ),
      ).toBe(true);
      const dG64 = new Float64Array(T * B * G);
      const dh64 = new Float64Array(B * H);
      const norms64 = new Float64Array(T);
      for (let t = T - 1; t >= 0; t--) {
        if (k > 0 && (t + 1) % k === 0 && t + 1 < T) {
          dhRec64.fill(0);
          dcRec64.fill(0);
        }
        let ss = 0;
        for (let i = 0; i < B * H; i++) {
          dh64[i] = dOut64[t * B * H + i] + dhRec64[i];
          ss += dh64[i] * dh64[i];
        }
        norms64[t] = Math.sqrt(ss);
        naive.lstmBackward(
          dG64,
          t * B * G,
          dcRec64,
          0,
          dh64,
          0,
          gates64,
          t * B * G,
          cs64,
          t * B * H,
          tc64,
          t * B * H,
          B,
          H,
        );
        dhRec64.fill(0);
        naive.matmulNT(dhRec64, 0, dG64, t * B * G, whhT64, 0, B, G, H);
      }
      expectClose(dG, dG64, 1e-4, 'dGates');
      expectClose(dhRec, dhRec64, 1e-4, 'dh0');
      expectClose(dcRec, dcRec64, 1e-4, 'dc0');
      expectClose(norms, norms64, 1e-4, 'norms');
      expect(kk.stats.fallbackCalls).toBe(0);
    });
  }
});

describe('models on the wasm SIMD kernels', () => {
  it('lstmBackwardRecurrence declines, writing nothing, for arrays outside its memory', () => {
    const kk = wasm();
    const [B, T, H] = [2, 3, 4];
    const G = 4 * H;
    const plain = (n: number): Float32Array => new Float32Array(n).fill(7);
    const dG = plain(T * B * G);
    const dhRec = plain(B * H);
    const plainBuffers = layerBuffers({ alloc: plain }, B, T, H, { dGates: dG, dhRec });
    const done = kk.lstmBackwardRecurrence(plainBuffers, plain(T * B * H), null, B, T, H, 0);
    expect(done).toBe(false);
    expect(dG.every((v) => v === 7) && dhRec.every((v) => v === 7)).toBe(true);
  });

  it('the fused forward kernels decline, writing nothing, for arrays outside their memory', () => {
    const kk = wasm();
    const [B, T, H, X] = [2, 3, 4, 3];
    const G = 4 * H;
    const plain = (n: number): Float32Array => new Float32Array(n).fill(7);
    const untouched = (...arrays: FloatArray[]): boolean => arrays.every((a) => a.every((v) => v === 7));
    const buffers = layerBuffers({ alloc: plain }, B, T, H, {});
    const p = plain(G * (X + H) + 2 * G);
    expect(kk.lstmRecurrence(buffers, p, G * X, B, T, H)).toBe(false);
    expect(untouched(buffers.gates, buffers.hs)).toBe(true);
    const weights = { Wih: 0, Whh: G * X, bih: G * X + G * H, bhh: G * X + G * H + G };
    expect(kk.lstmInference(buffers, plain(T * B * X), 0, X, true, p, weights, B, T, H, false)).toBe(false);
    expect(untouched(buffers.hs, buffers.cs)).toBe(true);
  });

  it('a model whose backend declines every fused forward kernel and bound step predicts the same, batched, state-only and step by step', () => {
    const arch = { cell: 'lstm', inputSize: 3, hiddenSize: 9, numLayers: 2, head: 'gaussian' } as const;
    const fusedKernels = wasm();
    const declining = Object.create(fusedKernels, {
      lstmRecurrence: { value: () => false },
      lstmInference: { value: () => false },
      bindLstmStep: { value: () => null },
      bindLinearRow: { value: () => null },
    }) as WasmKernels;
    const rnd = seededRandom(23);
    const [B, T] = [3, 5];
    const x = Float32Array.from({ length: B * T * 3 }, () => 2 * rnd() - 1);
    const fused = createModel(arch, { kernels: fusedKernels, seed: 9 });
    const unfused = createModel(arch, { kernels: declining, seed: 9 });
    expectClose(unfused.forward(x, B, T), fused.forward(x, B, T), 1e-6, 'forward');
    expectClose(unfused.forwardLast(x, B, T), fused.forwardLast(x, B, T), 1e-6, 'forwardLast');
    const a = createStepper(fused);
    const b = createStepper(unfused);
    for (let t = 0; t < T; t++) {
      const xt = x.subarray(t * 3, t * 3 + 3);
      expectClose(b.step(xt), a.step(xt), 1e-6, `step ${t}`);
    }
  });

  it('bound live-step calls are made once per stepper, decline outside arrays, and carry the state', () => {
    const kk = wasm();
    const H = 8;
    const plain = new Float32Array(4 * H * (4 + H) + 2 * 4 * H);
    expect(
      kk.bindLstmStep(new Float32Array(4), kk.alloc(H), kk.alloc(H), plain, 0, 1, 2, 3, kk.alloc(1), 4, H),
    ).toBe(null);
    expect(kk.bindLinearRow(kk.alloc(2), new Float32Array(H), kk.alloc(2 * H), 0, kk.alloc(2), 0, H, 2)).toBe(
      null,
    );
    const model = createModel(
      { cell: 'lstm', inputSize: 4, hiddenSize: H, numLayers: 1, head: 'mean' },
      { kernels: kk, seed: 2 },
    );
    const stepper = createStepper(model);
    const xs = [0.1, -0.4, 0.3, 0.2];
    const calls0 = kk.stats.wasmCalls;
    const a = Array.from(stepper.step(xs));
    const b = Array.from(stepper.step(xs));
    // Two bound calls per step (the layer, the head) and nothing else reaches the kernels.
    expect(kk.stats.wasmCalls - calls0).toBe(4);
    expect(b).not.toEqual(a); // the state moved on
    const x2 = Float32Array.from([...xs, ...xs]);
    expectClose(b, model.forward(x2, 1, 2).subarray(2, 4), 1e-6, 'second step');
  });

  it('a model whose backend declines the fused backward gets the same gradients from the unfused steps', () => {
    const arch = { cell: 'lstm', inputSize: 3, hiddenSize: 9, numLayers: 2, head: 'mean' } as const;
    const fusedKernels = wasm();
    const declining = Object.create(fusedKernels, {
      lstmBackwardRecurrence: { value: () => false },
    }) as WasmKernels;
    const rnd = seededRandom(21);
    const [B, T] = [4, 6];
    const x = Float32Array.from({ length: B * T * 3 }, () => 2 * rnd() - 1);
    const y = Float32Array.from({ length: B * 2 }, () => 2 * rnd() - 1);
    const fused = createModel(arch, { kernels: fusedKernels, seed: 8 });
    const unfused = createModel(arch, { kernels: declining, seed: 8 });
    const a = fused.lossAndGrad(x, y, B, T, 'mse_last', { tbpttK: 4 });
    const b = unfused.lossAndGrad(x, y, B, T, 'mse_last', { tbpttK: 4 });
    expectClose(b.loss, a.loss, 1e-6, 'loss');
    expectClose(unfused.grads, fused.grads, 1e-5, 'gradients');
    expectClose(b.gradNormsThroughTime, a.gradNormsThroughTime, 1e-5, 'norms through time');
  });

  for (const H of [13, 64])
    it(`step by step (lstmInference on the stepper's prepared weights) equals the batched forward (fused lstmRecurrence), 2 layers, H=${H}`, () => {
      const kernels = wasm();
      const model = createModel(
        { cell: 'lstm', inputSize: 4, hiddenSize: H, numLayers: 2, head: 'gaussian' },
        { kernels, seed: 3 },
      );
      const rnd = seededRandom(9);
      const T = 11;
      const x = Float32Array.from({ length: T * 4 }, () => 2 * rnd() - 1);
      const batched = model.forward(x, 1, T);
      const stepper = createStepper(model);
      const stepped: number[] = [];
      for (let t = 0; t < T; t++) stepped.push(...stepper.step(x.subarray(t * 4, t * 4 + 4)));
      expectClose(stepped, batched, 2e-6, 'head outputs');
      expect(kernels.stats.fallbackCalls).toBe(0);
    });

  it('a stepper runs on the weights it was created with; a new one sees the changed weights', () => {
    const model = createModel(
      { cell: 'lstm', inputSize: 4, hiddenSize: 8, numLayers: 1, head: 'mean' },
      { kernels: wasm(), seed: 5 },
    );
    const xs = [0.3, -0.2, 0.5, 0.1];
    const before = createStepper(model);
    const first = Array.from(before.step(xs));
    for (let i = 0; i < model.params.length; i++) model.params[i] *= 0.5;
    before.reset();
    expect(Array.from(before.step(xs))).toEqual(first);
    const after = Array.from(createStepper(model).step(xs));
    expect(after).not.toEqual(first);
    expectClose(after, model.forward(Float32Array.from(xs), 1, 1), 1e-6, 'new stepper');
  });

  it('forwardLast (state-only lstmInference) equals the last step of the caching forward, 2 layers, odd batch, given h0 and c0', () => {
    const kernels = wasm();
    const model = createModel(
      { cell: 'lstm', inputSize: 3, hiddenSize: 13, numLayers: 2, head: 'gaussian' },
      { kernels, seed: 4 },
    );
    const rnd = seededRandom(11);
    const [B, T, O, H] = [5, 7, 5, 13];
    const x = Float32Array.from({ length: B * T * 3 }, () => 2 * rnd() - 1);
    const h0 = Float32Array.from({ length: 2 * B * H }, () => 2 * rnd() - 1);
    const c0 = Float32Array.from({ length: 2 * B * H }, () => 2 * rnd() - 1);
    for (const state of [{}, { h0, c0 }]) {
      const all = model.forward(x, B, T, state);
      const last = new Float32Array(B * O);
      for (let b = 0; b < B; b++) last.set(all.subarray((b * T + T - 1) * O, (b * T + T) * O), b * O);
      const calls = kernels.stats.wasmCalls;
      expectClose(model.forwardLast(x, B, T, state), last, 1e-6, 'last head outputs');
      // Two layers: two lstmInference calls, then the head's product and bias.
      expect(kernels.stats.wasmCalls - calls).toBe(4);
    }
    expect(kernels.stats.fallbackCalls).toBe(0);
  });
});
