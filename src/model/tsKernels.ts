// The default kernels in plain TypeScript. Products of at least 8 rows and 8 columns copy their
// operands into plain JavaScript arrays of doubles, A as M rows and B as N rows of K numbers, and run
// a 3×4 register tile over them; smaller ones run a strided 4×4 tile on the typed arrays directly.
// Why copy: once anything in the process detaches an ArrayBuffer (a WebAssembly.Memory grows, a
// buffer is transferred to a worker, tsx's module lexer grows its memory), V8 checks every typed-array
// access for detachment for the rest of the process, and float32 loads each need a conversion; JS
// arrays of doubles have neither. Copying is (M + N)·K work against M·N·K. The pointwise gate code is
// the reference's (gates.ts). Naive twins: naiveKernels.ts (tests compare).
import type { Dtype, FloatArray, Kernels } from './kernels.ts';
import { fastExpInPlace } from './fastExp.ts';
import { exactExpInPlace, forwardGates, gruBackward, lstmBackward, rnnBackward } from './gates.ts';
import { addRowBias, allocArray, sumRows } from './naiveKernels.ts';

/**
 * out(M,N) += Σ_k A[i,k]·B[k,j] where A[i,k] = a[ao + i·ars + k·aks] and B[k,j] = b[bo + k·bks + j·bjs],
 * out rows `ldo` apart. Covers A·Bᵀ, A·B and Aᵀ·B by the choice of strides.
 */
function tiledProduct(
  out: FloatArray,
  oo: number,
  a: FloatArray,
  ao: number,
  ars: number,
  aks: number,
  b: FloatArray,
  bo: number,
  bks: number,
  bjs: number,
  M: number,
  K: number,
  N: number,
  ldo: number,
): void {
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const a0 = ao + i * ars;
    const a1 = a0 + ars;
    const a2 = a1 + ars;
    const a3 = a2 + ars;
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      const b0 = bo + j * bjs;
      const b1 = b0 + bjs;
      const b2 = b1 + bjs;
      const b3 = b2 + bjs;
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let k = 0, ak = 0, bk = 0; k < K; k++, ak += aks, bk += bks) {
        const x0 = a[a0 + ak],
          x1 = a[a1 + ak],
          x2 = a[a2 + ak],
          x3 = a[a3 + ak];
        const y0 = b[b0 + bk],
          y1 = b[b1 + bk],
          y2 = b[b2 + bk],
          y3 = b[b3 + bk];
        c00 += x0 * y0;
        c01 += x0 * y1;
        c02 += x0 * y2;
        c03 += x0 * y3;
        c10 += x1 * y0;
        c11 += x1 * y1;
        c12 += x1 * y2;
        c13 += x1 * y3;
        c20 += x2 * y0;
        c21 += x2 * y1;
        c22 += x2 * y2;
        c23 += x2 * y3;
        c30 += x3 * y0;
        c31 += x3 * y1;
        c32 += x3 * y2;
        c33 += x3 * y3;
      }
      const o0 = oo + i * ldo + j;
      const o1 = o0 + ldo;
      const o2 = o1 + ldo;
      const o3 = o2 + ldo;
      out[o0] += c00;
      out[o0 + 1] += c01;
      out[o0 + 2] += c02;
      out[o0 + 3] += c03;
      out[o1] += c10;
      out[o1 + 1] += c11;
      out[o1 + 2] += c12;
      out[o1 + 3] += c13;
      out[o2] += c20;
      out[o2 + 1] += c21;
      out[o2 + 2] += c22;
      out[o2 + 3] += c23;
      out[o3] += c30;
      out[o3 + 1] += c31;
      out[o3 + 2] += c32;
      out[o3 + 3] += c33;
    }
    for (; j < N; j++) {
      const bj = bo + j * bjs;
      let c0 = 0,
        c1 = 0,
        c2 = 0,
        c3 = 0;
      for (let k = 0, ak = 0, bk = 0; k < K; k++, ak += aks, bk += bks) {
        const y = b[bj + bk];
        c0 += a[a0 + ak] * y;
        c1 += a[a1 + ak] * y;
        c2 += a[a2 + ak] * y;
        c3 += a[a3 + ak] * y;
      }
      const o0 = oo + i * ldo + j;
      out[o0] += c0;
      out[o0 + ldo] += c1;
      out[o0 + 2 * ldo] += c2;
      out[o0 + 3 * ldo] += c3;
    }
  }
  for (; i < M; i++) {
    const ai = ao + i * ars;
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      const b0 = bo + j * bjs;
      const b1 = b0 + bjs;
      const b2 = b1 + bjs;
      const b3 = b2 + bjs;
      let c0 = 0,
        c1 = 0,
        c2 = 0,
        c3 = 0;
      for (let k = 0, ak = 0, bk = 0; k < K; k++, ak += aks, bk += bks) {
        const x = a[ai + ak];
        c0 += x * b[b0 + bk];
        c1 += x * b[b1 + bk];
        c2 += x * b[b2 + bk];
        c3 += x * b[b3 + bk];
      }
      const o = oo + i * ldo + j;
      out[o] += c0;
      out[o + 1] += c1;
      out[o + 2] += c2;
      out[o + 3] += c3;
    }
    for (; j < N; j++) {
      const bj = bo + j * bjs;
      let c = 0;
      for (let k = 0, ak = 0, bk = 0; k < K; k++, ak += aks, bk += bks) c += a[ai + ak] * b[bj + bk];
      out[oo + i * ldo + j] += c;
    }
  }
}

/** Products with fewer rows or columns than this skip the copy (it would cost as much as the product). */
const PACK_MIN = 8;

/**
 * dst[r·K + k] = src[so + r·rs + k·ks] for r < R, k < K, into a grow-only JS array of doubles (kept
 * PACKED_DOUBLE: it starts as a double and only ever receives numbers). Reads src in memory order.
 */
function pack(
  dst: number[],
  src: FloatArray,
  so: number,
  R: number,
  K: number,
  rs: number,
  ks: number,
): number[] {
  while (dst.length < R * K) dst.push(0.5);
  if (ks === 1) {
    for (let r = 0; r < R; r++) {
      const s = so + r * rs;
      const d = r * K;
      for (let k = 0; k < K; k++) dst[d + k] = src[s + k];
    }
  } else {
    // A transpose, 8 values of k at a time, so each destination cache line is written whole.
    let k = 0;
    for (; k + 8 <= K; k += 8) {
      const s = so + k * ks;
      for (let r = 0; r < R; r++) {
        const d = r * K + k;
        const q = s + r * rs;
        dst[d] = src[q];
        dst[d + 1] = src[q + ks];
        dst[d + 2] = src[q + 2 * ks];
        dst[d + 3] = src[q + 3 * ks];
        dst[d + 4] = src[q + 4 * ks];
        dst[d + 5] = src[q + 5 * ks];
        dst[d + 6] = src[q + 6 * ks];
        dst[d + 7] = src[q + 7 * ks];
      }
    }
    for (; k < K; k++) for (let r = 0; r < R; r++) dst[r * K + k] = src[so + k * ks + r * rs];
  }
  return dst;
}

/**
 * out(M,N) += A·Bᵀ with A (M rows of K) and B (N rows of K) packed. A 3×4 tile: 12 accumulators,
 * 3 values of A and one of B live at a time, so everything stays in x64's 16 float registers (a 4×4
 * tile needs 24 and spills); about 10 % faster than 4×4 in V8. The rows and columns left over by the
 * tile are plain dot products.
 */
function packedProduct(
  out: FloatArray,
  oo: number,
  a: number[],
  b: number[],
  M: number,
  K: number,
  N: number,
): void {
  const K2 = 2 * K;
  const K3 = 3 * K;
  const M3 = M - (M % 3);
  const N4 = N & ~3;
  for (let i = 0; i < M3; i += 3) {
    const ai = i * K;
    for (let j = 0; j < N4; j += 4) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0;
      let c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0;
      let pa = ai;
      let pb = j * K;
      const end = ai + K;
      for (; pa < end; pa++, pb++) {
        const x0 = a[pa],
          x1 = a[pa + K],
          x2 = a[pa + K2];
        let y = b[pb];
        c00 += x0 * y;
        c10 += x1 * y;
        c20 += x2 * y;
        y = b[pb + K];
        c01 += x0 * y;
        c11 += x1 * y;
        c21 += x2 * y;
        y = b[pb + K2];
        c02 += x0 * y;
        c12 += x1 * y;
        c22 += x2 * y;
        y = b[pb + K3];
        c03 += x0 * y;
        c13 += x1 * y;
        c23 += x2 * y;
      }
      const o0 = oo + i * N + j;
      const o1 = o0 + N;
      const o2 = o1 + N;
      out[o0] += c00;
      out[o0 + 1] += c01;
      out[o0 + 2] += c02;
      out[o0 + 3] += c03;
      out[o1] += c10;
      out[o1 + 1] += c11;
      out[o1 + 2] += c12;
      out[o1 + 3] += c13;
      out[o2] += c20;
      out[o2 + 1] += c21;
      out[o2 + 2] += c22;
      out[o2 + 3] += c23;
    }
  }
  for (let i = 0; i < M; i++)
    for (let j = i < M3 ? N4 : 0; j < N; j++) {
      let c = 0;
      for (let k = 0, pa = i * K, pb = j * K; k < K; k++) c += a[pa + k] * b[pb + k];
      out[oo + i * N + j] += c;
    }
}

/** The tiled TypeScript kernels of the given dtype; float32 computes σ and tanh through fastExp. */
export function createTsKernels(dtype: Dtype = 'float32'): Kernels {
  const { lstmForward, gruForward, rnnForward } = forwardGates(
    dtype === 'float32' ? fastExpInPlace : exactExpInPlace,
  );
  const packedA: number[] = [0.5];
  const packedB: number[] = [0.5];
  /** out(M,N) += Σ_k A[i,k]·B[k,j], strides as in tiledProduct. */
  const product = (
    out: FloatArray,
    oo: number,
    a: FloatArray,
    ao: number,
    ars: number,
    aks: number,
    b: FloatArray,
    bo: number,
    bks: number,
    bjs: number,
    M: number,
    K: number,
    N: number,
  ): void => {
    if (M < PACK_MIN || N < PACK_MIN) tiledProduct(out, oo, a, ao, ars, aks, b, bo, bks, bjs, M, K, N, N);
    else
      packedProduct(
        out,
        oo,
        pack(packedA, a, ao, M, K, ars, aks),
        pack(packedB, b, bo, N, K, bjs, bks),
        M,
        K,
        N,
      );
  };
  return {
    name: 'ts-tiled',
    dtype,
    alloc: (n) => allocArray(dtype, n),
    matmulNT: (out, oo, a, ao, b, bo, M, K, N) => product(out, oo, a, ao, K, 1, b, bo, 1, K, M, K, N),
    matmulNN: (out, oo, a, ao, b, bo, M, K, N) => product(out, oo, a, ao, K, 1, b, bo, N, 1, M, K, N),
    matmulTN: (out, oo, a, ao, b, bo, M, K, N) => product(out, oo, a, ao, 1, M, b, bo, N, 1, M, K, N),
    addRowBias,
    sumRows,
    lstmForward,
    lstmBackward,
    gruForward,
    gruBackward,
    rnnForward,
    rnnBackward,
  };
}
