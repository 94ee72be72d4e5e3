// Matrix products for kernels.as (AssemblyScript): out += A·Bᵀ in dot-product form (2×4 tile, a
// lone row 1×8), out += A·B and Aᵀ·B in broadcast form (2×16 tile, K in L1-sized panels), a small
// transpose for thin products, bias rows and row sums. Pointers are byte addresses of float32 data.
import { hsum1, hsum4, madd } from './simd';

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
  if (accumulate == 0 && (R & 3) == 0 && (C & 3) == 0) {
    transpose4(dst, src, R, C);
    return;
  }
  for (let r = 0; r < R; r++) {
    const s = src + ((<usize>r * <usize>C) << 2);
    for (let c = 0; c < C; c++) {
      const d = dst + ((<usize>c * <usize>R + <usize>r) << 2);
      const v = load<f32>(s + (<usize>c << 2));
      store<f32>(d, accumulate ? load<f32>(d) + v : v);
    }
  }
}

/**
 * dst(C,R) = src(R,C)ᵀ for R, C multiples of 4, in 4×4 blocks (four vector loads, eight shuffles,
 * four stores), a column block at a time so the stores run along destination rows (3.4× faster
 * than row blocks at 256×64, where stores 1 KiB apart stall on 4 KiB aliasing).
 */
function transpose4(dst: usize, src: usize, R: i32, C: i32): void {
  const lds = <usize>C << 2;
  const ldd = <usize>R << 2;
  for (let c = 0; c < C; c += 4) {
    const cb = <usize>c << 2;
    const d = dst + <usize>c * ldd;
    for (let r = 0; r < R; r += 4) {
      const s0 = src + <usize>r * lds + cb;
      const a = v128.load(s0);
      const b = v128.load(s0 + lds);
      const e = v128.load(s0 + 2 * lds);
      const f = v128.load(s0 + 3 * lds);
      const t0 = i32x4.shuffle(a, b, 0, 4, 1, 5);
      const t1 = i32x4.shuffle(a, b, 2, 6, 3, 7);
      const t2 = i32x4.shuffle(e, f, 0, 4, 1, 5);
      const t3 = i32x4.shuffle(e, f, 2, 6, 3, 7);
      const q = d + (<usize>r << 2);
      v128.store(q, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
      v128.store(q + ldd, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
      v128.store(q + 2 * ldd, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
      v128.store(q + 3 * ldd, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
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

/**
 * out(M,N) = bias(N) + A(M,K)·W(N,K)ᵀ, SET not accumulated: a small linear layer (the head) in one
 * call. Dot products of length K, one output at a time: meant for few outputs (N ≤ 8), any K.
 */
export function linearRows(out: usize, a: usize, w: usize, bias: usize, M: i32, K: i32, N: i32): void {
  const K4 = K & ~3;
  const lda = <usize>K << 2;
  for (let i = 0; i < M; i++) {
    const ai = a + <usize>i * lda;
    const oi = out + ((<usize>i * <usize>N) << 2);
    for (let j = 0; j < N; j++) {
      const wj = w + <usize>j * lda;
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
      let k = 0;
      for (; k + 8 <= K4; k += 8) {
        const kb = <usize>k << 2;
        c0 = madd(v128.load(ai + kb), v128.load(wj + kb), c0);
        c1 = madd(v128.load(ai + kb, 16), v128.load(wj + kb, 16), c1);
      }
      for (; k < K4; k += 4) {
        const kb = <usize>k << 2;
        c0 = madd(v128.load(ai + kb), v128.load(wj + kb), c0);
      }
      let s = hsum1(f32x4.add(c0, c1));
      for (; k < K; k++) {
        const kb = <usize>k << 2;
        s += load<f32>(ai + kb) * load<f32>(wj + kb);
      }
      store<f32>(oi + (<usize>j << 2), s + load<f32>(bias + (<usize>j << 2)));
    }
  }
}
