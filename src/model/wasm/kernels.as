// The WebAssembly SIMD kernels of whereto's recurrent engine, in AssemblyScript (compiled by
// scripts in src/model/wasm/build.mjs with `asc --enable simd`; this file is named .as, not .ts,
// so the TypeScript checker never sees AssemblyScript's types). Every argument that names a
// buffer is a BYTE address into the module's memory of float32 elements; the JavaScript side
// (arenas.ts) owns allocation. Nothing here allocates, grows memory or keeps state.
// Conventions follow kernelContract.ts: row-major matrices, products ACCUMULATE into `out`,
// gate blocks LSTM [i|f|g|o], GRU [r|z|n]. Sizes: M,K,N matrix sizes, B batch rows, H hidden.
// This entry file holds what the module exports; the code lives in simd.as (tanh, σ, multiply-add),
// products.as (matrix products), cells.as (gate math) and fused.as (whole recurrences and steps).
export { addRowBias, gemmBroadcast, gemmNT, linearRows, sumRows, transpose } from './products';
export {
  gruBackward,
  gruForward,
  lstmBackward,
  lstmForward,
  rnnBackward,
  rnnForward,
  sigmoidArray,
  tanhArray,
} from './cells';
export { inferenceScratch, lstmBackwardRecurrence, lstmInference, lstmRecurrence } from './fused';

/** The first free byte after the module's static data: JavaScript allocates from here. */
export function heapBase(): usize {
  return __heap_base;
}
