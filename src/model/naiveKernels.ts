// The reference kernels: the plainest correct loops for every Kernels entry. They define what
// the tuned kernels (tsKernels.ts, src/model/wasm) must compute, and tests compare against them.
// Not meant to be fast.
import type { Dtype, FloatArray, Kernels } from './kernels.ts';
import { gruBackward, gruForward, lstmBackward, lstmForward, rnnBackward, rnnForward } from './gates.ts';

/** Allocates a zeroed typed array of the given dtype. */
export function allocArray(dtype: Dtype, n: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
}

export function addRowBias(
  rows: FloatArray,
  ro: number,
  bias: FloatArray,
  bo: number,
  M: number,
  N: number,
): void {
  for (let m = 0; m < M; m++) {
    const r = ro + m * N;
    for (let n = 0; n < N; n++) rows[r + n] += bias[bo + n];
  }
}

export function sumRows(out: FloatArray, oo: number, a: FloatArray, ao: number, M: number, N: number): void {
  for (let m = 0; m < M; m++) {
    const r = ao + m * N;
    for (let n = 0; n < N; n++) out[oo + n] += a[r + n];
  }
}

/** Naive kernels of the given dtype. */
export function createNaiveKernels(dtype: Dtype = 'float32'): Kernels {
  return {
    name: 'ts-naive',
    dtype,
    alloc: (n) => allocArray(dtype, n),
    matmulNT(out, oo, a, ao, b, bo, M, K, N) {
      for (let m = 0; m < M; m++)
        for (let n = 0; n < N; n++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += a[ao + m * K + k] * b[bo + n * K + k];
          out[oo + m * N + n] += s;
        }
    },
    matmulNN(out, oo, a, ao, b, bo, M, K, N) {
      for (let m = 0; m < M; m++)
        for (let n = 0; n < N; n++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += a[ao + m * K + k] * b[bo + k * N + n];
          out[oo + m * N + n] += s;
        }
    },
    matmulTN(out, oo, a, ao, b, bo, M, K, N) {
      for (let m = 0; m < M; m++)
        for (let n = 0; n < N; n++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += a[ao + k * M + m] * b[bo + k * N + n];
          out[oo + m * N + n] += s;
        }
    },
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
