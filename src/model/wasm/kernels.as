// The WebAssembly SIMD kernels of whereto's recurrent engine, in AssemblyScript (compiled by
// scripts in src/model/wasm/build.mjs with `asc --enable simd`; this file is named .as, not .ts,
// so the TypeScript checker never sees AssemblyScript's types). Every argument that names a
// buffer is a BYTE address into the module's memory of float32 elements; the JavaScript side
// (wasmKernels.ts) owns allocation. Nothing here allocates, grows memory or keeps state.
// Conventions follow src/model/kernels.ts: row-major matrices, products ACCUMULATE into `out`,
// gate blocks LSTM [i|f|g|o], GRU [r|z|n]. Sizes: M,K,N matrix sizes, B batch rows, H hidden.

// ---------------------------------------------------------------- fast tanh / sigmoid
// tanh(x) ≈ x·P(x²)/Q(x²), the rational minimax approximation of Eigen's ptanh_float
// (Eigen/src/Core/MathFunctionsImpl.h), clamped to ±7.9053 where float32 tanh rounds to ±1.
// Max absolute error ≈ 2e-7 (measured in test/model/wasmKernels.test.ts); sigmoid(x) =
// ½ + ½·tanh(x/2), so its absolute error is half that.
const TANH_CLAMP: f32 = 7.90531110763549805;
const A1: f32 = 4.89352455891786e-3;
const A3: f32 = 6.37261928875436e-4;
const A5: f32 = 1.48572235717979e-5;
const A7: f32 = 5.12229709037114e-8;
const A9: f32 = -8.60467152213735e-11;
const A11: f32 = 2.00018790482477e-13;
const A13: f32 = -2.76076847742355e-16;
const B0: f32 = 4.89352518554385e-3;
const B2: f32 = 2.268434632439e-3;
const B4: f32 = 1.18534705686654e-4;
const B6: f32 = 1.19825839466702e-6;

// a·b + c: one fused multiply-add in the relaxed-SIMD build (build.mjs compiles both variants and
// the loader takes it where the engine validates it), a multiply and an add otherwise.
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  else return f32x4.add(f32x4.mul(a, b), c);
}

@inline function tanhv(xIn: v128): v128 {
  // pmin/pmax are single x86 instructions (min/max carry NaN and −0 rules that cost ~8); with
  // the input first, a NaN input still propagates.
  const x = f32x4.pmax(f32x4.pmin(xIn, f32x4.splat(TANH_CLAMP)), f32x4.splat(-TANH_CLAMP));
  const x2 = f32x4.mul(x, x);
  let p = madd(f32x4.splat(A13), x2, f32x4.splat(A11));
  p = madd(p, x2, f32x4.splat(A9));
  p = madd(p, x2, f32x4.splat(A7));
  p = madd(p, x2, f32x4.splat(A5));
  p = madd(p, x2, f32x4.splat(A3));
  p = madd(p, x2, f32x4.splat(A1));
  p = f32x4.mul(p, x);
  let q = madd(f32x4.splat(B6), x2, f32x4.splat(B4));
  q = madd(q, x2, f32x4.splat(B2));
  q = madd(q, x2, f32x4.splat(B0));
  return f32x4.div(p, q);
}

@inline function sigmoidv(x: v128): v128 {
  const half = f32x4.splat(0.5);
  return madd(half, tanhv(f32x4.mul(half, x)), half);
}

// The scalar forms compute the same formula lane by lane, so ragged tails (H not a multiple of
// 4) round exactly like the vector body.
@inline function tanhs(x: f32): f32 {
  return f32x4.extract_lane(tanhv(f32x4.splat(x)), 0);
}

@inline function sigmoids(x: f32): f32 {
  return f32x4.extract_lane(sigmoidv(f32x4.splat(x)), 0);
}

/** out[k] = tanh(x[k]) for n elements (tests measure the approximation with it). */
export function tanhArray(out: usize, x: usize, n: i32): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) v128.store(out + (<usize>k << 2), tanhv(v128.load(x + (<usize>k << 2))));
  for (; k < n; k++) store<f32>(out + (<usize>k << 2), tanhs(load<f32>(x + (<usize>k << 2))));
}

/** out[k] = σ(x[k]) for n elements. */
export function sigmoidArray(out: usize, x: usize, n: i32): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) v128.store(out + (<usize>k << 2), sigmoidv(v128.load(x + (<usize>k << 2))));
  for (; k < n; k++) store<f32>(out + (<usize>k << 2), sigmoids(load<f32>(x + (<usize>k << 2))));
}

/** The first free byte after the module's static data: JavaScript allocates from here. */
export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------- matrix products
// Rows of K processed per pass of gemmBroadcast: the A and B panels of one pass (≤ 128 KiB for
// A stored (K,M) with M = 256, the weight-gradient case) stay in L2 while every tile reuses them.
const K_BLOCK = 128;

/**
 * out(M,N) += A·B with B(K,N) row-major and A(i,k) at a + 4·(i·sAi + k·sAk): sAi=K, sAk=1 is
 * A(M,K) (matmulNN); sAi=1, sAk=M is A stored (K,M) and used transposed (matmulTN).
 * Register tile 2 rows × 16 columns: 8 accumulators, each B vector feeds two rows.
 */
export function gemmBroadcast(out: usize, a: usize, b: usize, M: i32, K: i32, N: i32, sAi: i32, sAk: i32): void {
  const ldb = <usize>N << 2;
  // Rows per panel: at most K_BLOCK, and few enough that a B panel (kc × N) stays within 32 KiB of L1.
  const kb = max(16, min(K_BLOCK, 8192 / N));
  for (let k0 = 0; k0 < K; k0 += kb) {
    const kc = min(kb, K - k0);
    gemmBroadcastPanel(out, a + ((<usize>k0 * <usize>sAk) << 2), b + <usize>k0 * ldb, M, kc, N, sAi, sAk);
  }
}

function gemmBroadcastPanel(out: usize, a: usize, b: usize, M: i32, K: i32, N: i32, sAi: i32, sAk: i32): void {
  const ldb = <usize>N << 2;
  const stepA = <usize>sAk << 2;
  let i = 0;
  for (; i + 2 <= M; i += 2) {
    const a0 = a + ((<usize>i * <usize>sAi) << 2);
    const a1 = a0 + (<usize>sAi << 2);
    const o0 = out + ((<usize>i * <usize>N) << 2);
    const o1 = o0 + ldb;
    let j = 0;
    for (; j + 16 <= N; j += 16) {
      const jb = <usize>j << 2;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
      let pa0 = a0, pa1 = a1, pb = b + jb;
      for (let k = 0; k < K; k++) {
        const x0 = v128.load32_splat(pa0);
        const x1 = v128.load32_splat(pa1);
        const b0 = v128.load(pb, 0);
        const b1 = v128.load(pb, 16);
        const b2 = v128.load(pb, 32);
        const b3 = v128.load(pb, 48);
        c00 = madd(x0, b0, c00);
        c01 = madd(x0, b1, c01);
        c02 = madd(x0, b2, c02);
        c03 = madd(x0, b3, c03);
        c10 = madd(x1, b0, c10);
        c11 = madd(x1, b1, c11);
        c12 = madd(x1, b2, c12);
        c13 = madd(x1, b3, c13);
        pa0 += stepA;
        pa1 += stepA;
        pb += ldb;
      }
      const p0 = o0 + jb;
      const p1 = o1 + jb;
      v128.store(p0, f32x4.add(v128.load(p0, 0), c00), 0);
      v128.store(p0, f32x4.add(v128.load(p0, 16), c01), 16);
      v128.store(p0, f32x4.add(v128.load(p0, 32), c02), 32);
      v128.store(p0, f32x4.add(v128.load(p0, 48), c03), 48);
      v128.store(p1, f32x4.add(v128.load(p1, 0), c10), 0);
      v128.store(p1, f32x4.add(v128.load(p1, 16), c11), 16);
      v128.store(p1, f32x4.add(v128.load(p1, 32), c12), 32);
      v128.store(p1, f32x4.add(v128.load(p1, 48), c13), 48);
    }
    for (; j + 4 <= N; j += 4) {
      const jb = <usize>j << 2;
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
      let pa0 = a0, pa1 = a1, pb = b + jb;
      for (let k = 0; k < K; k++) {
        const bv = v128.load(pb);
        c0 = madd(v128.load32_splat(pa0), bv, c0);
        c1 = madd(v128.load32_splat(pa1), bv, c1);
        pa0 += stepA;
        pa1 += stepA;
        pb += ldb;
      }
      v128.store(o0 + jb, f32x4.add(v128.load(o0 + jb), c0));
      v128.store(o1 + jb, f32x4.add(v128.load(o1 + jb), c1));
    }
    for (; j < N; j++) {
      const jb = <usize>j << 2;
      let s0: f32 = 0, s1: f32 = 0;
      let pa0 = a0, pa1 = a1, pb = b + jb;
      for (let k = 0; k < K; k++) {
        const bv = load<f32>(pb);
        s0 += load<f32>(pa0) * bv;
        s1 += load<f32>(pa1) * bv;
        pa0 += stepA;
        pa1 += stepA;
        pb += ldb;
      }
      store<f32>(o0 + jb, load<f32>(o0 + jb) + s0);
      store<f32>(o1 + jb, load<f32>(o1 + jb) + s1);
    }
  }
  if (i < M) gemvBroadcastRow(out + ((<usize>i * <usize>N) << 2), a + ((<usize>i * <usize>sAi) << 2), b, K, N, stepA);
}

// One row: o(N) += Σ_k a[k]·B(k,·). A 1×32 tile keeps eight independent add chains in flight.
function gemvBroadcastRow(o: usize, a0: usize, b: usize, K: i32, N: i32, stepA: usize): void {
  const ldb = <usize>N << 2;
  let j = 0;
  for (; j + 32 <= N; j += 32) {
    const jb = <usize>j << 2;
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
    let pa = a0, pb = b + jb;
    for (let k = 0; k < K; k++) {
      const x = v128.load32_splat(pa);
      c0 = madd(x, v128.load(pb, 0), c0);
      c1 = madd(x, v128.load(pb, 16), c1);
      c2 = madd(x, v128.load(pb, 32), c2);
      c3 = madd(x, v128.load(pb, 48), c3);
      c4 = madd(x, v128.load(pb, 64), c4);
      c5 = madd(x, v128.load(pb, 80), c5);
      c6 = madd(x, v128.load(pb, 96), c6);
      c7 = madd(x, v128.load(pb, 112), c7);
      pa += stepA;
      pb += ldb;
    }
    const p = o + jb;
    v128.store(p, f32x4.add(v128.load(p, 0), c0), 0);
    v128.store(p, f32x4.add(v128.load(p, 16), c1), 16);
    v128.store(p, f32x4.add(v128.load(p, 32), c2), 32);
    v128.store(p, f32x4.add(v128.load(p, 48), c3), 48);
    v128.store(p, f32x4.add(v128.load(p, 64), c4), 64);
    v128.store(p, f32x4.add(v128.load(p, 80), c5), 80);
    v128.store(p, f32x4.add(v128.load(p, 96), c6), 96);
    v128.store(p, f32x4.add(v128.load(p, 112), c7), 112);
  }
  for (; j + 4 <= N; j += 4) {
    const jb = <usize>j << 2;
    let c0 = f32x4.splat(0);
    let pa = a0, pb = b + jb;
    for (let k = 0; k < K; k++) {
      c0 = madd(v128.load32_splat(pa), v128.load(pb), c0);
      pa += stepA;
      pb += ldb;
    }
    v128.store(o + jb, f32x4.add(v128.load(o + jb), c0));
  }
  for (; j < N; j++) {
    const jb = <usize>j << 2;
    let s: f32 = 0;
    let pa = a0, pb = b + jb;
    for (let k = 0; k < K; k++) {
      s += load<f32>(pa) * load<f32>(pb);
      pa += stepA;
      pb += ldb;
    }
    store<f32>(o + jb, load<f32>(o + jb) + s);
  }
}

// [Σ v0, Σ v1, Σ v2, Σ v3]: the four horizontal sums in one vector.
@inline function hsum4(v0: v128, v1: v128, v2: v128, v3: v128): v128 {
  const s01 = f32x4.add(i32x4.shuffle(v0, v1, 0, 1, 4, 5), i32x4.shuffle(v0, v1, 2, 3, 6, 7));
  const s23 = f32x4.add(i32x4.shuffle(v2, v3, 0, 1, 4, 5), i32x4.shuffle(v2, v3, 2, 3, 6, 7));
  return f32x4.add(i32x4.shuffle(s01, s23, 0, 2, 4, 6), i32x4.shuffle(s01, s23, 1, 3, 5, 7));
}

@inline function hsum1(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/**
 * out(M,N) += A(M,K)·B(N,K)ᵀ (matmulNT): dot products along K, both operands read contiguously.
 * Register tile 2 rows × 4 columns; a lone last row uses 1 × 8 to keep eight add chains busy.
 */
export function gemmNT(out: usize, a: usize, b: usize, M: i32, K: i32, N: i32): void {
  const K4 = K & ~3;
  const lda = <usize>K << 2;
  let i = 0;
  for (; i + 2 <= M; i += 2) {
    const a0 = a + (<usize>i * lda);
    const a1 = a0 + lda;
    const o0 = out + ((<usize>i * <usize>N) << 2);
    const o1 = o0 + (<usize>N << 2);
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      const b0 = b + (<usize>j * lda);
      const b1 = b0 + lda;
      const b2 = b1 + lda;
      const b3 = b2 + lda;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
      let k = 0;
      for (; k < K4; k += 4) {
        const kb = <usize>k << 2;
        const x0 = v128.load(a0 + kb);
        const x1 = v128.load(a1 + kb);
        let w = v128.load(b0 + kb);
        c00 = madd(x0, w, c00);
        c10 = madd(x1, w, c10);
        w = v128.load(b1 + kb);
        c01 = madd(x0, w, c01);
        c11 = madd(x1, w, c11);
        w = v128.load(b2 + kb);
        c02 = madd(x0, w, c02);
        c12 = madd(x1, w, c12);
        w = v128.load(b3 + kb);
        c03 = madd(x0, w, c03);
        c13 = madd(x1, w, c13);
      }
      let r0 = hsum4(c00, c01, c02, c03);
      let r1 = hsum4(c10, c11, c12, c13);
      for (; k < K; k++) {
        const kb = <usize>k << 2;
        const x0 = v128.load32_splat(a0 + kb);
        const x1 = v128.load32_splat(a1 + kb);
        let w = f32x4.replace_lane(f32x4.splat(load<f32>(b0 + kb)), 1, load<f32>(b1 + kb));
        w = f32x4.replace_lane(w, 2, load<f32>(b2 + kb));
        w = f32x4.replace_lane(w, 3, load<f32>(b3 + kb));
        r0 = madd(x0, w, r0);
        r1 = madd(x1, w, r1);
      }
      const jb = <usize>j << 2;
      v128.store(o0 + jb, f32x4.add(v128.load(o0 + jb), r0));
      v128.store(o1 + jb, f32x4.add(v128.load(o1 + jb), r1));
    }
    for (; j < N; j++) {
      const bj = b + (<usize>j * lda);
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
      let k = 0;
      for (; k < K4; k += 4) {
        const kb = <usize>k << 2;
        const w = v128.load(bj + kb);
        c0 = madd(v128.load(a0 + kb), w, c0);
        c1 = madd(v128.load(a1 + kb), w, c1);
      }
      let s0 = hsum1(c0), s1 = hsum1(c1);
      for (; k < K; k++) {
        const kb = <usize>k << 2;
        const w = load<f32>(bj + kb);
        s0 += load<f32>(a0 + kb) * w;
        s1 += load<f32>(a1 + kb) * w;
      }
      const jb = <usize>j << 2;
      store<f32>(o0 + jb, load<f32>(o0 + jb) + s0);
      store<f32>(o1 + jb, load<f32>(o1 + jb) + s1);
    }
  }
  if (i < M) gemvNTRow(out + ((<usize>i * <usize>N) << 2), a + (<usize>i * lda), b, K, N);
}

function gemvNTRow(o: usize, a0: usize, b: usize, K: i32, N: i32): void {
  const K4 = K & ~3;
  const lda = <usize>K << 2;
  let j = 0;
  for (; j + 8 <= N; j += 8) {
    const b0 = b + (<usize>j * lda);
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
    let k = 0;
    for (; k < K4; k += 4) {
      const kb = <usize>k << 2;
      const x = v128.load(a0 + kb);
      let p = b0 + kb;
      c0 = madd(x, v128.load(p), c0);
      p += lda;
      c1 = madd(x, v128.load(p), c1);
      p += lda;
      c2 = madd(x, v128.load(p), c2);
      p += lda;
      c3 = madd(x, v128.load(p), c3);
      p += lda;
      c4 = madd(x, v128.load(p), c4);
      p += lda;
      c5 = madd(x, v128.load(p), c5);
      p += lda;
      c6 = madd(x, v128.load(p), c6);
      p += lda;
      c7 = madd(x, v128.load(p), c7);
    }
    let r0 = hsum4(c0, c1, c2, c3);
    let r1 = hsum4(c4, c5, c6, c7);
    for (; k < K; k++) {
      const kb = <usize>k << 2;
      const x = v128.load32_splat(a0 + kb);
      let p = b0 + kb;
      let w = f32x4.splat(load<f32>(p));
      w = f32x4.replace_lane(w, 1, load<f32>(p + lda));
      w = f32x4.replace_lane(w, 2, load<f32>(p + 2 * lda));
      w = f32x4.replace_lane(w, 3, load<f32>(p + 3 * lda));
      r0 = madd(x, w, r0);
      p += 4 * lda;
      w = f32x4.splat(load<f32>(p));
      w = f32x4.replace_lane(w, 1, load<f32>(p + lda));
      w = f32x4.replace_lane(w, 2, load<f32>(p + 2 * lda));
      w = f32x4.replace_lane(w, 3, load<f32>(p + 3 * lda));
      r1 = madd(x, w, r1);
    }
    const jb = <usize>j << 2;
    v128.store(o + jb, f32x4.add(v128.load(o + jb), r0));
    v128.store(o + jb, f32x4.add(v128.load(o + jb, 16), r1), 16);
  }
  for (; j < N; j++) {
    const bj = b + (<usize>j * lda);
    let c0 = f32x4.splat(0);
    let k = 0;
    for (; k < K4; k += 4) {
      const kb = <usize>k << 2;
      c0 = madd(v128.load(a0 + kb), v128.load(bj + kb), c0);
    }
    let s = hsum1(c0);
    for (; k < K; k++) {
      const kb = <usize>k << 2;
      s += load<f32>(a0 + kb) * load<f32>(bj + kb);
    }
    const jb = <usize>j << 2;
    store<f32>(o + jb, load<f32>(o + jb) + s);
  }
}

/** dst(C,R) = src(R,C)ᵀ, or dst += src ᵀ with accumulate ≠ 0 (small operands of thin products). */
export function transpose(dst: usize, src: usize, R: i32, C: i32, accumulate: i32): void {
  for (let r = 0; r < R; r++) {
    const s = src + ((<usize>r * <usize>C) << 2);
    for (let c = 0; c < C; c++) {
      const d = dst + ((<usize>c * <usize>R + <usize>r) << 2);
      const v = load<f32>(s + (<usize>c << 2));
      store<f32>(d, accumulate ? load<f32>(d) + v : v);
    }
  }
}

/** rows(M,N) += bias(N). */
export function addRowBias(rows: usize, bias: usize, M: i32, N: i32): void {
  const N4 = N & ~3;
  for (let m = 0; m < M; m++) {
    const r = rows + ((<usize>m * <usize>N) << 2);
    let n = 0;
    for (; n < N4; n += 4) {
      const nb = <usize>n << 2;
      v128.store(r + nb, f32x4.add(v128.load(r + nb), v128.load(bias + nb)));
    }
    for (; n < N; n++) {
      const nb = <usize>n << 2;
      store<f32>(r + nb, load<f32>(r + nb) + load<f32>(bias + nb));
    }
  }
}

/** out(N) += Σ_m A(m,·). Four rows per pass, so `out` is read and written a quarter as often. */
export function sumRows(out: usize, a: usize, M: i32, N: i32): void {
  const N4 = N & ~3;
  const lda = <usize>N << 2;
  let m = 0;
  for (; m + 4 <= M; m += 4) {
    const r = a + <usize>m * lda;
    let n = 0;
    for (; n < N4; n += 4) {
      const nb = <usize>n << 2;
      const p = r + nb;
      const s01 = f32x4.add(v128.load(p), v128.load(p + lda));
      const s23 = f32x4.add(v128.load(p + 2 * lda), v128.load(p + 3 * lda));
      v128.store(out + nb, f32x4.add(v128.load(out + nb), f32x4.add(s01, s23)));
    }
    for (; n < N; n++) {
      const p = r + (<usize>n << 2);
      const o = out + (<usize>n << 2);
      store<f32>(o, load<f32>(o) + ((load<f32>(p) + load<f32>(p + lda)) + (load<f32>(p + 2 * lda) + load<f32>(p + 3 * lda))));
    }
  }
  for (; m < M; m++) {
    const r = a + <usize>m * lda;
    let n = 0;
    for (; n < N4; n += 4) {
      const nb = <usize>n << 2;
      v128.store(out + nb, f32x4.add(v128.load(out + nb), v128.load(r + nb)));
    }
    for (; n < N; n++) {
      const nb = <usize>n << 2;
      store<f32>(out + nb, load<f32>(out + nb) + load<f32>(r + nb));
    }
  }
}

// ---------------------------------------------------------------- LSTM pointwise
/** See Kernels.lstmForward: gates (B,4H) pre → activated; cNext, tanhC, hNext (B,H). */
export function lstmForward(gates: usize, cPrev: usize, cNext: usize, tanhC: usize, hNext: usize, B: i32, H: i32): void {
  const H4 = H & ~3;
  const hb = <usize>H << 2;
  for (let r = 0; r < B; r++) {
    const g = gates + <usize>r * 4 * hb;
    const s = <usize>r * hb;
    let j = 0;
    for (; j < H4; j += 4) {
      const jb = <usize>j << 2;
      const gi = sigmoidv(v128.load(g + jb));
      const gf = sigmoidv(v128.load(g + hb + jb));
      const gg = tanhv(v128.load(g + 2 * hb + jb));
      const go = sigmoidv(v128.load(g + 3 * hb + jb));
      v128.store(g + jb, gi);
      v128.store(g + hb + jb, gf);
      v128.store(g + 2 * hb + jb, gg);
      v128.store(g + 3 * hb + jb, go);
      const c = madd(gf, v128.load(cPrev + s + jb), f32x4.mul(gi, gg));
      const tc = tanhv(c);
      v128.store(cNext + s + jb, c);
      v128.store(tanhC + s + jb, tc);
      v128.store(hNext + s + jb, f32x4.mul(go, tc));
    }
    for (; j < H; j++) {
      const jb = <usize>j << 2;
      const gi = sigmoids(load<f32>(g + jb));
      const gf = sigmoids(load<f32>(g + hb + jb));
      const gg = tanhs(load<f32>(g + 2 * hb + jb));
      const go = sigmoids(load<f32>(g + 3 * hb + jb));
      store<f32>(g + jb, gi);
      store<f32>(g + hb + jb, gf);
      store<f32>(g + 2 * hb + jb, gg);
      store<f32>(g + 3 * hb + jb, go);
      const c = gf * load<f32>(cPrev + s + jb) + gi * gg;
      const tc = tanhs(c);
      store<f32>(cNext + s + jb, c);
      store<f32>(tanhC + s + jb, tc);
      store<f32>(hNext + s + jb, go * tc);
    }
  }
}

/** See Kernels.lstmBackward: dc is ∂L/∂c' on entry and ∂L/∂c on exit; writes dGates (B,4H). */
export function lstmBackward(dGates: usize, dc: usize, dh: usize, gates: usize, cPrev: usize, tanhC: usize, B: i32, H: i32): void {
  const H4 = H & ~3;
  const hb = <usize>H << 2;
  const one = f32x4.splat(1);
  for (let r = 0; r < B; r++) {
    const g = gates + <usize>r * 4 * hb;
    const d = dGates + <usize>r * 4 * hb;
    const s = <usize>r * hb;
    let j = 0;
    for (; j < H4; j += 4) {
      const jb = <usize>j << 2;
      const gi = v128.load(g + jb);
      const gf = v128.load(g + hb + jb);
      const gg = v128.load(g + 2 * hb + jb);
      const go = v128.load(g + 3 * hb + jb);
      const tc = v128.load(tanhC + s + jb);
      const dhj = v128.load(dh + s + jb);
      const dct = f32x4.add(v128.load(dc + s + jb), f32x4.mul(f32x4.mul(dhj, go), f32x4.sub(one, f32x4.mul(tc, tc))));
      v128.store(d + jb, f32x4.mul(f32x4.mul(dct, gg), f32x4.mul(gi, f32x4.sub(one, gi))));
      v128.store(d + hb + jb, f32x4.mul(f32x4.mul(dct, v128.load(cPrev + s + jb)), f32x4.mul(gf, f32x4.sub(one, gf))));
      v128.store(d + 2 * hb + jb, f32x4.mul(f32x4.mul(dct, gi), f32x4.sub(one, f32x4.mul(gg, gg))));
      v128.store(d + 3 * hb + jb, f32x4.mul(f32x4.mul(dhj, tc), f32x4.mul(go, f32x4.sub(one, go))));
      v128.store(dc + s + jb, f32x4.mul(dct, gf));
    }
    for (; j < H; j++) {
      const jb = <usize>j << 2;
      const gi = load<f32>(g + jb);
      const gf = load<f32>(g + hb + jb);
      const gg = load<f32>(g + 2 * hb + jb);
      const go = load<f32>(g + 3 * hb + jb);
      const tc = load<f32>(tanhC + s + jb);
      const dhj = load<f32>(dh + s + jb);
      const dct = load<f32>(dc + s + jb) + dhj * go * (1 - tc * tc);
      store<f32>(d + jb, dct * gg * (gi * (1 - gi)));
      store<f32>(d + hb + jb, dct * load<f32>(cPrev + s + jb) * (gf * (1 - gf)));
      store<f32>(d + 2 * hb + jb, dct * gi * (1 - gg * gg));
      store<f32>(d + 3 * hb + jb, dhj * tc * (go * (1 - go)));
      store<f32>(dc + s + jb, dct * gf);
    }
  }
}

// ---------------------------------------------------------------- GRU pointwise
/** See Kernels.gruForward: gi (B,3H) pre → activated [r|z|n]; gh (B,3H) read; hNext (B,H). */
export function gruForward(gi: usize, gh: usize, hPrev: usize, hNext: usize, B: i32, H: i32): void {
  const H4 = H & ~3;
  const hb = <usize>H << 2;
  const one = f32x4.splat(1);
  for (let r = 0; r < B; r++) {
    const a = gi + <usize>r * 3 * hb;
    const c = gh + <usize>r * 3 * hb;
    const s = <usize>r * hb;
    let j = 0;
    for (; j < H4; j += 4) {
      const jb = <usize>j << 2;
      const rg = sigmoidv(f32x4.add(v128.load(a + jb), v128.load(c + jb)));
      const z = sigmoidv(f32x4.add(v128.load(a + hb + jb), v128.load(c + hb + jb)));
      const n = tanhv(f32x4.add(v128.load(a + 2 * hb + jb), f32x4.mul(rg, v128.load(c + 2 * hb + jb))));
      v128.store(a + jb, rg);
      v128.store(a + hb + jb, z);
      v128.store(a + 2 * hb + jb, n);
      v128.store(hNext + s + jb, f32x4.add(f32x4.mul(f32x4.sub(one, z), n), f32x4.mul(z, v128.load(hPrev + s + jb))));
    }
    for (; j < H; j++) {
      const jb = <usize>j << 2;
      const rg = sigmoids(load<f32>(a + jb) + load<f32>(c + jb));
      const z = sigmoids(load<f32>(a + hb + jb) + load<f32>(c + hb + jb));
      const n = tanhs(load<f32>(a + 2 * hb + jb) + rg * load<f32>(c + 2 * hb + jb));
      store<f32>(a + jb, rg);
      store<f32>(a + hb + jb, z);
      store<f32>(a + 2 * hb + jb, n);
      store<f32>(hNext + s + jb, (1 - z) * n + z * load<f32>(hPrev + s + jb));
    }
  }
}

/** See Kernels.gruBackward: writes dGi, dGh (B,3H) and SETS dhPrev (B,H) = dh ⊙ z. */
export function gruBackward(dGi: usize, dGh: usize, dhPrev: usize, dh: usize, gi: usize, gh: usize, hPrev: usize, B: i32, H: i32): void {
  const H4 = H & ~3;
  const hb = <usize>H << 2;
  const one = f32x4.splat(1);
  for (let r = 0; r < B; r++) {
    const a = gi + <usize>r * 3 * hb;
    const c = gh + <usize>r * 3 * hb;
    const da = dGi + <usize>r * 3 * hb;
    const dcc = dGh + <usize>r * 3 * hb;
    const s = <usize>r * hb;
    let j = 0;
    for (; j < H4; j += 4) {
      const jb = <usize>j << 2;
      const rg = v128.load(a + jb);
      const z = v128.load(a + hb + jb);
      const n = v128.load(a + 2 * hb + jb);
      const dhj = v128.load(dh + s + jb);
      const dnPre = f32x4.mul(f32x4.mul(dhj, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
      const dzPre = f32x4.mul(f32x4.mul(dhj, f32x4.sub(v128.load(hPrev + s + jb), n)), f32x4.mul(z, f32x4.sub(one, z)));
      const drPre = f32x4.mul(f32x4.mul(dnPre, v128.load(c + 2 * hb + jb)), f32x4.mul(rg, f32x4.sub(one, rg)));
      v128.store(da + jb, drPre);
      v128.store(da + hb + jb, dzPre);
      v128.store(da + 2 * hb + jb, dnPre);
      v128.store(dcc + jb, drPre);
      v128.store(dcc + hb + jb, dzPre);
      v128.store(dcc + 2 * hb + jb, f32x4.mul(dnPre, rg));
      v128.store(dhPrev + s + jb, f32x4.mul(dhj, z));
    }
    for (; j < H; j++) {
      const jb = <usize>j << 2;
      const rg = load<f32>(a + jb);
      const z = load<f32>(a + hb + jb);
      const n = load<f32>(a + 2 * hb + jb);
      const dhj = load<f32>(dh + s + jb);
      const dnPre = dhj * (1 - z) * (1 - n * n);
      const dzPre = dhj * (load<f32>(hPrev + s + jb) - n) * (z * (1 - z));
      const drPre = dnPre * load<f32>(c + 2 * hb + jb) * (rg * (1 - rg));
      store<f32>(da + jb, drPre);
      store<f32>(da + hb + jb, dzPre);
      store<f32>(da + 2 * hb + jb, dnPre);
      store<f32>(dcc + jb, drPre);
      store<f32>(dcc + hb + jb, dzPre);
      store<f32>(dcc + 2 * hb + jb, dnPre * rg);
      store<f32>(dhPrev + s + jb, dhj * z);
    }
  }
}

// ---------------------------------------------------------------- vanilla RNN pointwise
/** See Kernels.rnnForward: hNext = tanh(pre) over n = B·H elements (may alias). */
export function rnnForward(pre: usize, hNext: usize, n: i32): void {
  tanhArray(hNext, pre, n);
}

/** See Kernels.rnnBackward: dPre = dh ⊙ (1 − h'²) over n = B·H elements. */
export function rnnBackward(dPre: usize, dh: usize, hNext: usize, n: i32): void {
  const one = f32x4.splat(1);
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const kb = <usize>k << 2;
    const y = v128.load(hNext + kb);
    v128.store(dPre + kb, f32x4.mul(v128.load(dh + kb), f32x4.sub(one, f32x4.mul(y, y))));
  }
  for (; k < n; k++) {
    const kb = <usize>k << 2;
    const y = load<f32>(hNext + kb);
    store<f32>(dPre + kb, load<f32>(dh + kb) * (1 - y * y));
  }
}

// ---------------------------------------------------------------- fused LSTM (one call per layer)
/**
 * The LSTM recurrence over T steps in one call: for t in 0..T−1, gates[t] += hs[t]·Whhᵀ, then the
 * pointwise step from cs[t] into cs[t+1], tanhC[t], hs[t+1]. gates (T,B,4H) hold x·Wihᵀ + biases on
 * entry; hs, cs (T+1,B,H) with slot 0 the initial state; tanhC (T,B,H); whh (4H,H).
 */
export function lstmRecurrence(gates: usize, hs: usize, cs: usize, tanhC: usize, whh: usize, B: i32, T: i32, H: i32): void {
  const bh = (<usize>B * <usize>H) << 2;
  const bg = 4 * bh;
  for (let t = 0; t < T; t++) {
    const g = gates + <usize>t * bg;
    const s = <usize>t * bh;
    gemmNT(g, hs + s, whh, B, H, 4 * H);
    lstmForward(g, cs + s, cs + s + bh, tanhC + s, hs + s + bh, B, H);
  }
}

// [w(j,k), w(j+1,k), w(j+2,k), w(j+3,k)] for rows j.. of a row-major (·,K) matrix at wj = &w(j,k).
@inline function column4(wj: usize, ld: usize): v128 {
  let w = f32x4.splat(load<f32>(wj));
  w = f32x4.replace_lane(w, 1, load<f32>(wj + ld));
  w = f32x4.replace_lane(w, 2, load<f32>(wj + 2 * ld));
  return f32x4.replace_lane(w, 3, load<f32>(wj + 3 * ld));
}

/**
 * The live step's gate row in one pass: o(N) = bih + bhh + x(X)·Wihᵀ + h(H)·Whhᵀ with Wih (N,X),
 * Whh (N,H). Eight outputs per block keep eight add chains busy; both products share them.
 */
function gatesRow(o: usize, x: usize, wih: usize, X: i32, h: usize, whh: usize, H: i32, bih: usize, bhh: usize, N: i32): void {
  const X4 = X & ~3;
  const H4 = H & ~3;
  const ldx = <usize>X << 2;
  const ldh = <usize>H << 2;
  let j = 0;
  for (; j + 8 <= N; j += 8) {
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
    const wh = whh + <usize>j * ldh;
    for (let k = 0; k < H4; k += 4) {
      const kb = <usize>k << 2;
      const v = v128.load(h + kb);
      let p = wh + kb;
      c0 = madd(v, v128.load(p), c0);
      p += ldh;
      c1 = madd(v, v128.load(p), c1);
      p += ldh;
      c2 = madd(v, v128.load(p), c2);
      p += ldh;
      c3 = madd(v, v128.load(p), c3);
      p += ldh;
      c4 = madd(v, v128.load(p), c4);
      p += ldh;
      c5 = madd(v, v128.load(p), c5);
      p += ldh;
      c6 = madd(v, v128.load(p), c6);
      p += ldh;
      c7 = madd(v, v128.load(p), c7);
    }
    const wx = wih + <usize>j * ldx;
    for (let k = 0; k < X4; k += 4) {
      const kb = <usize>k << 2;
      const v = v128.load(x + kb);
      let p = wx + kb;
      c0 = madd(v, v128.load(p), c0);
      p += ldx;
      c1 = madd(v, v128.load(p), c1);
      p += ldx;
      c2 = madd(v, v128.load(p), c2);
      p += ldx;
      c3 = madd(v, v128.load(p), c3);
      p += ldx;
      c4 = madd(v, v128.load(p), c4);
      p += ldx;
      c5 = madd(v, v128.load(p), c5);
      p += ldx;
      c6 = madd(v, v128.load(p), c6);
      p += ldx;
      c7 = madd(v, v128.load(p), c7);
    }
    const jb = <usize>j << 2;
    let r0 = f32x4.add(hsum4(c0, c1, c2, c3), f32x4.add(v128.load(bih + jb), v128.load(bhh + jb)));
    let r1 = f32x4.add(hsum4(c4, c5, c6, c7), f32x4.add(v128.load(bih + jb, 16), v128.load(bhh + jb, 16)));
    for (let k = H4; k < H; k++) {
      const v = v128.load32_splat(h + (<usize>k << 2));
      const p = wh + (<usize>k << 2);
      r0 = madd(v, column4(p, ldh), r0);
      r1 = madd(v, column4(p + 4 * ldh, ldh), r1);
    }
    for (let k = X4; k < X; k++) {
      const v = v128.load32_splat(x + (<usize>k << 2));
      const p = wx + (<usize>k << 2);
      r0 = madd(v, column4(p, ldx), r0);
      r1 = madd(v, column4(p + 4 * ldx, ldx), r1);
    }
    v128.store(o + jb, r0);
    v128.store(o + jb, r1, 16);
  }
  for (; j < N; j++) {
    const jb = <usize>j << 2;
    let s = load<f32>(bih + jb) + load<f32>(bhh + jb);
    for (let k = 0; k < H; k++) s += load<f32>(h + (<usize>k << 2)) * load<f32>(whh + <usize>j * ldh + (<usize>k << 2));
    for (let k = 0; k < X; k++) s += load<f32>(x + (<usize>k << 2)) * load<f32>(wih + <usize>j * ldx + (<usize>k << 2));
    store<f32>(o + jb, s);
  }
}

/**
 * One whole LSTM step for B rows: gates = bih + bhh + x(B,X)·Wihᵀ + h(B,H)·Whhᵀ, then the pointwise
 * step (cNext may alias cPrev). The live-prediction path: one call instead of five.
 */
export function lstmCellStep(
  gates: usize, x: usize, X: i32, h: usize, cPrev: usize, cNext: usize, tanhC: usize, hNext: usize,
  wih: usize, bih: usize, bhh: usize, whh: usize, B: i32, H: i32,
): void {
  const G = 4 * H;
  if (B == 1) {
    gatesRow(gates, x, wih, X, h, whh, H, bih, bhh, G);
    lstmForward(gates, cPrev, cNext, tanhC, hNext, 1, H);
    return;
  }
  const G4 = G & ~3;
  for (let r = 0; r < B; r++) {
    const row = gates + ((<usize>r * <usize>G) << 2);
    let j = 0;
    for (; j < G4; j += 4) {
      const jb = <usize>j << 2;
      v128.store(row + jb, f32x4.add(v128.load(bih + jb), v128.load(bhh + jb)));
    }
    for (; j < G; j++) {
      const jb = <usize>j << 2;
      store<f32>(row + jb, load<f32>(bih + jb) + load<f32>(bhh + jb));
    }
  }
  gemmNT(gates, x, wih, B, X, G);
  gemmNT(gates, h, whh, B, H, G);
  lstmForward(gates, cPrev, cNext, tanhC, hNext, B, H);
}

/**
 * The LSTM backward recurrence in one call, t = T−1 … 0: dh = dOut[t] + dhRec (its L2 norm into
 * norms[t], f64, when norms ≠ 0); lstmBackward into dGates[t] with dcRec carried; dhRec = dGates[t]·Whh
 * through whhT (H,4H). With tbpttK > 0 the carried dhRec, dcRec are cut where a chunk of k steps starts.
 * dGates, gates (T,B,4H); dOut (T,B,H); cs (T+1,B,H); tanhC (T,B,H); dhRec, dcRec, dh (B,H).
 */
export function lstmBackwardRecurrence(
  dGates: usize, dOut: usize, dhRec: usize, dcRec: usize, dh: usize, gates: usize, cs: usize, tanhC: usize,
  whhT: usize, norms: usize, B: i32, T: i32, H: i32, tbpttK: i32,
): void {
  const n = B * H;
  const n4 = n & ~3;
  const bh = <usize>n << 2;
  const bg = 4 * bh;
  for (let t = T - 1; t >= 0; t--) {
    if (tbpttK > 0 && (t + 1) % tbpttK == 0 && t + 1 < T) {
      memory.fill(dhRec, 0, bh);
      memory.fill(dcRec, 0, bh);
    }
    const d = dOut + <usize>t * bh;
    let ss0 = f64x2.splat(0), ss1 = f64x2.splat(0);
    let i = 0;
    for (; i < n4; i += 4) {
      const ib = <usize>i << 2;
      const v = f32x4.add(v128.load(d + ib), v128.load(dhRec + ib));
      v128.store(dh + ib, v);
      const sq = f32x4.mul(v, v);
      ss0 = f64x2.add(ss0, f64x2.promote_low_f32x4(sq));
      ss1 = f64x2.add(ss1, f64x2.promote_low_f32x4(i32x4.shuffle(sq, sq, 2, 3, 0, 1)));
    }
    let ss = f64x2.extract_lane(ss0, 0) + f64x2.extract_lane(ss0, 1) + f64x2.extract_lane(ss1, 0) + f64x2.extract_lane(ss1, 1);
    for (; i < n; i++) {
      const ib = <usize>i << 2;
      const v = load<f32>(d + ib) + load<f32>(dhRec + ib);
      store<f32>(dh + ib, v);
      ss += <f64>v * <f64>v;
    }
    if (norms != 0) store<f64>(norms + (<usize>t << 3), Math.sqrt(ss));
    const go = <usize>t * bg;
    lstmBackward(dGates + go, dcRec, dh, gates + go, cs + <usize>t * bh, tanhC + <usize>t * bh, B, H);
    memory.fill(dhRec, 0, bh);
    gemmNT(dhRec, dGates + go, whhT, B, 4 * H, H);
  }
}
