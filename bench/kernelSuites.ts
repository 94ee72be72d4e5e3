// The engine's workloads (workloads.ts) once per kernel backend, so one run shows what the
// WebAssembly SIMD kernels buy over the TypeScript ones: 'whereto wasm' is what models get by
// default (and the numbers `--json` records), 'whereto ts' the plain TypeScript kernels.
import { setKernelPreference, type KernelPreference } from '../src/model/wasm/defaultKernels.ts';
import { createWasmKernels } from '../src/model/wasm/wasmKernels.ts';
import type { BenchSuite } from './suite.ts';
import { engineSuite } from './workloads.ts';

function withKernels(preference: KernelPreference, suite: BenchSuite): BenchSuite {
  return {
    ...suite,
    workloads: suite.workloads.map((w) => ({
      ...w,
      async run(o) {
        setKernelPreference(preference);
        try {
          return await w.run(o);
        } finally {
          setKernelPreference('auto');
        }
      },
    })),
  };
}

/** whereto on its default kernels (wasm SIMD where it runs), primary; then on the TypeScript kernels. */
export function kernelSuites(): BenchSuite[] {
  if (!createWasmKernels())
    throw new Error('the WebAssembly SIMD kernels do not run here (npm run build:wasm?)');
  return [
    withKernels('auto', engineSuite('whereto wasm')),
    { ...withKernels('ts', engineSuite('whereto ts')), primary: false },
  ];
}
