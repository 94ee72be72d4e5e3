// Which kernels a new model gets when none are given: the WebAssembly SIMD kernels for float32
// wherever this JavaScript engine runs them (Node, the page, a Web Worker), else the TypeScript
// kernels; float64 (tests, gradient checks) always uses TypeScript. Not the kernels themselves.
import type { Dtype, Kernels } from '../kernels.ts';
import { createTsKernels } from '../tsKernels.ts';
import { createWasmKernels } from './wasmKernels.ts';

/** 'auto': wasm SIMD for float32 when available; 'ts': always the TypeScript kernels (benchmarks compare). */
export type KernelPreference = 'auto' | 'ts';

let preference: KernelPreference = 'auto';

/** Sets the preference for models created from now on. */
export function setKernelPreference(p: KernelPreference): void {
  preference = p;
}

/** A fresh kernel set of the given dtype (each model owns its own, and with it its wasm memory). */
export function createDefaultKernels(dtype: Dtype): Kernels {
  if (dtype === 'float32' && preference === 'auto') {
    const k = createWasmKernels();
    if (k) return k;
  }
  return createTsKernels(dtype);
}
