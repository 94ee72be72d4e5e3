// The engine's workloads (workloads.ts) once per kernel backend, so one run shows what the
// WebAssembly SIMD kernels buy over the TypeScript ones: 'whereto wasm' is what float32 models get
// by default (and the numbers `--json` records), 'whereto ts' the plain TypeScript kernels.
import { createTsKernels } from '../src/model/tsKernels.ts';
import { createWasmKernels } from '../src/model/wasm/wasmKernels.ts';
import type { BenchSuite } from './suite.ts';
import { engineSuite } from './workloads.ts';

/** whereto on its default kernels (wasm SIMD), primary; then on the TypeScript kernels. */
export function kernelSuites(): BenchSuite[] {
  const probe = createWasmKernels(createTsKernels('float32'));
  if (!probe) throw new Error('the WebAssembly SIMD kernels do not run here (npm run build:wasm?)');
  return [
    engineSuite(`whereto ${probe.name}`),
    engineSuite('whereto ts', () => createTsKernels('float32'), false),
  ];
}
