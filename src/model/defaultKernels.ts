// Which kernels a new model gets when none are given: the WebAssembly SIMD kernels for float32
// wherever this JavaScript engine runs them (Node, the page, a Web Worker), else the TypeScript
// kernels; float64 (tests, gradient checks) always uses TypeScript. Not the kernels themselves.
import type { Dtype, Kernels } from './kernels.ts';
import { createTsKernels } from './tsKernels.ts';
import { createWasmKernels } from './wasm/wasmKernels.ts';

/** A fresh kernel set of the given dtype (each model owns its own, and with it its wasm memory). */
export function createDefaultKernels(dtype: Dtype): Kernels {
  return (
    (dtype === 'float32' ? createWasmKernels(createTsKernels('float32')) : null) ?? createTsKernels(dtype)
  );
}
